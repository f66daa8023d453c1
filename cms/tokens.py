"""Signed, expiring links for email confirmation (no table needed)."""

from django.conf import settings
from django.core import signing

SALT = "cms.email-confirmation"


def make_confirmation_token(user):
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT)


def read_confirmation_token(token):
    """Return (user_id, email), or raise signing.BadSignature / SignatureExpired."""
    data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    return data["u"], data["e"]
