"""Real concurrent requests on PostgreSQL: one adoption per amendment, one signature per account."""

import threading
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from cms.demo import DemoContext, seed_core
from participation.commandements.models import Amendment
from tests.factories import editor, resident
from tests.factories.commandements import AmendmentFactory, make_charter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _fire(url, tokens, method="POST"):
    barrier = threading.Barrier(len(tokens))
    codes, lock = [], threading.Lock()

    def one(token):
        request = urllib.request.Request(url, method=method, data=b"{}", headers={
            "Authorization": f"Token {token}", "Content-Type": "application/json"})
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                code = response.status
        except urllib.error.HTTPError as exc:
            code = exc.code
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


@pytest.fixture
def live_charter(concurrent_server):
    ctx = DemoContext(stdout=lambda line: None)
    seed_core(ctx, port=80)
    mairie = ctx.mairies["paris19"]
    return make_charter(mairie), mairie


def test_editors_adopting_one_amendment_at_once_make_one_revision(concurrent_server, live_charter):
    charter, mairie = live_charter
    amendment = AmendmentFactory(charter=charter, author=resident(mairie))
    revisions = charter.revisions.count()
    tokens = [Token.objects.create(user=editor(mairie)).key for _ in range(6)]
    codes = _fire(f"{concurrent_server.url}/api/commandements/amendments/{amendment.pk}/adopt/", tokens)
    assert sorted(codes) == [200] + [409] * 5, codes
    assert charter.revisions.count() == revisions + 1
    assert Amendment.objects.get(pk=amendment.pk).status == "adopted"


def test_one_account_signing_twenty_times_at_once_signs_once(concurrent_server, live_charter):
    charter, mairie = live_charter
    token = Token.objects.create(user=resident(mairie)).key
    codes = _fire(f"{concurrent_server.url}/api/commandements/signature/", [token] * 20)
    assert codes.count(201) == 1 and codes.count(409) == 19, codes
    charter.refresh_from_db()
    assert charter.supports_count == 1
