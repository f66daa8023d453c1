"""The notification emails: one per notification, or one daily digest; each with a plain-text and
an HTML part, the name of the mairie it comes from, links on that mairie's own host, and a signed
one-click unsubscribe link, also in the List-Unsubscribe headers (RFC 8058)."""

import contextlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.validation import one_line

from . import registry
from .notification_kinds import Kind, kind_of_notification
from .preferences import make_unsubscribe_token


def mairie_of(obj, depth: int = 0):
    """The mairie an object belongs to (its own, or its parent's, as a comment's target's), or None."""
    if obj is None or depth > 3:
        return None
    if getattr(obj, "mairie_id", None):
        return obj.mairie
    kind = registry.type_for(obj)
    if kind is not None and kind.parent_of is not None:
        return mairie_of(kind.parent_of(obj), depth + 1)
    return None


def base_url(mairie) -> str:
    """The mairie's own address (its Site's host and port), else the platform's WAGTAILADMIN_BASE_URL."""
    if mairie is not None:
        with contextlib.suppress(Exception):  # a mairie without a site: the platform's address
            return mairie.site.root_url.rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(base: str, url: str) -> str:
    if not url:
        return ""
    return base + url if url.startswith("/") else url


def _target(notification):
    with contextlib.suppress(Exception):  # a deleted target: the email still goes, without its mairie
        return notification.target
    return None


def notification_mairie(notification):
    """The notification's target's mairie; for a target in no mairie (the agents' wiki), the user's."""
    return mairie_of(_target(notification)) or getattr(notification.user, "mairie", None)


def _unsubscribe(user, kinds, base):
    token = make_unsubscribe_token(user, kinds)
    return base + reverse("notification-unsubscribe", args=[token])


def _message(*, user, subject, template, context, mairie, kinds):
    base = base_url(mairie)
    unsubscribe_url = _unsubscribe(user, kinds, base)
    context = {**context, "user": user, "mairie": mairie, "base_url": base, "unsubscribe_url": unsubscribe_url,
               "preferences_url": base + reverse("account") + "#notifications-preferences",
               "mairie_name": mairie.name if mairie else _("Mairie de demain"),
               "kind_labels": [str(Kind(k).label) for k in kinds]}
    text = render_to_string(f"participation/emails/{template}.txt", context)
    html = render_to_string(f"participation/emails/{template}.html", context)
    message = EmailMultiAlternatives(one_line(subject), text, None, [user.email], headers={
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })
    message.attach_alternative(html, "text/html")
    return message


def _item(notification):
    mairie = notification_mairie(notification)
    return {"title": notification.title, "message": notification.message, "mairie": mairie,
            "url": absolute(base_url(mairie), notification.url), "created_at": notification.created_at}


def notification_email(notification) -> EmailMultiAlternatives:
    """The email of one notification (`notification.user` loaded)."""
    with translation.override(settings.LANGUAGE_CODE):
        item = _item(notification)
        return _message(user=notification.user, subject=notification.title, template="notification",
                        context={"item": item}, mairie=item["mairie"], kinds=[kind_of_notification(notification)])


def digest_email(user, notifications) -> EmailMultiAlternatives:
    """One email for many notifications of a user, oldest first; its unsubscribe link stops the
    kinds it holds."""
    with translation.override(settings.LANGUAGE_CODE):
        items = [_item(n) for n in notifications]
        kinds = sorted({kind_of_notification(n) for n in notifications})
        mairie = getattr(user, "mairie", None) or next((i["mairie"] for i in items if i["mairie"]), None)
        count = len(items)
        subject = ngettext("Votre résumé du jour : %(n)d notification", "Votre résumé du jour : %(n)d notifications",
                           count) % {"n": count}
        return _message(user=user, subject=subject, template="digest", context={"items": items, "count": count},
                        mairie=mairie, kinds=kinds)
