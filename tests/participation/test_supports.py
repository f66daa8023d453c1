"""The engine's support rules, on a real participatory model (a Bureau project)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.errors import Conflict, NotAllowed, ServiceError
from participation import selectors, services
from participation.models import Follow, Support
from participation.rules import SupportRule
from tests.factories import resident
from tests.factories.bureau import ProjectFactory


@pytest.fixture
def project(mairie19, resident19):
    return ProjectFactory(mairie=mairie19, author=resident19)


def test_support_counts_once_and_follows(project, mairie19):
    voter = resident(mairie19)
    assert services.support_add(user=voter, target=project) == 1
    project.refresh_from_db()
    assert project.supports_count == 1
    assert selectors.has_supported(voter, project)
    assert Follow.objects.filter(user=voter, object_id=project.pk).exists()


def test_second_support_is_refused_with_409(project, mairie19):
    voter = resident(mairie19)
    services.support_add(user=voter, target=project)
    with pytest.raises(Conflict) as exc:
        services.support_add(user=voter, target=project)
    assert exc.value.status_code == 409
    project.refresh_from_db()
    assert project.supports_count == 1 and Support.objects.count() == 1


def test_withdrawing_gives_the_support_back(project, mairie19):
    voter = resident(mairie19)
    services.support_add(user=voter, target=project)
    assert services.support_withdraw(user=voter, target=project) == 0
    assert not selectors.has_supported(voter, project)
    with pytest.raises(Conflict):
        services.support_withdraw(user=voter, target=project)


def test_residents_of_another_mairie_cannot_support(project, resident20):
    with pytest.raises(NotAllowed, match="19e"):
        services.support_add(user=resident20, target=project)
    assert Support.objects.count() == 0


def test_unconfirmed_accounts_cannot_support(project, mairie19):
    voter = resident(mairie19, email_confirmed=False)
    with pytest.raises(NotAllowed, match="Confirmez"):
        services.support_add(user=voter, target=project)


def test_hidden_objects_cannot_be_supported(project, mairie19):
    project.is_hidden = True
    project.save()
    with pytest.raises(NotAllowed):
        services.support_add(user=resident(mairie19), target=project)


def _with_rule(project, rule):
    """Give one project instance another rule, to exercise windows and budgets on real rows."""
    project.support_rule = lambda: rule
    return project


def test_support_outside_the_window_is_refused_with_the_dates(project, mairie19):
    now = timezone.now()
    _with_rule(project, SupportRule(opens_at=now + timedelta(days=1), mairie=mairie19))
    with pytest.raises(ServiceError, match="ouvrent") as exc:
        services.support_add(user=resident(mairie19), target=project)
    assert exc.value.status_code == 400
    _with_rule(project, SupportRule(closes_at=now - timedelta(minutes=1), mairie=mairie19))
    with pytest.raises(ServiceError, match="fermés"):
        services.support_add(user=resident(mairie19), target=project)
    assert Support.objects.count() == 0


def test_budget_limits_supports_in_one_context(mairie19, resident19):
    projects = [ProjectFactory(mairie=mairie19) for _ in range(4)]
    voter = resident(mairie19)
    for p in projects:
        _with_rule(p, SupportRule(context="test:budget", budget=3, mairie=mairie19))
    for p in projects[:3]:
        services.support_add(user=voter, target=p)
    assert services.supports_left(user=voter, target=projects[3]) == 0
    with pytest.raises(Conflict, match="3 soutiens"):
        services.support_add(user=voter, target=projects[3])
    # moving a support: withdraw one, then the fourth is accepted
    services.support_withdraw(user=voter, target=projects[0])
    assert services.supports_left(user=voter, target=projects[3]) == 1
    services.support_add(user=voter, target=projects[3])
    assert Support.objects.filter(user=voter).count() == 3


def test_eligibility_hook_refuses_with_its_message(project, mairie19):
    _with_rule(project, SupportRule(mairie=mairie19, eligible=lambda user: "Réservé aux membres du conseil."))
    with pytest.raises(NotAllowed, match="conseil"):
        services.support_add(user=resident(mairie19), target=project)


def test_closed_rule_refuses(project, mairie19):
    _with_rule(project, SupportRule.closed("Fermé pour travaux."))
    with pytest.raises(ServiceError, match="travaux"):
        services.support_add(user=resident(mairie19), target=project)


def test_supported_ids_in_one_query(mairie19, django_assert_num_queries):
    projects = [ProjectFactory(mairie=mairie19) for _ in range(5)]
    voter = resident(mairie19)
    services.support_add(user=voter, target=projects[1])
    services.support_add(user=voter, target=projects[3])
    with django_assert_num_queries(1):  # the content type is cached: one query for the supports
        ids = selectors.supported_ids(voter, projects)
    assert ids == {projects[1].pk, projects[3].pk}
