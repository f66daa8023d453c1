"""/healthz (cms/health.py): JSON for monitors, 200 while the app server can serve, 503 when it cannot,
and nothing an attacker could use."""

import datetime as dt
import json

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from cms.health import ReplicaLag


def _late_task(minutes):
    task = DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="cms.tasks.nothing",
                                       backend_name="default", run_after=get_date_max())
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - dt.timedelta(minutes=minutes))
    return task


def test_healthz_is_200_json_when_every_check_passes(client19):
    response = client19.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "tasks", "search"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]


def test_a_task_waiting_too_long_is_a_warning_then_unhealthy(client19, settings):
    settings.HEALTH_TASK_BACKLOG_MINUTES = 10
    _late_task(minutes=5)  # within the backlog allowed
    assert client19.get("/healthz").json()["status"] == "ok"

    _late_task(minutes=12)
    response = client19.get("/healthz")
    assert response.status_code == 200  # still serving: a load balancer keeps it
    tasks = response.json()["checks"]["tasks"]
    assert response.json()["status"] == "warning" and tasks["status"] == "warning"
    assert "1 task(s) waiting for more than 10 minutes" in tasks["message"]

    _late_task(minutes=25)
    response = client19.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and response.json()["checks"]["tasks"]["status"] == "unavailable"


def test_a_task_planned_for_later_is_not_late(client19):
    task = _late_task(minutes=60)
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() + dt.timedelta(hours=1))
    assert client19.get("/healthz").json()["checks"]["tasks"]["status"] == "ok"


def test_a_broken_cache_makes_the_server_unavailable_without_saying_where_it_is(client19, settings):
    settings.CACHES = {**django_settings.CACHES, "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client19.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache:sessions"] == {"status": "unavailable", "ms": body["checks"]["cache:sessions"]["ms"]}
    assert body["checks"]["database"]["status"] == "ok"
    text = json.dumps(body)
    assert "127.0.0.1" not in text and "redis" not in text.lower() and django_settings.SECRET_KEY not in text


def test_healthz_answers_any_accept_header_with_json(client19):
    assert client19.get("/healthz", HTTP_ACCEPT="text/html").json()["status"] == "ok"


@pytest.mark.postgres
def test_the_replica_check_says_when_its_server_is_not_a_replica(db):
    """The lag query runs on PostgreSQL; pointed at the primary, the check says it is no replica."""
    from health_check.exceptions import ServiceWarning

    with pytest.raises(ServiceWarning, match="not a replica"):
        ReplicaLag(alias="default").check()
