"""The guide of the 19e as the demo writes it (six situations, thirteen démarches, its services),
and the people of a carnet's story: a resident, the agent of the service it is shared with, and
another agent of the same mairie who is in no service."""

import pytest

from guide import demo
from guide.models import DemarchePage, Service
from tests.conftest import built_once_per_module
from tests.factories import agent


def _seed():
    from tests.conftest import core_demo

    demo.seed(core_demo())


_guide = built_once_per_module(_seed)  # once per module: each test's writes go with its savepoint


@pytest.fixture
def guide19(_guide, site_ctx):
    return site_ctx


@pytest.fixture
def creche(guide19):
    return DemarchePage.objects.get(mairie=guide19.mairies["paris19"], slug="inscription-creche")


@pytest.fixture
def services19(guide19):
    return {s.slug: s for s in Service.objects.filter(mairie=guide19.mairies["paris19"])}


@pytest.fixture
def family_agent(mairie19, services19):
    """An agent of the Relais informations familles (the service of the crèche démarche)."""
    user = agent(mairie19, username="agent-rif")
    services19["relais-familles"].agents.add(user)
    return user


@pytest.fixture
def other_agent(mairie19, services19):
    """An agent of the 19e at the CASVP: not the service the carnet is shared with."""
    user = agent(mairie19, username="agent-casvp")
    services19["casvp"].agents.add(user)
    return user
