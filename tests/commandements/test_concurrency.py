"""Real concurrent requests on PostgreSQL: one adoption per amendment, one signature per account."""

import pytest
from rest_framework.authtoken.models import Token

from participation.commandements.models import Amendment
from tests.concurrency import post_at_once
from tests.factories import editor, resident
from tests.factories.commandements import AmendmentFactory, make_charter
from tests.factories.demo import seed_demo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_charter(concurrent_server):
    mairie = seed_demo(only=()).mairies["paris19"]
    return make_charter(mairie), mairie


def test_editors_adopting_one_amendment_at_once_make_one_revision(concurrent_server, live_charter):
    charter, mairie = live_charter
    amendment = AmendmentFactory(charter=charter, author=resident(mairie))
    revisions = charter.revisions.count()
    tokens = [Token.objects.create(user=editor(mairie)).key for _ in range(6)]
    codes = post_at_once(f"{concurrent_server.url}/api/commandements/amendments/{amendment.pk}/adopt/", tokens)
    assert sorted(codes) == [200] + [409] * 5, codes
    assert charter.revisions.count() == revisions + 1
    assert Amendment.objects.get(pk=amendment.pk).status == "adopted"


def test_one_account_signing_twenty_times_at_once_signs_once(concurrent_server, live_charter):
    charter, mairie = live_charter
    token = Token.objects.create(user=resident(mairie)).key
    codes = post_at_once(f"{concurrent_server.url}/api/commandements/signature/", [token] * 20)
    assert codes.count(201) == 1 and codes.count(409) == 19, codes
    charter.refresh_from_db()
    assert charter.supports_count == 1
