"""The engine's reads that carry visibility rules."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from cms.cache import remember, sharing_on

from .models import AuditEntry, Follow, Notification, Report, Support


def _ct(obj_or_model):
    return ContentType.objects.get_for_model(obj_or_model, for_concrete_model=False)


def supported_ids(user, objects) -> set[int]:
    """Primary keys, among `objects` (a queryset or a list of one model), that `user` supports."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if hasattr(objects, "model"):
        return set(Support.objects.filter(user=user, content_type=_ct(objects.model), object_id__in=objects.values("pk"))
                   .values_list("object_id", flat=True))
    objects = list(objects)
    return supported_ids_among(user, type(objects[0]), [o.pk for o in objects]) if objects else set()


def supported_ids_among(user, model, pks) -> set[int]:
    """The primary keys among `pks` (of `model`) that `user` supports."""
    if not getattr(user, "is_authenticated", False) or not pks:
        return set()
    return set(Support.objects.filter(user=user, content_type=_ct(model), object_id__in=list(pks))
               .values_list("object_id", flat=True))


def has_supported(user, obj) -> bool:
    return obj.pk in supported_ids(user, [obj])


def is_following(user, obj) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, content_type=_ct(obj), object_id=obj.pk).exists()


def public_timeline(obj):
    return list(AuditEntry.objects.filter(content_type=_ct(obj), object_id=str(obj.pk), public=True)
                .select_related("actor"))


def audit_log(obj):
    return list(AuditEntry.objects.filter(content_type=_ct(obj), object_id=str(obj.pk)).select_related("actor"))


def comments_for(obj, user=None):
    """Public comments of `obj`, threaded: [{"comment", "replies": [...]}], oldest thread first."""
    from django_comments_xtd.models import XtdComment

    rows = list(XtdComment.objects.filter(content_type=_ct(obj), object_pk=str(obj.pk), site_id=settings.SITE_ID,
                                          is_public=True, is_removed=False)
                .select_related("user").order_by("thread_id", "order"))
    threads, by_id = [], {}
    for comment in rows:
        node = {"comment": comment, "replies": []}
        by_id[comment.pk] = node
        if comment.level == 0 or comment.parent_id not in by_id:
            threads.append(node)
        else:
            by_id[comment.parent_id]["replies"].append(node)
    return threads


def comments_viewer_key(user, obj):
    """What the comment list of `obj` depends on about this visitor, for sharing it (participation
    tags): only whether they wrote one of the comments (they get no report link on their own).
    None when the list is not shared (a target without a comment counter, or the page cache off)."""
    from django_comments_xtd.models import XtdComment

    count = getattr(obj, "comments_count", None)
    if count is None or not sharing_on():
        return None
    if not getattr(user, "is_authenticated", False) or not count:
        return (count, 0)
    commenters = remember(f"commenters:{_ct(obj).pk}:{obj.pk}:{count}", lambda: set(
        XtdComment.objects.filter(content_type=_ct(obj), object_pk=str(obj.pk), site_id=settings.SITE_ID)
        .values_list("user_id", flat=True)))
    return (count, user.pk if user.pk in commenters else 0)


def notifications_for(user, unread_only=False):
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def tag_vocabulary(mairie, model=None):
    """Tags in use on a mairie's participatory objects (optionally of one model), most used first."""
    from taggit.models import Tag, TaggedItem

    items = TaggedItem.objects.all()
    if model is not None:
        ids = model._default_manager.filter(mairie=mairie).values("pk")
        items = items.filter(content_type=_ct(model), object_id__in=ids)
    return (Tag.objects.filter(taggit_taggeditem_items__in=items).annotate(uses=Count("taggit_taggeditem_items"))
            .order_by("-uses", "name").distinct())


def open_reports(mairie=None):
    """Unresolved reports grouped by target, for the moderation queue.

    A fixed number of queries whatever the queue's length: the groups, every open report's reason,
    then the reported objects and the objects of reported comments, one query per model."""
    open_ = Report.objects.filter(resolved_at__isnull=True)
    rows = list(open_.values("content_type", "object_id").annotate(n=Count("id")).order_by("-n"))
    reasons, labels = {}, dict(Report.Reason.choices)
    for ct_id, object_id, reason, note in open_.order_by("id").values_list("content_type", "object_id", "reason",
                                                                           "note"):
        # Moderators read the French label ("Hors sujet"), never the stored code ("off_topic").
        reasons.setdefault((ct_id, object_id), []).append(
            {"code": reason, "label": str(labels.get(reason, reason)), "note": note})
    targets = _in_bulk_by_type((row["content_type"], row["object_id"]) for row in rows)
    comments = [t for t in targets.values() if t._meta.label_lower == "django_comments_xtd.xtdcomment"]
    owners = _in_bulk_by_type((c.content_type_id, int(c.object_pk)) for c in comments if c.object_pk.isdigit())
    entries = []
    for row in rows:
        target = targets.get((row["content_type"], row["object_id"]))
        if target is None:
            continue
        ct = ContentType.objects.get_for_id(row["content_type"])
        is_comment = ct.model == "xtdcomment"
        owner = owners.get((target.content_type_id, int(target.object_pk))) if is_comment else target
        if owner is None and is_comment:
            continue
        if mairie is not None and getattr(owner, "mairie_id", None) != mairie.pk:
            continue
        entries.append({"target": target, "owner": owner, "count": row["n"],
                        "reasons": reasons.get((row["content_type"], row["object_id"]), []),
                        "content_type": ct, "is_comment": is_comment})
    return entries


def _in_bulk_by_type(refs):
    """{(content_type_id, pk): object} for (content_type_id, pk) pairs: one query per model."""
    wanted = {}
    for ct_id, pk in refs:
        wanted.setdefault(ct_id, set()).add(pk)
    found = {}
    for ct_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        for pk, obj in model._default_manager.in_bulk(list(pks)).items():
            found[(ct_id, pk)] = obj
    return found


def reports_in_mairie(queryset, mairie_id):
    """`queryset` (reports) cut to those whose target belongs to the mairie: a participatory object
    of that mairie, or a comment on one. One subquery per participatory model, whatever the count."""
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast
    from django_comments_xtd.models import XtdComment

    from . import registry

    condition, on_comments = Q(pk__in=[]), Q(pk__in=[])
    for kind in registry.types().values():
        model = kind.model
        if kind.shared or not any(f.name == "mairie" for f in model._meta.get_fields()):
            continue
        owned = model._default_manager.filter(mairie_id=mairie_id)
        condition |= Q(content_type=_ct(model), object_id__in=owned.values("pk"))
        on_comments |= Q(content_type=_ct(model),
                         object_pk__in=owned.annotate(pk_text=Cast("pk", CharField())).values("pk_text"))
    comments = XtdComment.objects.filter(on_comments).values("pk")
    return queryset.filter(condition | Q(content_type=_ct(XtdComment), object_id__in=comments))
