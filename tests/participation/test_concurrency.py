"""Real concurrent HTTP requests against a live server on PostgreSQL: counts stay exact."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from cms.demo import DemoContext, seed_core
from participation.models import Support
from tests.factories import resident
from tests.factories.bureau import ProjectFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _fire(url, tokens, method="POST"):
    """Send one request per token, all released at once; return the status codes."""
    barrier = threading.Barrier(len(tokens))
    codes = []
    lock = threading.Lock()

    def one(token):
        request = urllib.request.Request(url, method=method, data=b"{}",
                                         headers={"Authorization": f"Token {token}",
                                                  "Content-Type": "application/json"})
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                code = response.status
        except urllib.error.HTTPError as exc:
            code = exc.code
            json.loads(exc.read() or b"{}")  # every refusal is a JSON error body
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


@pytest.fixture
def live_project(concurrent_server):
    ctx = DemoContext(stdout=lambda line: None)
    seed_core(ctx, port=80)
    project = ProjectFactory(mairie=ctx.mairies["paris19"], author=ctx.users["habitant"])
    return project, ctx


def test_fifty_residents_supporting_at_once_give_exactly_fifty(concurrent_server, live_project):
    project, ctx = live_project
    voters = [resident(ctx.mairies["paris19"]) for _ in range(50)]
    tokens = [Token.objects.create(user=v).key for v in voters]
    codes = _fire(f"{concurrent_server.url}/api/bureau/projects/{project.pk}/vote/", tokens)
    assert codes.count(201) == 50, codes
    project.refresh_from_db()
    assert project.supports_count == 50
    assert Support.objects.filter(object_id=project.pk).count() == 50


def test_one_resident_sending_twenty_supports_at_once_counts_once(concurrent_server, live_project):
    project, ctx = live_project
    voter = resident(ctx.mairies["paris19"])
    token = Token.objects.create(user=voter).key
    codes = _fire(f"{concurrent_server.url}/api/bureau/projects/{project.pk}/vote/", [token] * 20)
    assert codes.count(201) == 1, codes
    assert codes.count(409) == 19, codes
    project.refresh_from_db()
    assert project.supports_count == 1
    assert Support.objects.filter(object_id=project.pk).count() == 1
