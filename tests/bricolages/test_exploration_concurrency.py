"""The shared waiting list under real concurrency (PostgreSQL, real threads, one connection each):
a day never gets more seats taken than its capacity, and a freed seat goes to one person only."""

import pytest

from bricolages.explorations import services
from bricolages.models import ExplorationApplication
from tests.concurrency import race
from tests.factories import agent
from tests.factories.explorations import exploration_day

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_capacity_holds_when_every_agent_applies_at_once(mairie19, mairie20, agent19):
    day = exploration_day(agent19, capacity=2)
    people = [agent(mairie20 if i % 2 else mairie19, username=f"explo{i}") for i in range(8)]
    results = race([lambda u=u: services.exploration_apply(user=u, day=day, goals="Voir") for u in people],
                   atomic=True)
    assert all(isinstance(r, ExplorationApplication) for r in results), results
    assert ExplorationApplication.objects.filter(day=day, status="confirmed").count() == 2
    assert ExplorationApplication.objects.filter(day=day, status="waiting").count() == 6


def test_two_cancellations_at_once_promote_two_people_in_order(mairie20, agent19):
    day = exploration_day(agent19, capacity=2)
    people = [agent(mairie20, username=f"explo-c{i}") for i in range(5)]
    applications = [services.exploration_apply(user=u, day=day, goals="Voir") for u in people]
    race([lambda a=a: services.exploration_cancel(user=a.agent, application=a) for a in applications[:2]],
         atomic=True)
    statuses = {a.agent.username: a.status for a in ExplorationApplication.objects.filter(day=day)}
    assert statuses == {"explo-c0": "cancelled", "explo-c1": "cancelled", "explo-c2": "confirmed",
                        "explo-c3": "confirmed", "explo-c4": "waiting"}
