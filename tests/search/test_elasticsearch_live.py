"""Against a live Elasticsearch (8.x): run with
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/pytest tests/search -m elasticsearch
Skipped, saying why, when ELASTICSEARCH_URL is not set. Each test uses its own index prefix and
deletes its indices at the end."""

import os
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from search.backends.elastic import ElasticsearchBackend
from search.documents import AGENTS
from search.permissions import visibility_filter
from search.query import SearchQuery
from tests.factories.search import search_doc

URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(not URL, reason="no live Elasticsearch: set ELASTICSEARCH_URL=http://host:9200 to run"),
]


@pytest.fixture
def backend():
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    backend = ElasticsearchBackend(url=URL, prefix=prefix)
    yield backend
    names = list(backend.client.indices.get(index=f"{prefix}-search-*", allow_no_indices=True))
    if names:  # by name: clusters refuse wildcard deletes (action.destructive_requires_name)
        backend.client.indices.delete(index=",".join(names))


@pytest.fixture
def loaded(backend):
    backend.rebuild([
        search_doc("L'école Tanger rénovée", "Les travaux de la cour.", key="ecole", tags=["école"]),
        search_doc("Nouvel équipement sportif", "Un terrain de basket.", key="equipement", quartier="villette"),
        search_doc("Un projet pour la place", "Des bancs.", key="projet"),
        search_doc("Fête du 20e", "Belleville.", key="f20", mairie="paris20"),
        search_doc("Perceuse des agents", "Réglages.", key="agents", mairie=None, audience=AGENTS),
    ])
    return backend


def _ids(results):
    return [hit.id for hit in results.hits]


@pytest.mark.parametrize(("text", "key"), [("l'école", "ecole"), ("ecole", "ecole"), ("equipement", "equipement"),
                                           ("projets", "projet")])
def test_french_matching(loaded, mairie19, text, key):
    results = loaded.search(SearchQuery.build(text=text), visibility_filter(AnonymousUser(), mairie19))
    assert f"cms.standardpage:{key}" in _ids(results)


def test_visibility_is_in_the_query(loaded, mairie19, agent19):
    public = loaded.search(SearchQuery.build(), visibility_filter(AnonymousUser(), mairie19))
    assert set(_ids(public)) == {"cms.standardpage:ecole", "cms.standardpage:equipement", "cms.standardpage:projet"}
    assert public.count == 3 and sum(public.facets["type"].values()) == 3
    agent = loaded.search(SearchQuery.build(text="perceuse"), visibility_filter(agent19, mairie19))
    assert _ids(agent) == ["cms.standardpage:agents"]


def test_highlight_facets_and_suggest(loaded, mairie19):
    visibility = visibility_filter(AnonymousUser(), mairie19)
    results = loaded.search(SearchQuery.build(text="équipements"), visibility)
    assert "<mark>" in results.hits[0].title_highlight
    assert results.facets["quartier"] == {"villette": 1}
    assert [s["title"] for s in loaded.suggest("nouvel équi", visibility)] == ["Nouvel équipement sportif"]


def test_rebuild_switches_the_alias_and_drops_the_old_index(loaded):
    before = set(loaded.client.indices.get_alias(name=loaded.alias))
    loaded.rebuild([search_doc("Seul document", key="seul")])
    after = set(loaded.client.indices.get_alias(name=loaded.alias))
    assert len(after) == 1 and not before & after
    assert loaded.doc_ids() == {"cms.standardpage:seul"}


def test_index_and_remove_one_document(loaded, mairie19):
    visibility = visibility_filter(AnonymousUser(), mairie19)
    loaded.index([search_doc("Vide-grenier", key="vg")])
    assert _ids(loaded.search(SearchQuery.build(text="vide grenier"), visibility)) == ["cms.standardpage:vg"]
    loaded.remove(["cms.standardpage:vg"])
    assert loaded.search(SearchQuery.build(text="vide grenier"), visibility).count == 0
