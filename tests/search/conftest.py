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
