"""Personal data (RGPD): a resident downloads everything the platform holds about them, and
deletes their account.

Deletion anonymises rather than removes the user row: supports, comments and contributions keep
pointing at it, so counts, budgets, the unique-support constraint and past votes and draws stay
exactly as they were, while nothing left identifies the person (username, email and names are
replaced, the password is made unusable, the account is deactivated; follows, notifications,
API tokens, login attempts and the admin profile are removed).

Apps add their own data through two registries, fed in AppConfig.ready():

    from cms.privacy import register_exporter, register_eraser

    register_exporter("occupai", lambda user: {"proposals": [...]})   # JSON-serialisable
    register_eraser("hackathon", lambda user: Complaint.objects.filter(author=user).update(contact=""))

Apps also say what they keep and for how long (`register_retention`), for the privacy page
(cms/legal.py), from the settings that drive their deletion.

Exporters return a JSON-serialisable value, put under their name in the export. Erasers run
inside the deletion's transaction, before the core anonymises the account; they remove or
anonymise the app's personal data of that user and must keep what integrity needs (counts,
draws). The participation engine registers its own (supports, follows, notifications, reports,
comments, authored contributions: participation.privacy); the core handles the account and the
login traces.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import AccessibleFormMixin

EXPORT_FORMAT = "mairie-de-demain/donnees-personnelles/v1"
DELETED_NAME = "compte-supprime-{pk}"
DELETED_EMAIL = "compte-supprime-{pk}@comptes-supprimes.invalid"
DELETED_COMMENT_NAME = "Compte supprimé"

_exporters: dict[str, Callable[[Any], Any]] = {}
_erasers: dict[str, Callable[[Any], Any]] = {}


def register_exporter(name: str, fn: Callable[[Any], Any]):
    """fn(user) -> JSON-serialisable data, exported under `name`."""
    _exporters[name] = fn


def register_eraser(name: str, fn: Callable[[Any], Any]):
    """fn(user) removes or anonymises the app's personal data of `user` (inside a transaction)."""
    _erasers[name] = fn


@dataclass(frozen=True)
class Retention:
    """One row of the privacy page (/donnees-personnelles/): what is kept about people, why, and for
    how long. `how_long()` is called at each rendering and reads the settings that drive the deletion
    (a retention setting, the schedule of the purge), so that the page says what the code does."""

    what: Any
    why: Any
    how_long: Callable[[], Any]
    order: int = 50


_retentions: dict[str, Retention] = {}


def register_retention(name: str, *, what, why, how_long: Callable[[], Any], order: int = 50):
    """An app states what it keeps about people and for how long (shown on the privacy page)."""
    _retentions[name] = Retention(what=what, why=why, how_long=how_long, order=order)


def purge_text(sentence: str, *, period: str, job: str) -> str:
    """A row of the privacy page for data a nightly purge deletes: `sentence` (translated, with %(period)s and
    %(time)s) filled with the retention `period` (translated, from the setting) and the time of `job`'s
    slot in cms.schedule, so that the page says what the settings and the schedule do."""
    from django.utils.formats import time_format

    from .schedule import daily_time

    return sentence % {"period": period, "time": time_format(daily_time(job))}


def retentions() -> list[Retention]:
    return sorted(_retentions.values(), key=lambda r: r.order)


def exporters() -> dict[str, Callable]:
    return dict(_exporters)


def erasers() -> dict[str, Callable]:
    return {**_erasers, **_builtin_erasers()}  # apps first: they may need the rows the core removes


# --- export ---------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def export_account(user) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "email_confirmed": user.email_confirmed,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "mairie": user.mairie.name if user.mairie_id else None,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "api_token_created": _iso(_token_created(user)),
        **_sign_in_data(user),
    }


def _sign_in_data(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    return {
        "email_addresses": [{"email": a.email, "verified": a.verified, "primary": a.primary}
                            for a in EmailAddress.objects.filter(user=user).order_by("pk")],
        "identity_providers": [{"provider": a.provider, "linked": _iso(a.date_joined)}
                               for a in SocialAccount.objects.filter(user=user).order_by("pk")],
        "second_factors": [{"type": a.type, "created": _iso(a.created_at)}
                           for a in Authenticator.objects.filter(user=user).order_by("pk")],
    }


def _token_created(user):
    if not apps.is_installed("rest_framework.authtoken"):
        return None
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).values_list("created", flat=True).first()


def export_user_data(user) -> dict:
    """Everything the platform holds about `user`, as one JSON-serialisable document."""
    data = {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "account": export_account(user),
    }
    for name, fn in exporters().items():
        data[name] = fn(user)
    return data


# --- deletion -------------------------------------------------------------------------------


def _erase_login_traces(user):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    # allauth's rows: the account's addresses, its FranceConnect links, its second factors.
    for model in (EmailAddress, SocialAccount, Authenticator):
        model.objects.filter(user=user).delete()
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username=user.username).delete()
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=user).delete()
    if apps.is_installed("wagtail.users"):
        from wagtail.users.models import UserProfile

        for profile in UserProfile.objects.filter(user=user):
            if profile.avatar:
                profile.avatar.delete(save=False)
            profile.delete()


def _builtin_erasers():
    return {"login": _erase_login_traces}


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete `user`'s account: run every eraser, then anonymise the user row (kept so that
    supports, votes and contributions keep their integrity)."""
    for _name, fn in erasers().items():
        fn(user)
    pk = user.pk
    user.username = DELETED_NAME.format(pk=pk)
    user.email = DELETED_EMAIL.format(pk=pk)
    user.first_name = user.last_name = user.display_name = ""
    user.email_confirmed = False
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()  # also ends every session: the session hash changes
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def is_deleted(user) -> bool:
    return user.username == DELETED_NAME.format(pk=user.pk) and not user.is_active


class AccountDeletionForm(AccessibleFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Pour confirmer que c'est bien vous."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."), code="password_incorrect")
        return password
