"""GET /api/search/ and /api/search/suggest/: shape, facets, pages, errors as 400 with a message."""

import pytest

from search.documents import AGENTS
from tests.conftest import api_as
from tests.factories.search import search_doc


@pytest.fixture
def corpus(index, site_ctx):
    index(
        search_doc("Fête de la musique", "Concert sur le parvis de la mairie.", key="musique",
                   tags=["culture", "été"], quartier="villette", status="accepted"),
        search_doc("Fête des voisins", "Un repas dans la cour.", key="voisins", tags=["voisinage"],
                   quartier="combat", status="accepted"),
        search_doc("Fête foraine", "Manèges sur le bassin.", key="foraine", tags=["culture"], quartier="villette",
                   status="proposed", type="cms.homepage"),
        search_doc("Fête du 20e", "Belleville en musique.", key="f20", mairie="paris20"),
        search_doc("Fête des agents", "Le pot de fin d'année.", key="agents", mairie=None, audience=AGENTS),
    )


def test_results_have_the_documented_shape(corpus, api19):
    response = api19.get("/api/search/", {"q": "fête musique"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "page", "num_pages", "match", "results", "facets", "suggestions"}
    assert data["count"] == 1 and data["match"] == "all"
    hit = data["results"][0]
    assert set(hit) >= {"type", "id", "title", "url", "highlight", "score", "date"}
    assert hit["id"] == "cms.standardpage:musique" and hit["type_label"] == "Page"
    assert hit["title_highlight"] == "<mark>Fête</mark> de la <mark>musique</mark>"
    assert hit["highlight"] == "Concert sur le parvis de la mairie."
    assert hit["score"] > 0 and hit["date"].startswith("2026-01-01")


def test_facets_are_counted_on_the_filtered_results(corpus, api19):
    data = api19.get("/api/search/", {"q": "fête"}).json()
    assert data["count"] == 3
    assert data["facets"] == {
        "type": {"cms.standardpage": 2, "cms.homepage": 1},
        "tags": {"culture": 2, "voisinage": 1, "été": 1},
        "quartier": {"villette": 2, "combat": 1},
        "status": {"accepted": 2, "proposed": 1},
    }
    filtered = api19.get("/api/search/", {"q": "fête", "quartier": "villette", "tag": "culture"}).json()
    assert {r["id"] for r in filtered["results"]} == {"cms.standardpage:musique", "cms.homepage:foraine"}
    assert filtered["facets"]["status"] == {"accepted": 1, "proposed": 1}
    only_pages = api19.get("/api/search/", {"q": "fête", "type": "cms.homepage"}).json()
    assert [r["id"] for r in only_pages["results"]] == ["cms.homepage:foraine"]


def test_tags_must_all_match_and_statuses_may_be_any(corpus, api19):
    both = api19.get("/api/search/?q=fête&tag=culture&tag=été").json()
    assert [r["id"] for r in both["results"]] == ["cms.standardpage:musique"]
    any_status = api19.get("/api/search/?q=fête&status=accepted&status=proposed").json()
    assert any_status["count"] == 3


def test_agents_see_agents_documents_through_the_api(corpus, agent19, api19):
    assert api19.get("/api/search/", {"q": "pot"}).json()["count"] == 0
    assert api_as(agent19).get("/api/search/", {"q": "pot"}).json()["count"] == 1


def test_the_20e_host_answers_with_the_20e(corpus, api20):
    data = api20.get("/api/search/", {"q": "fête"}).json()
    assert [r["id"] for r in data["results"]] == ["cms.standardpage:f20"]


def test_pagination(index, api19, site_ctx):
    index(*[search_doc(f"Réunion publique {i}", key=f"r{i}") for i in range(25)])
    first = api19.get("/api/search/", {"q": "réunion", "page_size": 10}).json()
    last = api19.get("/api/search/", {"q": "réunion", "page_size": 10, "page": 3}).json()
    assert (first["count"], first["num_pages"], len(first["results"])) == (25, 3, 10)
    assert len(last["results"]) == 5
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in last["results"]}


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"q": "fête", "page": "deux"}, "page", "nombre entier"),
    ({"q": "fête", "page": "0"}, "page", "commence à 1"),
    ({"q": "fête", "page": "99999999999999999999"}, "page", "dépasser"),
    ({"q": "fête", "page": "7"}, "page", "n'existe pas"),
    ({"q": "fête", "type": "nope.nope"}, "type", "inconnu"),
    ({"q": "fête", "page_size": "500"}, "page_size", ""),
])
def test_bad_parameters_are_a_400_with_a_message(corpus, api19, params, field, message):
    response = api19.get("/api/search/", params)
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid" and field in data["errors"]
    assert message in data["detail"]


def test_unknown_facet_values_are_simply_empty(corpus, api19):
    data = api19.get("/api/search/", {"q": "fête", "tag": "inconnu", "quartier": "nulle-part", "status": "?"}).json()
    assert data["count"] == 0 and data["results"] == []


def test_an_empty_page_of_an_empty_search_is_fine(api19, site_ctx):
    data = api19.get("/api/search/", {"q": "introuvable"}).json()
    assert (data["count"], data["num_pages"], data["results"]) == (0, 1, [])


def test_suggest_returns_visible_titles(corpus, api19, agent19):
    data = api19.get("/api/search/suggest/", {"q": "fête de"}).json()
    titles = [s["title"] for s in data["suggestions"]]
    assert "Fête de la musique" in titles and "Fête des agents" not in titles and "Fête du 20e" not in titles
    assert data["suggestions"][0]["type_label"]
    agent_titles = [s["title"] for s in api_as(agent19).get("/api/search/suggest/", {"q": "fête ag"}).json()["suggestions"]]
    assert agent_titles == ["Fête des agents"]
    assert api19.get("/api/search/suggest/", {"q": ""}).json() == {"suggestions": []}


def test_the_api_root_lists_search(api19):
    endpoints = api19.get("/api/").json()["endpoints"]
    assert endpoints["search"].endswith("/api/search/")
    assert endpoints["search-suggest"].endswith("/api/search/suggest/")


def test_the_schema_documents_both_endpoints(api19):
    response = api19.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    search = schema["paths"]["/api/search/"]["get"]
    assert {p["name"] for p in search["parameters"]} >= {"q", "type", "tag", "quartier", "status", "page"}
    ref = search["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][ref]["properties"]) >= {"count", "results", "facets", "suggestions"}
    assert "/api/search/suggest/" in schema["paths"]


def test_search_is_throttled_with_its_own_scope(corpus, api19, settings):
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "search": "3/min"}
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        codes = [api19.get("/api/search/", {"q": "fête"}).status_code for _ in range(4)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
    assert codes == [200, 200, 200, 429]
