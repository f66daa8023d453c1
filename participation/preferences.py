"""Reads of the notification preferences, and the signed one-click unsubscribe token.

Writes are services (participation.services: notification_preferences_update,
notification_unsubscribe). The token names a user and the kinds an email was about; it needs no
table and no session: the link in an email (and its List-Unsubscribe header, RFC 8058) works
without logging in, and only ever switches those kinds to « never »."""

from django.core import signing

from . import conf
from .models import NotificationPreference
from .notification_kinds import DEFAULTS, Kind

UNSUBSCRIBE_SALT = "participation.unsubscribe"


def preferences_for(user) -> dict[str, str]:
    """{kind: delivery} for every kind, the defaults where the user chose nothing."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.value: chosen.get(kind.value, DEFAULTS[kind.value]) for kind in Kind}


def deliveries_for(user_ids, kind: str) -> dict[int, str]:
    """{user_id: delivery} of one kind for many users (one query)."""
    chosen = dict(NotificationPreference.objects.filter(user_id__in=list(user_ids), kind=kind)
                  .values_list("user_id", "delivery"))
    return {pk: chosen.get(pk, DEFAULTS[kind]) for pk in user_ids}


def make_unsubscribe_token(user, kinds) -> str:
    return signing.dumps({"u": user.pk, "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]]:
    """(user_id, kinds), or raise signing.BadSignature (SignatureExpired included) for a tampered,
    expired or malformed token."""
    data = signing.loads(token or "", salt=UNSUBSCRIBE_SALT, max_age=conf.unsubscribe_max_age())
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), list):
        raise signing.BadSignature("not an unsubscribe token")
    kinds = [k for k in data["k"] if k in Kind.values]
    if not kinds or len(kinds) != len(data["k"]):
        raise signing.BadSignature("unknown kind")
    return data["u"], kinds
