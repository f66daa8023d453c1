"""Real concurrent HTTP requests against a live server on PostgreSQL: counts stay exact."""

import pytest
from rest_framework.authtoken.models import Token

from participation.models import Support
from tests.concurrency import post_at_once
from tests.factories import resident
from tests.factories.bureau import ProjectFactory
from tests.factories.demo import seed_demo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_project(concurrent_server):
    ctx = seed_demo(only=())
    project = ProjectFactory(mairie=ctx.mairies["paris19"], author=ctx.users["habitant"])
    return project, ctx


def test_fifty_residents_supporting_at_once_give_exactly_fifty(concurrent_server, live_project):
    project, ctx = live_project
    voters = [resident(ctx.mairies["paris19"]) for _ in range(50)]
    tokens = [Token.objects.create(user=v).key for v in voters]
    codes = post_at_once(f"{concurrent_server.url}/api/bureau/projects/{project.pk}/vote/", tokens)
    assert codes.count(201) == 50, codes
    project.refresh_from_db()
    assert project.supports_count == 50
    assert Support.objects.filter(object_id=project.pk).count() == 50


def test_one_resident_sending_twenty_supports_at_once_counts_once(concurrent_server, live_project):
    project, ctx = live_project
    voter = resident(ctx.mairies["paris19"])
    token = Token.objects.create(user=voter).key
    codes = post_at_once(f"{concurrent_server.url}/api/bureau/projects/{project.pk}/vote/", [token] * 20)
    assert codes.count(201) == 1, codes
    assert codes.count(409) == 19, codes
    project.refresh_from_db()
    assert project.supports_count == 1
    assert Support.objects.filter(object_id=project.pk).count() == 1
