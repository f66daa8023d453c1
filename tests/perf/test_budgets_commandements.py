"""Query budgets of les 19 commandements: the charter page (and its poster and hall screen), a
commandement's page, an amendment's page and the API, as many queries with 100 amendments,
signatures, comments, published wordings or reports as with 5 (see tests/perf/budgets.py), for
each visitor who can see them (the charter is public; editors see the decisions' forms)."""

from html import unescape

import pytest

from participation.commandements.models import Amendment
from tests.conftest import api_as, client_as
from tests.factories import perf as many
from tests.factories.commandements import (
    make_charter,
    many_amendments,
    many_reports,
    many_residents,
    many_signatures,
    many_versions,
)

from .budgets import API_BUDGET, PAGE_BUDGET, assert_all_flat, assert_flat

ROOT = "/19-commandements/"
OPEN, DECIDED = (Amendment.Status.OPEN,), (Amendment.Status.ADOPTED, Amendment.Status.REJECTED,
                                           Amendment.Status.WITHDRAWN)


@pytest.fixture
def charter19(mairie19, editor19):
    return make_charter(mairie19, user=editor19)


@pytest.fixture
def people(mairie19, agent19):
    """Residents of the 19e, and one of its agents, who write, support, sign and comment."""
    return [*many_residents(mairie19, 150), agent19]


@pytest.fixture
def users(resident19, editor19):
    return {"resident": resident19, "editor": editor19}


def _client(who, client19, users):
    return client19 if who == "anonymous" else client_as(users[who])


def _api(who, api19, users):
    return api19 if who == "anonymous" else api_as(users[who])


def _supported(amendments, users):
    for amendment in amendments:
        many.supports(amendment, users)


@pytest.mark.parametrize("who", ["anonymous", "resident", "editor"])
def test_the_charter_page_its_poster_and_its_hall_screen(who, client19, charter19, users, people):
    _supported(many_amendments(charter19, people[:20], 5, statuses=OPEN), users.values())
    many_signatures(charter19, people[:5])
    many_reports(charter19, 3, 5)
    many_versions(charter19, 7, 2, people[:20])

    def grow():
        _supported(many_amendments(charter19, people[:20], 95, start=5, statuses=OPEN), [users["resident"]])
        many_amendments(charter19, people[:20], 30, start=100, statuses=DECIDED)  # not on the charter's page
        many_signatures(charter19, people[5:100])
        many_reports(charter19, 3, 30, start=5)
        many_versions(charter19, 7, 20, people[:20], start=2)

    client = _client(who, client19, users)
    results = assert_all_flat([(client, url, PAGE_BUDGET) for url in
                               (ROOT, f"{ROOT}affiche/", f"{ROOT}ecran/?n=7", f"{ROOT}ecran/?defilement=1")], grow)
    (first, second), *_others = results
    assert "proposition n° 004" in first.content.decode() and "proposition n° 005" not in first.content.decode()
    body = unescape(second.content.decode())
    assert "proposition n° 099" in body and "proposition n° 100" not in body
    assert "<strong>100</strong> personnes ont signé la charte." in body
    assert "Écrit avec 22 contributions" in body


@pytest.mark.parametrize("who", ["anonymous", "resident", "editor"])
def test_a_commandement_page_with_its_amendments_history_and_reports(who, client19, api19, charter19, users,
                                                                      people):
    """The page and the API's history and reports of the same commandement, on the same data."""
    _supported(many_amendments(charter19, people[:20], 3, number=4, statuses=OPEN), users.values())
    many_amendments(charter19, people[:20], 2, start=3, number=4, statuses=DECIDED)
    many_versions(charter19, 4, 4, people[:20])  # with the first one, 5 wordings
    many_reports(charter19, 4, 5)
    many_amendments(charter19, people[:20], 5, start=200, number=5, statuses=OPEN)  # another commandement's

    def grow():
        _supported(many_amendments(charter19, people[:20], 45, start=5, number=4, statuses=OPEN),
                   [users["resident"]])
        many_amendments(charter19, people[:20], 50, start=50, number=4, statuses=DECIDED)
        many_versions(charter19, 4, 95, people[:20], start=4)
        many_reports(charter19, 4, 95, start=5)

    results = assert_all_flat([
        (_client(who, client19, users), f"{ROOT}commandement/4/", PAGE_BUDGET),
        (_api(who, api19, users), "/api/commandements/4/history/", API_BUDGET),
        (_api(who, api19, users), "/api/commandements/4/reports/", API_BUDGET),
    ], grow)
    (_page, page), (few, lots), (_reports, reports) = results
    body = unescape(page.content.decode())
    assert "proposition n° 049" in body and "proposition n° 099" in body and "proposition n° 200" not in body
    assert "formulation n° 98" in body and "Compte rendu n° 99" in body
    assert len(few.json()) == 5 and len(lots.json()) == 100 and len(lots.json()[-1]["amendments"]) == 1
    assert len(reports.json()) == 100


@pytest.mark.parametrize("who", ["anonymous", "resident", "editor"])
def test_an_amendment_page_with_its_discussion_and_timeline(who, client19, charter19, users, people, editor19):
    amendment = many_amendments(charter19, people[:1], 1, number=9, statuses=OPEN)[0]
    many.comments(amendment, people[:4], 5)
    many.audit_entries(amendment, editor19, 5)

    def grow():
        many.comments(amendment, people[:4], 95, start=5)
        many.audit_entries(amendment, editor19, 95)
        many.supports(amendment, people[1:101])

    _first, second = assert_flat(_client(who, client19, users), f"{ROOT}amendements/{amendment.pk}/", grow,
                                 PAGE_BUDGET)
    assert "Commentaire n° 99" in second.content.decode() and "Étape 94" in second.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_the_amendments_api_its_filters_and_one_amendment(who, api19, charter19, users, people):
    _supported(many_amendments(charter19, people[:20], 5, number=2, statuses=OPEN), users.values())
    many_versions(charter19, 2, 1, people[:20])

    def grow():
        _supported(many_amendments(charter19, people[:20], 60, start=5, number=2, statuses=OPEN),
                   [users["resident"]])
        many_amendments(charter19, people[:20], 40, start=65, number=3, statuses=(*OPEN, *DECIDED))
        many_versions(charter19, 2, 30, people[:20], start=1)

    client = _api(who, api19, users)
    urls = ["/api/commandements/amendments/?page_size=100",
            "/api/commandements/amendments/?number=2&status=open&page_size=100",
            "/api/commandements/amendments/?status=adopted&page_size=100"]
    (first, second), (_few_open, open_ones), _adopted = assert_all_flat([(client, url, API_BUDGET) for url in urls],
                                                                        grow)
    assert first.json()["count"] == 6 and len(second.json()["results"]) == 100
    assert open_ones.json()["count"] == 65
    published = next(a for a in second.json()["results"] if a["published_in_version"])
    assert_flat(client, f"/api/commandements/amendments/{published['id']}/", lambda: None, API_BUDGET)


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_the_charter_and_signature_api(who, api19, charter19, users, people):
    many_signatures(charter19, people[:5])
    many_versions(charter19, 7, 5, people[:20])
    many_amendments(charter19, people[:20], 5, statuses=OPEN)

    def grow():
        many_signatures(charter19, people[5:100])
        for number in (1, 8, 19):
            many_versions(charter19, number, 30, people[:20], start=5 + number * 30)
        many_amendments(charter19, people[:20], 95, start=5, statuses=OPEN)

    client = _api(who, api19, users)
    (first, second), (_few, signatures) = assert_all_flat([
        (client, "/api/commandements/", API_BUDGET),
        (client, "/api/commandements/signature/", API_BUDGET),
    ], grow)
    assert first.json()["signatures_count"] == 5 and second.json()["signatures_count"] == 100
    assert second.json()["version"] == 96 and second.json()["commandements"][18]["contributions_count"] == 30
    assert signatures.json()["signatures_count"] == 100
