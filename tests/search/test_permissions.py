"""Who finds what: the same query as anonymous, resident, agent, organiser; the filter is inside the
engine's query, so counts, pages, facets and suggestions agree with the hits."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search.documents import AGENTS
from search.permissions import visibility_filter
from search.selectors import search_suggestions
from tests.factories.search import search_doc
from tests.search.conftest import ids


@pytest.fixture
def docs(index):
    index(
        search_doc("Jardin partagé du 19e", "Composteur et potager.", key="p19", mairie="paris19", tags=["jardin"]),
        search_doc("Jardin partagé du 20e", "Potager à Belleville.", key="p20", mairie="paris20",
                   tags=["jardin", "belleville"]),
        search_doc("Jardin : la charte de toute la ville", "Pour tous les potagers.", key="pall", mairie=None),
        search_doc("Jardinière autoportée", "Le bricolage des agents pour le potager.", key="agents",
                   mairie="paris20", audience=AGENTS, type="bricolages.bricolage", tags=["outil"]),
    )


@pytest.fixture
def users(resident19, resident20, agent19, organiser19, editor19):
    return {"anonymous": AnonymousUser(), "resident": resident19, "resident20": resident20, "agent": agent19,
            "organiser": organiser19, "editor": editor19}


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", {"p19", "pall"}),
    ("resident", {"p19", "pall"}),
    ("resident20", {"p19", "pall"}),  # on the 19e's site, whatever their home mairie
    ("agent", {"p19", "pall", "agents"}),
    ("organiser", {"p19", "pall", "agents"}),
    ("editor", {"p19", "pall", "agents"}),
])
def test_the_same_query_on_the_19e_for_each_role(docs, users, find, mairie19, who, expected):
    results = find("potager", user=users[who], mairie=mairie19)
    found = {hit.id.split(":")[1] for hit in results.hits}
    assert found == expected
    assert results.count == len(expected)


def test_a_20e_document_never_shows_on_the_19e(docs, users, find, mairie19, mairie20):
    for user in users.values():
        assert "cms.standardpage:p20" not in ids(find("belleville", user=user, mairie=mairie19))
    assert ids(find("belleville", mairie=mairie20)) == ["cms.standardpage:p20"]


def test_an_agents_document_never_shows_to_a_resident_even_in_counts_and_facets(docs, users, find, mairie19):
    results = find("potager", user=users["resident"], mairie=mairie19)
    assert "bricolages.bricolage" not in results.facets["type"]
    assert "outil" not in results.facets["tags"]
    assert find("", user=users["resident"], mairie=mairie19, types=["bricolages.bricolage"]).count == 0
    agent = find("", user=users["agent"], mairie=mairie19, types=["bricolages.bricolage"])
    assert ids(agent) == ["bricolages.bricolage:agents"]


def test_facets_count_only_what_the_user_may_see(docs, users, find, mairie19):
    results = find("potager", user=users["agent"], mairie=mairie19)
    assert results.facets["type"] == {"cms.standardpage": 2, "bricolages.bricolage": 1}
    assert results.facets["tags"] == {"jardin": 1, "outil": 1}


def test_pages_stay_right_under_the_filter(index, find, mairie19):
    index(*[search_doc(f"Atelier vélo numéro {i}", key=f"v{i}", mairie="paris20" if i % 2 else "paris19")
            for i in range(30)])
    first = find("atelier vélo", mairie=mairie19, page_size=10)
    third = find("atelier vélo", mairie=mairie19, page_size=10, page=2)
    assert first.count == 15 and first.num_pages == 2
    assert len(first.hits) == 10 and len(third.hits) == 5
    assert all(int(h.id.split(":v")[1]) % 2 == 0 for h in first.hits + third.hits)


def test_suggestions_while_typing_respect_the_filter(docs, users, mairie19):
    def titles(user):
        return {s["title"] for s in search_suggestions(user=user, mairie=mairie19, text="jardi")}

    assert titles(users["resident"]) == {"Jardin partagé du 19e", "Jardin : la charte de toute la ville"}
    assert "Jardinière autoportée" in titles(users["agent"])


def test_did_you_mean_never_reveals_a_word_from_a_hidden_document(index, users, find, mairie19):
    index(search_doc("Perceuse visseuse", "Réglages de la perceuse.", key="secret", mairie=None, audience=AGENTS,
                     type="bricolages.bricolage"))
    assert find("perceuze", user=users["resident"], mairie=mairie19).suggestions == []
    assert find("perceuze", user=users["agent"], mairie=mairie19).suggestions == ["perceuse"]


def test_the_rule_is_one_function_translated_for_both_engines(users, mairie19):
    public = visibility_filter(users["resident"], mairie19)
    agent = visibility_filter(users["agent"], mairie19)
    assert public.allows("public", "paris19") and public.allows("public", None)
    assert not public.allows("public", "paris20") and not public.allows("agents", None)
    assert agent.allows("agents", "paris20")
    sql, params = public.as_sql("e")
    assert sql == "((e.audience = %s AND (e.mairie IN (%s) OR e.mairie IS NULL))) AND e.language = %s"
    assert params == ["public", "paris19", "fr"]  # French documents only, in French (test_languages.py)
    assert agent.as_es()["bool"]["filter"][0]["bool"]["should"][1] == {"term": {"audience": "agents"}}


def test_without_a_mairie_only_platform_wide_documents_show(docs, find):
    assert ids(find("jardin")) == ["cms.standardpage:pall"]


def test_the_start_page_counts_only_visible_types(docs, users, mairie19):
    from search.selectors import search_type_counts

    assert search_type_counts(user=users["resident"], mairie=mairie19) == {"cms.standardpage": 2}
    assert search_type_counts(user=users["agent"], mairie=mairie19) == {"cms.standardpage": 2,
                                                                       "bricolages.bricolage": 1}
