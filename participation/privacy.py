"""The engine's part of a resident's personal data (cms.privacy): their supports, follows,
notifications, reports, comments and what they authored in every participatory space; erased
with the account except what integrity needs (supports and reports keep counting)."""

import contextlib

from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment

from cms.privacy import DELETED_COMMENT_NAME, register_eraser, register_exporter

from . import registry
from .models import Follow, Notification, NotificationPreference, Report, Support
from .preferences import preferences_for


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


def export_supports(user):
    return [{**_target_info(s.content_type_id, s.object_id), "context": s.context, "created_at": _iso(s.created_at)}
            for s in Support.objects.filter(user=user).order_by("created_at", "pk")]


def export_follows(user):
    return [{**_target_info(f.content_type_id, f.object_id), "created_at": _iso(f.created_at)}
            for f in Follow.objects.filter(user=user).order_by("created_at", "pk")]


def export_notifications(user):
    return [{"ref": _ref(n.content_type_id, n.object_id), "verb": n.verb, "title": n.title, "message": n.message,
             "url": n.url, "created_at": _iso(n.created_at), "read_at": _iso(n.read_at),
             "emailed_at": _iso(n.emailed_at), "email_delivery": n.email_delivery}
            for n in Notification.objects.filter(user=user).order_by("created_at", "pk")]


def export_notification_preferences(user):
    """How each kind of notification is emailed to them: {kind: delivery}, defaults included."""
    return preferences_for(user)


def export_reports(user):
    return [{"ref": _ref(r.content_type_id, r.object_id), "reason": r.reason, "note": r.note,
             "created_at": _iso(r.created_at), "resolved_at": _iso(r.resolved_at)}
            for r in Report.objects.filter(user=user).order_by("created_at", "pk")]


def export_comments(user):
    return [{**_target_info(c.content_type_id, c.object_pk), "comment_id": c.pk, "text": c.comment,
             "submitted_at": _iso(c.submit_date), "public": c.is_public and not c.is_removed,
             "reply_to": c.parent_id if c.parent_id != c.pk else None}
            for c in XtdComment.objects.filter(user=user).order_by("submit_date", "pk")]


def export_contributions(user):
    """What the user authored in every participatory space (projects, proposals, amendments...)."""
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


def erase(user) -> None:
    """Follows and notifications go; a report keeps counting but loses its free text (it may name
    someone); supports stay, pointing at the anonymised account; comments lose their author's name."""
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    Report.objects.filter(user=user).update(note="")
    XtdComment.objects.filter(user=user).update(user_name=DELETED_COMMENT_NAME, user_email="", user_url="",
                                                ip_address=None)


def register() -> None:
    """Called from ParticipationConfig.ready()."""
    for name, fn in (("supports", export_supports), ("follows", export_follows),
                     ("notifications", export_notifications),
                     ("notification_preferences", export_notification_preferences), ("reports", export_reports),
                     ("contributions", export_contributions), ("comments", export_comments)):
        register_exporter(name, fn)
    register_eraser("participation", erase)
