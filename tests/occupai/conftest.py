import pytest
from django.core.exceptions import ValidationError

from tests.factories import occupai as f
from tests.factories import organiser, resident


@pytest.fixture
def index19(site_ctx):
    return f.index_page(site_ctx.homes["paris19"])


@pytest.fixture
def index20(site_ctx):
    return f.index_page(site_ctx.homes["paris20"])


@pytest.fixture
def spaces19(mairie19):
    return {
        "salle": f.space(mairie19, name="Salle des fêtes", capacity=300),
        "parvis": f.space(mairie19, name="Parvis avant", capacity=500, is_indoor=False),
        "salon": f.space(mairie19, name="Salon d'honneur", capacity=30),
    }


@pytest.fixture
def make_call(index19, spaces19):
    def make(phase="voting", **fields):
        return f.call_page(index19, phase=phase, spaces=spaces19.values(), **fields)

    return make


@pytest.fixture
def call_voting(make_call):
    return make_call("voting", title="L'été de la mairie")


@pytest.fixture
def call_submission(make_call):
    return make_call("submission", title="Appel ouvert")


@pytest.fixture
def call_selection(make_call):
    return make_call("selection", title="Appel en sélection")


@pytest.fixture
def call20(index20, mairie20):
    parvis20 = f.space(mairie20, name="Parvis du 20e", capacity=400)
    return f.call_page(index20, phase="voting", spaces=[parvis20], title="Appel du 20e")


@pytest.fixture
def other_organiser(mairie20):
    return organiser(mairie20, username="organiser20")


@pytest.fixture
def residents19(mairie19):
    return [resident(mairie19, username=f"voisin{i}") for i in range(3)]


def refuse_with_reason(service, *, actor, proposal, reason, blank=""):
    """A refusal (`service`: proposal_reject, proposal_decline) without a reason is itself refused; with one, it
    goes through and the proposal keeps the reason. Returns the proposal as stored."""
    with pytest.raises(ValidationError):
        service(actor=actor, proposal=proposal, reason=blank)
    service(actor=actor, proposal=proposal, reason=reason)
    proposal.refresh_from_db()
    assert proposal.status_reason == reason
    return proposal
