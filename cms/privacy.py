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

Exporters return a JSON-serialisable value, put under their name in the export. Erasers run
inside the deletion's transaction, before the core anonymises the account; they remove or
anonymise the app's personal data of that user and must keep what integrity needs (counts,
draws). The participation engine's data (supports, follows, notifications, reports, comments,
authored contributions) is handled here, below.
"""

import contextlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
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


def exporters() -> dict[str, Callable]:
    return {**_builtin_exporters(), **_exporters}


def erasers() -> dict[str, Callable]:
    return {**_erasers, **_builtin_erasers()}  # apps first: they may need the rows the core removes


# --- export ---------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def _ref(content_type_id, object_id):
    ct = ContentType.objects.get_for_id(content_type_id)
    return f"{ct.app_label}.{ct.model}:{object_id}"


def _target_info(content_type_id, object_id):
    ct = ContentType.objects.get_for_id(content_type_id)
    info = {"ref": f"{ct.app_label}.{ct.model}:{object_id}"}
    model = ct.model_class()
    obj = model._default_manager.filter(pk=object_id).first() if model is not None else None
    if obj is not None:
        title = getattr(obj, "title", None)
        if title:
            info["title"] = str(title)
        if hasattr(obj, "get_absolute_url"):
            with contextlib.suppress(Exception):  # a URL is a convenience, never a reason to fail
                info["url"] = obj.get_absolute_url()
    return info


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


def _export_supports(user):
    from participation.models import Support

    return [{**_target_info(s.content_type_id, s.object_id), "context": s.context, "created_at": _iso(s.created_at)}
            for s in Support.objects.filter(user=user).order_by("created_at", "pk")]


def _export_follows(user):
    from participation.models import Follow

    return [{**_target_info(f.content_type_id, f.object_id), "created_at": _iso(f.created_at)}
            for f in Follow.objects.filter(user=user).order_by("created_at", "pk")]


def _export_notifications(user):
    from participation.models import Notification

    return [{"ref": _ref(n.content_type_id, n.object_id), "verb": n.verb, "title": n.title, "message": n.message,
             "url": n.url, "created_at": _iso(n.created_at), "read_at": _iso(n.read_at),
             "emailed_at": _iso(n.emailed_at)}
            for n in Notification.objects.filter(user=user).order_by("created_at", "pk")]


def _export_reports(user):
    from participation.models import Report

    return [{"ref": _ref(r.content_type_id, r.object_id), "reason": r.reason, "note": r.note,
             "created_at": _iso(r.created_at), "resolved_at": _iso(r.resolved_at)}
            for r in Report.objects.filter(user=user).order_by("created_at", "pk")]


def _export_comments(user):
    from django_comments_xtd.models import XtdComment

    return [{**_target_info(c.content_type_id, c.object_pk), "comment_id": c.pk, "text": c.comment,
             "submitted_at": _iso(c.submit_date), "public": c.is_public and not c.is_removed,
             "reply_to": c.parent_id if c.parent_id != c.pk else None}
            for c in XtdComment.objects.filter(user=user).order_by("submit_date", "pk")]


def _export_contributions(user):
    """What the user authored in every participatory space (projects, proposals, amendments...)."""
    from participation import registry

    found = []
    for key, kind in sorted(registry.types().items()):
        model = kind.model
        if not any(f.name == "author" for f in model._meta.get_fields()):
            continue
        for obj in model._default_manager.filter(author=user).order_by("pk"):
            item = {"ref": f"{key}:{obj.pk}", "title": str(getattr(obj, "title", None) or obj)}
            for attr in ("status", "summary", "created_at", "author_anonymous", "supports_count"):
                value = getattr(obj, attr, None)
                if value is not None:
                    item[attr] = _iso(value) if hasattr(value, "isoformat") else value
            if hasattr(obj, "get_absolute_url"):
                with contextlib.suppress(Exception):
                    item["url"] = obj.get_absolute_url()
            found.append(item)
    return found


def _builtin_exporters():
    if not apps.is_installed("participation"):
        return {}
    found = {
        "supports": _export_supports,
        "follows": _export_follows,
        "notifications": _export_notifications,
        "reports": _export_reports,
        "contributions": _export_contributions,
    }
    if apps.is_installed("django_comments_xtd"):
        found["comments"] = _export_comments
    return found


# --- deletion -------------------------------------------------------------------------------


def _erase_engine(user):
    from participation.models import Follow, Notification, Report

    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    Report.objects.filter(user=user).update(note="")  # the report counts; its free text may identify


def _erase_comments(user):
    from django_comments_xtd.models import XtdComment

    XtdComment.objects.filter(user=user).update(user_name=DELETED_COMMENT_NAME, user_email="", user_url="",
                                                ip_address=None)


def _erase_login_traces(user):
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
    found = {"login": _erase_login_traces}
    if apps.is_installed("participation"):
        found["participation"] = _erase_engine
    if apps.is_installed("django_comments_xtd"):
        found["comments"] = _erase_comments
    return found


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
