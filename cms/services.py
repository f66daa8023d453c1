"""Account services: the HTML views and the API call these, never the models directly."""

from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from . import roles
from .errors import Conflict
from .models import User
from .tokens import fingerprint_matches, make_confirmation_token, read_confirmation_token


def user_signup(*, username: str, email: str, password: str, mairie, display_name: str = "", base_url: str) -> User:
    """Create a resident account and send the confirmation link. One account per email."""
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Un compte existe déjà avec cette adresse e-mail.")}, code="duplicate")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Ce nom d'utilisateur est déjà pris.")}, code="duplicate")
    user = User(username=username, email=email, display_name=display_name, mairie=mairie)
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            user.groups.add(Group.objects.get(name=roles.RESIDENTS))
    except IntegrityError as exc:  # a concurrent sign-up with the same email or username
        raise ValidationError({"email": _("Un compte existe déjà avec cette adresse e-mail.")}, code="duplicate") from exc
    transaction.on_commit(lambda: send_confirmation_email(user=user, base_url=base_url))
    return user


def send_confirmation_email(*, user: User, base_url: str):
    link = base_url.rstrip("/") + reverse("signup-confirm", args=[make_confirmation_token(user)])
    body = render_to_string("registration/confirm_email.txt", {"user": user, "link": link})
    send_mail(_("Confirmez votre adresse e-mail"), body, None, [user.email])


@transaction.atomic
def user_confirm_email(*, token: str) -> User:
    """Confirm the email a link was sent to. Once: the link of a confirmed account is refused
    (code "already_confirmed"), and a link issued before a password or email change is dead, so a
    link is never a way into the account."""
    try:
        user_id, fingerprint = read_confirmation_token(token)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("Ce lien de confirmation a expiré. Connectez-vous, puis demandez-en un nouveau "
                                "sur la page « Mon compte »."), code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("Ce lien de confirmation n'est pas valide."), code="invalid") from exc
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError(_("Ce lien de confirmation n'est pas valide."), code="invalid")
    if user.email_confirmed:
        raise ValidationError(_("Votre adresse e-mail est déjà confirmée : connectez-vous avec votre mot de passe."),
                              code="already_confirmed")
    if not fingerprint_matches(user, fingerprint):
        raise ValidationError(_("Ce lien de confirmation n'est plus valide (le mot de passe ou l'adresse a changé "
                                "depuis). Connectez-vous, puis demandez-en un nouveau sur la page « Mon compte »."),
                              code="stale")
    user.email_confirmed = True
    user.save(update_fields=["email_confirmed"])
    return user


def user_confirmation_resend(*, user: User, base_url: str) -> None:
    """Send a new confirmation link to an account whose email is not confirmed yet."""
    if user.email_confirmed:
        raise Conflict(_("Votre adresse e-mail est déjà confirmée."), code="already_confirmed")
    transaction.on_commit(lambda: send_confirmation_email(user=user, base_url=base_url))


def user_tokens_revoke(*, user: User) -> int:
    """Delete the account's API tokens (after a password change or reset: whoever held one is out)."""
    from rest_framework.authtoken.models import Token

    deleted, _detail = Token.objects.filter(user=user).delete()
    return deleted
