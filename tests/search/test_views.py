"""The search page /recherche/: accessible, works without JavaScript, per mairie."""

import re

import pytest

from search import services
from search.documents import AGENTS
from tests.conftest import client_as
from tests.factories.search import search_doc


@pytest.fixture
def corpus(index, site_ctx):
    index(
        search_doc("Fête de la musique", "Concert sur le parvis.", key="musique", tags=["culture"],
                   quartier="villette", status="accepted"),
        search_doc("Fête des voisins", "Un repas dans la cour de l'immeuble.", key="voisins", tags=["voisinage"]),
        search_doc("Atelier des agents", "Fête interne.", key="agents", mairie=None, audience=AGENTS),
    )


def test_the_page_has_one_labelled_search_box_and_one_h1(client19, site_ctx):
    html = client19.get("/recherche/").content.decode()
    assert html.count("<h1") == 1
    assert re.search(r'<label for="search-q">', html) and 'id="search-q"' in html
    assert 'role="search"' in html and 'method="get"' in html
    assert "<script>" not in html and "style=" not in html
    assert 'src="/static/search/suggest.js"' in html


def test_results_show_type_title_link_extract_and_date(corpus, client19):
    response = client19.get("/recherche/", {"q": "fête"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 résultats pour « fête »" in html
    assert '<a href="/test/musique/"><mark>Fête</mark> de la musique</a>' in html
    assert '<span class="badge">Page</span>' in html
    assert '<time datetime="2026-01-01' in html
    assert "Atelier des agents" not in html


def test_agents_find_the_agents_documents_on_the_page(corpus, agent19):
    html = client_as(agent19).get("/recherche/", {"q": "fête"}).content.decode()
    assert "Atelier des agents" in html and "3 résultats" in html


def test_facets_are_checkboxes_with_counts_in_the_get_form(corpus, client19):
    html = client19.get("/recherche/", {"q": "fête"}).content.decode()
    assert re.search(r'<input type="checkbox" name="tag" value="culture" id="facet-tags-\d+">', html)
    assert re.search(r'<legend>Mots-clés</legend>', html)
    assert "(1<span class=\"visually-hidden\"> résultat</span>)" in html
    assert "Appliquer les filtres" in html


def test_an_active_filter_is_checked_and_can_be_removed(corpus, client19):
    html = client19.get("/recherche/", {"q": "fête", "tag": "culture"}).content.decode()
    assert "1 résultat pour « fête »" in html
    assert re.search(r'value="culture" id="facet-tags-\d+" checked', html)
    assert "Retirer le filtre « culture »" in html and 'href="?q=f%C3%AAte"' in html


def test_pagination_links(index, client19, site_ctx):
    index(*[search_doc(f"Conseil de quartier n°{i}", key=f"c{i}") for i in range(45)])
    html = client19.get("/recherche/", {"q": "conseil", "page": "2"}).content.decode()
    assert 'aria-label="Pages de résultats"' in html
    assert 'href="?q=conseil&amp;page=1" rel="prev"' in html and 'href="?q=conseil&amp;page=3" rel="next"' in html
    assert re.search(r'href="\?q=conseil&amp;page=2" aria-current="page"', html)
    assert '<ol class="search-hits" start="21">' in html


def test_did_you_mean_links_to_the_corrected_search(corpus, client19):
    html = client19.get("/recherche/", {"q": "musiqe"}).content.decode()
    assert "Vous vouliez dire" in html and 'href="?q=musique"' in html
    assert "Aucun résultat pour « musiqe »" in html


def test_the_empty_state_helps(corpus, client19):
    html = client19.get("/recherche/", {"q": "zzzzzz"}).content.decode()
    assert "Aucun résultat pour « zzzzzz »" in html and "Vérifiez l'orthographe" in html


def test_the_start_page_offers_to_browse_by_type(corpus, client19):
    html = client19.get("/recherche/").content.decode()
    assert "Parcourir" in html and 'href="?type=cms.standardpage"' in html


def test_a_page_past_the_end_is_a_400_with_a_way_back(corpus, client19):
    response = client19.get("/recherche/", {"q": "fête", "page": "9"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "n&#x27;existe pas" in html and "première page" in html


@pytest.mark.parametrize(("params", "message"), [
    ({"q": "fête", "page": "abc"}, "nombre entier"),
    ({"q": "fête", "type": "inconnu"}, "Type de contenu inconnu"),
])
def test_bad_parameters_are_explained(corpus, client19, params, message):
    response = client19.get("/recherche/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_demo_pages_are_searchable_per_mairie(client19, client20, site_ctx):
    services.index_rebuild()
    hits19 = _hits(client19.get("/recherche/", {"q": "plateforme"}))
    assert '<a href="/a-propos/">À propos de la <mark>plateforme</mark></a>' in hits19
    hits20 = _hits(client20.get("/recherche/", {"q": "bienvenue"}))
    assert "20e" in hits20 and "19e" not in hits20


def _hits(response):
    html = response.content.decode()
    return html[html.index('<ol class="search-hits"'):html.index("</ol>")]
