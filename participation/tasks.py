"""Background work: notification emails. Failures are retried; a notification is never lost:
its row stays with emailed_at empty until a send succeeds."""

import logging

from django.db.models import F
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
DIGEST_MAX_ITEMS = 100  # more waits for the next day's digest


@task()
def send_notification_emails(notification_ids: list[int]):
    """The immediate emails. A notification whose kind the user has since switched to the digest
    or to « never » is left to the digest, or not sent."""
    from .emails import notification_email
    from .models import Notification
    from .notification_kinds import Delivery, kind_of_notification
    from .preferences import preferences_for

    pending = (Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True,
                                           email_delivery=Delivery.IMMEDIATE)
               .select_related("user", "user__mairie"))
    failed, chosen = [], {}
    for notification in pending:
        if not notification.user.email:
            continue
        if notification.user_id not in chosen:
            chosen[notification.user_id] = preferences_for(notification.user)
        delivery = chosen[notification.user_id][kind_of_notification(notification)]
        if delivery != Delivery.IMMEDIATE:
            Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(email_delivery=delivery)
            continue
        try:
            notification_email(notification).send()
        except Exception:  # the mail server is down: keep the row, retry later
            log.warning("notification %s: email failed, will retry", notification.pk, exc_info=True)
            Notification.objects.filter(pk=notification.pk).update(email_attempts=notification.email_attempts + 1)
            if notification.email_attempts + 1 < MAX_ATTEMPTS:
                failed.append(notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return failed


def retry_pending_emails():
    """Re-send what failed (run by `manage.py send_pending_notifications`, e.g. every few minutes)."""
    from .models import Notification
    from .notification_kinds import Delivery

    ids = list(Notification.objects.filter(emailed_at__isnull=True, email_attempts__lt=MAX_ATTEMPTS,
                                           email_delivery=Delivery.IMMEDIATE)
               .values_list("pk", flat=True)[:500])
    if ids:
        return send_notification_emails.call(ids)
    return []


def send_notification_digests(*, now=None) -> dict[str, int]:
    """One email per user with their digest notifications not emailed yet (run daily by
    `manage.py send_notification_digests`). Each user's rows are claimed (emailed_at set by a
    conditional update) before the email goes, so two runs never send the same one twice; a failed
    send gives them back for the next run. Kinds switched to « never » since are not sent."""
    from cms.models import User

    from .emails import digest_email
    from .models import Notification
    from .notification_kinds import Delivery, kind_of_notification
    from .preferences import preferences_for

    now = now or timezone.now()
    due = Notification.objects.filter(email_delivery=Delivery.DIGEST, emailed_at__isnull=True,
                                      email_attempts__lt=MAX_ATTEMPTS, created_at__lte=now).exclude(user__email="")
    counts = {"sent": 0, "failed": 0, "notifications": 0}
    for user in User.objects.filter(pk__in=due.values("user_id"), is_active=True).select_related("mairie"):
        chosen = preferences_for(user)
        rows = list(due.filter(user=user).order_by("created_at", "pk")[:DIGEST_MAX_ITEMS])
        dropped = [n.pk for n in rows if chosen[kind_of_notification(n)] == Delivery.NEVER]
        if dropped:
            Notification.objects.filter(pk__in=dropped, emailed_at__isnull=True).update(email_delivery=Delivery.NEVER)
        wanted = [n.pk for n in rows if n.pk not in set(dropped)]
        stamp = timezone.now()
        if not wanted or not Notification.objects.filter(pk__in=wanted, emailed_at__isnull=True).update(
                emailed_at=stamp):
            continue
        claimed = list(Notification.objects.filter(pk__in=wanted, emailed_at=stamp).order_by("created_at", "pk"))
        try:
            digest_email(user, claimed).send()
        except Exception:  # the mail server is down: give them back to the next run
            log.warning("digest of user %s: email failed, will retry", user.pk, exc_info=True)
            Notification.objects.filter(pk__in=[n.pk for n in claimed], emailed_at=stamp).update(
                emailed_at=None, email_attempts=F("email_attempts") + 1)
            counts["failed"] += 1
            continue
        counts["sent"] += 1
        counts["notifications"] += len(claimed)
    return counts
