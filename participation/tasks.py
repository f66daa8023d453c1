"""Background work: notification emails. Failures are retried; a notification is never lost:
its row stays with emailed_at empty until a send succeeds."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from cms.validation import one_line

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@task()
def send_notification_emails(notification_ids: list[int]):
    from .models import Notification

    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("user")
    failed = []
    for notification in pending:
        if not notification.user.email:
            continue
        try:
            send_mail(one_line(notification.title), _email_body(notification), None, [notification.user.email])
        except Exception:  # the mail server is down: keep the row, retry later
            log.warning("notification %s: email failed, will retry", notification.pk, exc_info=True)
            Notification.objects.filter(pk=notification.pk).update(email_attempts=notification.email_attempts + 1)
            if notification.email_attempts + 1 < MAX_ATTEMPTS:
                failed.append(notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return failed


def _email_body(notification):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    parts = [notification.message]
    if notification.url:
        parts.append(base + notification.url if notification.url.startswith("/") else notification.url)
    return "\n\n".join(p for p in parts if p)


def retry_pending_emails():
    """Re-send what failed (run by `manage.py send_pending_notifications`, e.g. every few minutes)."""
    from .models import Notification

    ids = list(Notification.objects.filter(emailed_at__isnull=True, email_attempts__lt=MAX_ATTEMPTS)
               .values_list("pk", flat=True)[:500])
    if ids:
        return send_notification_emails.call(ids)
    return []
