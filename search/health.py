"""The search app's line in /healthz (cms.health.register_check): syncs waiting for a retry, and
whether the engine answered lately. A warning, never "unavailable": the site still serves, and the
failed syncs are replayed when the engine is back."""

from django.utils import timezone
from health_check.exceptions import ServiceWarning

from .conf import backend_name
from .models import SyncFailure

COUNT_LIMIT = 10_000


def _engine_down() -> bool:
    if backend_name() != "elasticsearch":
        return False
    from .backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend().is_down()


def sync_failures_check():
    if _engine_down():
        from .backends.elastic import DOWN_SECONDS

        raise ServiceWarning(f"the search engine did not answer in the last {DOWN_SECONDS} s: searches answer "
                             "503, syncs are recorded for a retry")
    failures = SyncFailure.objects.order_by()
    count = failures[:COUNT_LIMIT].count()
    if count:
        oldest = failures.order_by("first_failed_at").values_list("first_failed_at", flat=True).first()
        minutes = int((timezone.now() - oldest).total_seconds() // 60)
        raise ServiceWarning(f"{count} search sync(s) failed and wait for a retry, the oldest for {minutes} min "
                             "(manage.py search_replay_failed --list)")
