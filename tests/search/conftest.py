import os
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from search import selectors, services
from search.query import SearchQuery


@pytest.fixture
def index(db):
    """Index documents directly: index(doc, doc, ...)."""

    def add(*docs):
        services.document_index(documents=list(docs))
        return docs

    return add


@pytest.fixture
def find():
    """find(text, user=None, mairie=None, **filters) -> SearchResults (the selectors' door)."""

    def run(text="", user=None, mairie=None, **filters):
        query = SearchQuery.build(text=text, **filters)
        return selectors.search_results(user=user or AnonymousUser(), mairie=mairie, query=query)

    return run


def ids(results):
    return [hit.id for hit in results.hits]


@pytest.fixture
def es_cluster(settings):
    """SEARCH_BACKEND=elasticsearch on an in-memory cluster behind the real client (a recording
    transport: tests/search/fake_elasticsearch.py)."""
    from tests.search.fake_elasticsearch import Cluster

    cluster = Cluster()
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "https://es.test:9200"
    settings.ELASTICSEARCH_NODE_CLASS = cluster.node_class()
    return cluster


LIVE_URL = os.environ.get("ELASTICSEARCH_URL", "")
LIVE = [pytest.mark.elasticsearch,
        pytest.mark.skipif(not LIVE_URL, reason="no live Elasticsearch: set ELASTICSEARCH_URL=http://host:9200 to run")]


@pytest.fixture
def es_live(settings):
    """SEARCH_BACKEND=elasticsearch on the live cluster at ELASTICSEARCH_URL, with an index prefix of
    its own, whose indices are deleted at the end."""
    from search.backends import get_backend

    prefix = f"test-{uuid.uuid4().hex[:10]}"
    settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = "elasticsearch", LIVE_URL
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    yield
    client = get_backend().client
    names = list(client.indices.get(index=f"{prefix}-search-*", allow_no_indices=True))
    if names:  # by name: clusters refuse wildcard deletes (action.destructive_requires_name)
        client.indices.delete(index=",".join(names))
