"""Many rows at once for the query-budget tests: comments, notifications, audit entries, reports."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from participation.models import AuditEntry, Notification, Report, Support


def _ct(obj):
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def comments(target, users, n, replies_every=3, start=0):
    """`n` public comments on `target`, every `replies_every`-th one a reply to the one before,
    stored as django-comments-xtd stores them (thread, parent, level, order)."""
    from django_comments_xtd.models import XtdComment

    made, top = [], None
    for i in range(start, start + n):
        user = users[i % len(users)]
        comment = XtdComment(content_type=_ct(target), object_pk=str(target.pk), site_id=settings.SITE_ID,
                             user=user, user_name=user.public_name[:50], user_email=user.email,
                             comment=f"Commentaire n° {i}", is_public=True, submit_date=timezone.now())
        if top is not None and i % replies_every == replies_every - 1:
            comment.parent_id = top.pk
        comment.save()
        if comment.parent_id == comment.pk or comment.level == 0:
            top = comment
        made.append(comment)
    type(target)._default_manager.filter(pk=target.pk).update(comments_count=start + len(made))
    return made


def notifications(user, target, n):
    return Notification.objects.bulk_create([
        Notification(user=user, content_type=_ct(target), object_id=target.pk, verb="comment",
                     title=f"Nouveau commentaire n° {i}", message="…", url="/") for i in range(n)])


def audit_entries(target, actor, n):
    return [AuditEntry.objects.create(actor=actor, mairie_id=target.mairie_id, content_type=_ct(target),
                                      object_id=str(target.pk), action="transition", label=f"Étape {i}",
                                      reason=f"Parce que {i}", public=True) for i in range(n)]


def reports(targets, users):
    return Report.objects.bulk_create([
        Report(user=user, content_type=_ct(target), object_id=target.pk, reason="spam")
        for target in targets for user in users])


def supports(target, users):
    rows = Support.objects.bulk_create([Support(user=u, content_type=_ct(target), object_id=target.pk)
                                        for u in users])
    type(target)._default_manager.filter(pk=target.pk).update(supports_count=len(rows))
    return rows
