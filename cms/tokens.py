"""Signed, expiring links for email confirmation (no table needed).

A link names the account and a fingerprint of its email and password hash: it stops working when
either changes (a password reset kills it). It confirms once: the service refuses a link of an
already confirmed account, so a leaked link is never a way to log in."""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "cms.email-confirmation"


def _fingerprint(user) -> str:
    return salted_hmac(SALT, f"{user.pk}:{user.email}:{user.password}", algorithm="sha256").hexdigest()[:32]


def make_confirmation_token(user):
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT)


def read_confirmation_token(token):
    """Return (user_id, fingerprint), or raise signing.BadSignature / SignatureExpired."""
    data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    if not isinstance(data, dict) or "u" not in data or "f" not in data:
        raise signing.BadSignature("not a confirmation token")
    return data["u"], str(data["f"])


def fingerprint_matches(user, fingerprint: str) -> bool:
    return constant_time_compare(_fingerprint(user), fingerprint)
