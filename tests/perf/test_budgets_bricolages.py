"""Query budgets of the Bricolages wiki: its list with its sorts and filters, a bricolage's page, its
history and the API, as many queries with 100 bricolages, comments, ratings, retours, variants or
versions as with 5 (see tests/perf/budgets.py), for each role that may enter the wiki (agents,
editors, organisers)."""

from html import unescape

import pytest

from bricolages.services import StepInput
from tests.bricolages.conftest import _media  # noqa: F401 - step pictures and attachments in this test's folders
from tests.conftest import api_as, client_as
from tests.factories import perf as many
from tests.factories.bricolages import (
    bricolage,
    csv_upload,
    many_agents,
    many_bricolages,
    many_feedback,
    many_ratings,
    many_revisions,
    png_upload,
)

from .budgets import API_BUDGET, PAGE_BUDGET, assert_all_flat, assert_flat

ROLES = ["agent", "editor", "organiser"]


@pytest.fixture
def agents(mairie19, mairie20):
    """Agents of the 19e and the 20e, in turn: authors, raters, commenters."""
    return many_agents([mairie19, mairie20], 200)


@pytest.fixture
def users(agent19, editor19, organiser19):
    return {"agent": agent19, "editor": editor19, "organiser": organiser19}


def _rated(pages, raters, feedback_from):
    """Three ratings and a retour (in use) on each bricolage: the list's sorts have something to sort."""
    for page in pages:
        many_ratings(page, raters, stars=page.pk)
        many_feedback(page, feedback_from)


@pytest.mark.parametrize("who", ROLES)
def test_the_list_its_sorts_and_its_filters(who, settings, users, agents):
    settings.BRICOLAGES_PAGE_SIZE = 100  # every bricolage on one page: 5 cards, then 100
    authors, raters = agents[:10], agents[10:13]
    tags = ("accueil", "état civil")
    _rated(many_bricolages(authors, 5, tags=tags), raters, agents[13:14])

    def grow():
        pages = many_bricolages(authors, 95, start=5, tags=tags, tools=("Tableur", "Plastifieuse"))
        _rated(pages, raters, agents[14:15])
        many_bricolages(authors, 3, start=100, variant_of=pages[0], tags=("hors liste",))

    client = client_as(users[who])
    urls = ["/bricolages/", "/bricolages/?tri=recent", "/bricolages/?tri=adoption",
            "/bricolages/?etiquette=etat-civil&tri=recent", "/bricolages/?outil=tableur&mairie=paris19&q=bricolage",
            "/bricolages/?etiquette=accueil&page=2"]
    (first, second), _recent, _adoption, (_tagged_few, tagged), *_others = assert_all_flat(
        [(client, url, PAGE_BUDGET) for url in urls], grow)
    assert "Bricolage n° 004" in first.content.decode() and "5 bricolages" in first.content.decode()
    assert "Bricolage n° 099" in second.content.decode() and "103 bricolages" in second.content.decode()
    assert "100 bricolages" in tagged.content.decode()  # not the variants, tagged otherwise
    settings.BRICOLAGES_PAGE_SIZE = 12
    assert_flat(client, "/bricolages/?etiquette=accueil&page=2", lambda: None, PAGE_BUDGET)


@pytest.mark.parametrize("who", ROLES)
def test_a_bricolage_its_discussion_ratings_retours_and_variants(who, users, agents):
    """The page and its API (detail, retours, rating) on the same data."""
    page = bricolage(agents[0], title="Tableur de file d'attente", tags=["accueil", "état civil"],
                     tools=["Tableur"], add_attachments=[csv_upload()],
                     steps=[StepInput(text="Ouvrir le modèle.", upload=png_upload(), alt="Une grille de tableur"),
                            StepInput(text="Noter les arrivées.")])
    many.comments(page, agents[1:5], 5)
    many_ratings(page, agents[1:6])
    many_feedback(page, agents[1:6])
    many_bricolages(agents[:4], 5, variant_of=page, tags=("accueil",))

    def grow():
        many.comments(page, agents[1:5], 95, start=5)
        many_ratings(page, agents[6:101])
        many_feedback(page, agents[6:101], start=5)
        many_bricolages(agents[:4], 95, start=5, variant_of=page, tags=("accueil",))
        many.supports(page, agents[101:111])

    user = users[who]
    client, api = client_as(user), api_as(user)
    results = assert_all_flat([
        (client, f"/bricolages/{page.pk}/", PAGE_BUDGET),
        (api, f"/api/bricolages/{page.pk}/", API_BUDGET),
        (api, f"/api/bricolages/{page.pk}/feedback/?page_size=100", API_BUDGET),
        (api, f"/api/bricolages/{page.pk}/rating/", API_BUDGET),
    ], grow)
    (_page, html), (_detail, detail), (_feedback, feedback), (few, lots) = results
    body = unescape(html.content.decode())
    assert "Commentaire n° 99" in body and "Retour d'expérience n° 99" in body and "Bricolage n° 099" in body
    assert "100 notes" in body and "100 variantes" in body
    assert len(detail.json()["variants"]) == 100 and len(feedback.json()["results"]) == 100
    assert few.json()["rating"]["count"] == 5 and lots.json()["rating"]["count"] == 100


@pytest.mark.parametrize("who", ROLES)
def test_the_history_of_a_bricolage_and_its_revisions_api(who, users, agents):
    page = bricolage(agents[0], title="Tableur de file d'attente")
    many_revisions(page, agents[:10], 4)  # with the first one, 5 versions

    user = users[who]
    results = assert_all_flat([
        (client_as(user), f"/bricolages/{page.pk}/historique/", PAGE_BUDGET),
        (client_as(user), f"/bricolages/{page.pk}/historique/?page=4", PAGE_BUDGET),
        (api_as(user), f"/api/bricolages/{page.pk}/revisions/?page_size=100", API_BUDGET),
    ], lambda: many_revisions(page, agents, 95, start=4))
    (first, second), (_last_few, last), (few, lots) = results
    assert "Modification n° 3" in first.content.decode() and "Page 1 sur 4" in second.content.decode()
    assert "Première version" in last.content.decode()
    assert few.json()["count"] == 5 and len(lots.json()["results"]) == 100


@pytest.mark.parametrize("who", ["agent", "organiser"])
def test_the_api_list_its_orderings_and_filters(who, users, agents):
    authors, raters = agents[:10], agents[10:13]
    _rated(many_bricolages(authors, 5, tags=("accueil", "état civil")), raters, agents[13:14])

    def grow():
        pages = many_bricolages(authors, 95, start=5, tags=("accueil", "état civil"), tools=("Tableur", "Scanner"))
        _rated(pages, raters, agents[14:15])

    api = api_as(users[who])
    urls = ["/api/bricolages/?page_size=100", "/api/bricolages/?ordering=recent&page_size=100",
            "/api/bricolages/?ordering=adoption&page_size=100",
            "/api/bricolages/?tag=etat-civil&tool=tableur&mairie=paris19&q=bricolage&page_size=100"]
    (first, second), *_others = assert_all_flat([(api, url, API_BUDGET) for url in urls], grow)
    assert first.json()["count"] == 5 and len(second.json()["results"]) == 100
    assert {"accueil", "état civil"} <= set(second.json()["results"][99]["tags"])
