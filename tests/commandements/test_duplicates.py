"""One open amendment per wording: a second one with the same words (whatever the case, spacing
and punctuation) gets 409 naming the first; an adoption closes the open amendments whose wording
it made the charter's."""

import pytest

from cms.errors import Conflict
from participation.commandements import services
from participation.commandements.models import Amendment
from participation.models import AuditEntry
from tests.conftest import api_as
from tests.factories import resident

BASE = "/api/commandements/amendments/"


def _propose(user, charter, number=3, **wording):
    wording = wording or {"proposed_mairie_commitment": "La mairie répond dans la semaine."}
    return services.amendment_submit(user=user, charter=charter, number=number, rationale="Plus clair.", **wording)


def test_the_same_wording_again_gets_409_pointing_to_the_open_amendment(charter19, resident19, mairie19):
    first = _propose(resident19, charter19)
    neighbour = resident(mairie19, username="voisine")
    response = api_as(neighbour).post(BASE, {
        "number": 3, "proposed_mairie_commitment": "  la MAIRIE répond, dans la semaine !  ",
        "rationale": "Je propose la même chose."}, format="json")
    assert response.status_code == 409, response.json()
    data = response.json()
    assert data["code"] == "duplicate"
    assert data["existing"] == {"id": first.pk, "url": first.get_absolute_url()}
    assert str(first.pk) in data["detail"]
    assert Amendment.objects.filter(charter=charter19).count() == 1


def test_a_different_wording_or_another_commandement_is_not_a_duplicate(charter19, resident19):
    _propose(resident19, charter19)
    _propose(resident19, charter19, proposed_mairie_commitment="La mairie répond dans la journée.")
    _propose(resident19, charter19, number=4)
    assert Amendment.objects.filter(charter=charter19, status=Amendment.Status.OPEN).count() == 3


def test_an_amendment_no_longer_open_does_not_block_the_same_wording(charter19, resident19):
    first = _propose(resident19, charter19)
    services.amendment_withdraw(user=resident19, amendment=first)
    again = _propose(resident19, charter19)
    assert again.pk != first.pk and again.status == Amendment.Status.OPEN


def test_the_html_door_says_the_same_as_the_api(charter19, resident19):
    first = _propose(resident19, charter19)
    with pytest.raises(Conflict) as refused:
        _propose(resident19, charter19, proposed_mairie_commitment="La mairie répond dans la semaine")
    assert refused.value.extra["existing"]["id"] == first.pk


def test_adoption_closes_the_open_amendments_it_made_the_text(charter19, resident19, editor19, mairie19):
    adopted = _propose(resident19, charter19)
    # Same words, said with the title and resident side unchanged spelled out: same resulting text.
    same = Amendment.objects.create(
        mairie=mairie19, charter=charter19, number=3, author=resident(mairie19, username="autre"),
        proposed_title="Titre 3", proposed_mairie_commitment="La mairie répond dans la semaine.",
        proposed_resident_commitment="Vous vous engagez, n° 3.", rationale="Pareil.")
    other = _propose(resident19, charter19, proposed_mairie_commitment="La mairie répond dans l'heure.")
    elsewhere = _propose(resident19, charter19, number=4)

    services.amendment_adopt(actor=editor19, amendment=adopted)

    same.refresh_from_db()
    assert same.status == Amendment.Status.SUPERSEDED
    assert str(adopted.pk) in same.decision_reason and same.decided_by == editor19
    assert AuditEntry.objects.filter(object_id=str(same.pk), action="superseded", public=True).exists()
    other.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (other.status, elsewhere.status) == (Amendment.Status.OPEN, Amendment.Status.OPEN)
