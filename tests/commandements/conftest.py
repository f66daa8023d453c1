import pytest

from tests.factories.commandements import make_charter


@pytest.fixture
def charter19(mairie19, editor19):
    """The 19e's published charter of 19, consultation open from yesterday to next week."""
    return make_charter(mairie19, user=editor19)


@pytest.fixture
def charter20(mairie20):
    return make_charter(mairie20)
