"""Accounts through django-allauth (docs/decisions/0010-allauth.md): the project's adapters and the two
facts kept in step with allauth's tables.

- A new account is a resident of the mairie chosen at sign-up (by form or by FranceConnect).
- Emails speak in the name of the request's mairie and link to its host.
- `User.email_confirmed`, which the rest of the platform reads (a confirmed email to support, to apply
  as an ambassador...), follows allauth's `EmailAddress.verified` of the primary address, and an account
  made outside allauth (the admin, `seed_demo`, the factories) gets its `EmailAddress` row, so that
  allauth's mandatory verification lets it log in when its email is confirmed.
"""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.signals import email_changed, email_confirmed
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import roles
from .mairies import mairie_for_request
from .models import User


def user_display(user) -> str:
    return user.public_name


def _resident_of(user, form):
    """What every new account gets from its sign-up form, whichever door it came through: its home mairie
    and display name before it is saved; `_add_to_residents` after."""
    user.mairie = form.cleaned_data["mairie"]
    user.display_name = form.cleaned_data.get("display_name", "")
    user._email_set_up_by_allauth = True  # allauth adds the EmailAddress itself (setup_user_email)


def _add_to_residents(user):
    user.groups.add(Group.objects.get(name=roles.RESIDENTS))


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        _resident_of(user, form)
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            _add_to_residents(user)
        return user

    def send_mail(self, template_prefix, email, context):
        """Emails in the name of the request's mairie (its name, its host), not of django.contrib.sites'."""
        from allauth.core import context as allauth_context

        request = allauth_context.request
        mairie = mairie_for_request(request) if request is not None else None
        name = mairie.name if mairie else _("Mairie de demain")
        host = request.get_host() if request is not None else ""
        super().send_mail(template_prefix, email, {"current_site": SimpleNamespace(name=name, domain=host),
                                                   "mairie": mairie, **context})


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        if form is None:  # SOCIALACCOUNT_AUTO_SIGNUP is off: a first login always fills the form
            raise ValueError("a FranceConnect sign-up needs its form (the home mairie)")
        _resident_of(sociallogin.user, form)
        user = super().save_user(request, sociallogin, form=form)
        _add_to_residents(user)
        if EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
            user.email_confirmed = True  # verified by the identity provider
            User.objects.filter(pk=user.pk).update(email_confirmed=True)
        return user


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": gettext_lazy("Votre rôle dans l'équipe de la mairie demande une double "
                                         "authentification : vous ne pouvez pas la désactiver."),
    }

    def get_totp_label(self, user) -> str:
        return user.username

    def can_delete_authenticator(self, authenticator) -> bool:
        from .second_factor import second_factor_required

        return not second_factor_required(authenticator.user)


def sync_email_address(user) -> None:
    """The account's primary `EmailAddress` as its `email` and `email_confirmed` say (accounts made
    outside allauth: the admin, `seed_demo`, `createsuperuser`, the test factories)."""
    if not user.email:
        return
    if user.is_superuser and not user.email_confirmed:  # `createsuperuser`: an operator's own address
        user.email_confirmed = True
        User.objects.filter(pk=user.pk).update(email_confirmed=True)
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(user=user, email=user.email.lower(), primary=True,
                                    verified=user.email_confirmed)
    elif address.verified != user.email_confirmed and user.email_confirmed:
        EmailAddress.objects.filter(pk=address.pk).update(verified=True)


@receiver(post_save, sender=User, dispatch_uid="cms.accounts.sync_email_address")
def _user_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or not instance.is_active or getattr(instance, "_email_set_up_by_allauth", False):
        return
    if created or update_fields is None or {"email", "email_confirmed"} & set(update_fields):
        sync_email_address(instance)


@receiver(email_confirmed, dispatch_uid="cms.accounts.email_confirmed")
def _email_confirmed(sender, request, email_address, **kwargs):
    user = email_address.user
    if email_address.email.lower() == (user.email or "").lower() and not user.email_confirmed:
        User.objects.filter(pk=user.pk).update(email_confirmed=True)


@receiver(email_changed, dispatch_uid="cms.accounts.email_changed")
def _email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    User.objects.filter(pk=user.pk).update(email_confirmed=to_email_address.verified)
