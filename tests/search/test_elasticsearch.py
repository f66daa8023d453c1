"""The Elasticsearch backend's mapping and query bodies, compared with the dictionaries Elasticsearch
expects (no server needed; the live tests are in test_elasticsearch_live.py)."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from search.backends import elastic
from search.backends.elastic import (
    alias_actions,
    corrected_text,
    count_body,
    document_body,
    index_body,
    new_index_name,
    results_from_response,
    search_body,
    suggest_body,
)
from search.documents import AGENTS, SearchDocument
from search.permissions import visibility_filter
from search.query import SearchQuery

GRANTS_19 = {"bool": {"should": [{"bool": {"filter": [
    {"term": {"audience": "public"}},
    {"bool": {"should": [{"terms": {"mairie": ["paris19"]}},
                         {"bool": {"must_not": [{"exists": {"field": "mairie"}}]}}],
              "minimum_should_match": 1}},
]}}], "minimum_should_match": 1}}
PUBLIC_19 = {"bool": {"filter": [GRANTS_19, {"term": {"language": "fr"}}]}}  # in French (test_languages.py)

AGGS = {"type": {"terms": {"field": "type", "size": 50}}, "tags": {"terms": {"field": "tags", "size": 30}},
        "quartier": {"terms": {"field": "quartier", "size": 50}}, "status": {"terms": {"field": "status", "size": 50}}}


@pytest.fixture
def public19(mairie19):
    return visibility_filter(AnonymousUser(), mairie19)


def test_the_index_has_a_french_analyzer_that_folds_accents():
    settings = index_body()["settings"]
    assert settings["number_of_shards"] == 1
    assert settings["analysis"]["analyzer"]["french_folded"] == {
        "type": "custom", "tokenizer": "standard",
        "filter": ["french_elision", "lowercase", "french_stop", "french_light_stemmer", "asciifolding"],
    }
    assert settings["analysis"]["filter"] == {
        "french_elision": {"type": "elision", "articles_case": True, "articles": elastic.ELISION_ARTICLES},
        "french_stop": {"type": "stop", "stopwords": "_french_"},
        "french_light_stemmer": {"type": "stemmer", "language": "light_french"},
    }
    assert settings["analysis"]["analyzer"]["folded"]["filter"] == ["french_elision", "lowercase", "asciifolding"]


LANGUAGE_FIELDS = {"ar": {"type": "text", "analyzer": "arabic"}, "cjk": {"type": "text", "analyzer": "cjk"},
                   "plain": {"type": "text", "analyzer": "plain_folded"}}


def test_the_mapping():
    assert index_body()["mappings"] == {"properties": {
        "doc_id": {"type": "keyword"},
        "type": {"type": "keyword"},
        "mairie": {"type": "keyword"},
        "audience": {"type": "keyword"},
        "title": {"type": "text", "analyzer": "french_folded", "copy_to": "spell",
                  "fields": {**LANGUAGE_FIELDS, "raw": {"type": "keyword"}}},
        "keywords": {"type": "text", "analyzer": "french_folded", "fields": LANGUAGE_FIELDS},
        "body": {"type": "text", "analyzer": "french_folded", "copy_to": "spell", "fields": LANGUAGE_FIELDS},
        "language": {"type": "keyword"},
        "translation_key": {"type": "keyword"},
        "translated_into": {"type": "keyword"},
        "tags": {"type": "keyword"},
        "quartier": {"type": "keyword"},
        "status": {"type": "keyword"},
        "date": {"type": "date"},
        "url": {"type": "keyword", "index": False},
        "spell": {"type": "text", "analyzer": "folded"},
        "suggest": {"type": "search_as_you_type", "analyzer": "folded"},
    }}


def test_a_document_body():
    doc = SearchDocument(type="bureau.project", id="bureau.project:7", mairie="paris19", audience="public",
                         title="Un jardin", body="Des bacs.", url="/bureau/7/", tags=["jardin", "été"],
                         quartier="villette", status="accepted", date=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    assert document_body(doc) == {
        "doc_id": "bureau.project:7", "type": "bureau.project", "mairie": "paris19", "audience": "public",
        "title": "Un jardin", "keywords": "jardin été villette", "body": "Des bacs.", "tags": ["jardin", "été"],
        "quartier": "villette", "status": "accepted", "date": "2026-03-01T09:30:00+00:00", "url": "/bureau/7/",
        "suggest": "Un jardin", "language": "fr", "translation_key": None, "translated_into": [],
    }


def test_the_search_body_filters_inside_the_query(public19):
    query = SearchQuery.build(text="l'école", tags=["jardin"], quartiers=["villette"], page=2, page_size=10)
    assert search_body(query, public19) == {
        "query": {"bool": {
            "must": [{"multi_match": {"query": "l'école", "fields": ["title^3", "keywords^2", "body"],
                                      "type": "cross_fields", "operator": "and"}}],
            "filter": [PUBLIC_19, {"terms": {"quartier": ["villette"]}}, {"term": {"tags": "jardin"}}],
        }},
        "highlight": {
            "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
            "fields": {"title": {"number_of_fragments": 0},
                       "body": {"fragment_size": 220, "number_of_fragments": 1, "no_match_size": 220}},
        },
        "suggest": {"spelling": {"text": "l'école", "term": {"field": "spell", "suggest_mode": "missing",
                                                             "min_word_length": 3}}},
        "aggs": AGGS,
        "track_total_hits": True,
        "from": 10,
        "size": 10,
    }


def test_the_fallback_asks_for_any_word(public19):
    body = search_body(SearchQuery.build(text="école basket"), public19, mode="any")
    assert body["query"]["bool"]["must"][0]["multi_match"]["operator"] == "or"


def test_an_empty_query_browses_newest_first(public19):
    body = search_body(SearchQuery.build(types=["bureau.project"]), public19, mode="browse")
    assert body["query"] == {"bool": {"filter": [PUBLIC_19, {"terms": {"type": ["bureau.project"]}}]}}
    assert body["sort"] == [{"date": {"order": "desc", "missing": "_last"}}, "doc_id"]
    assert "highlight" not in body


def test_agents_get_the_agents_audience_in_the_filter(agent19, mairie19):
    body = search_body(SearchQuery.build(text="perceuse"), visibility_filter(agent19, mairie19))
    grants = body["query"]["bool"]["filter"][0]["bool"]["filter"][0]["bool"]["should"]
    assert grants[1] == {"term": {"audience": AGENTS}}


def test_the_suggest_body_uses_the_search_as_you_type_field(public19):
    assert suggest_body("fête de la mu", public19, limit=5) == {
        "query": {"bool": {
            "must": [{"multi_match": {"query": "fête de la mu", "type": "bool_prefix",
                                      "fields": ["suggest", "suggest._2gram", "suggest._3gram"]}}],
            "filter": [PUBLIC_19]}},
        "_source": ["title", "url", "type"],
        "size": 5,
    }


def test_the_count_body_of_a_did_you_mean_check(public19):
    assert count_body(SearchQuery.build(text="musique"), public19)["query"]["bool"]["filter"] == [PUBLIC_19]


def test_rebuild_moves_the_alias_in_one_call():
    assert alias_actions("mairie-search", ["mairie-search-2", "mairie-search-1"], "mairie-search-3") == [
        {"remove": {"index": "mairie-search-1", "alias": "mairie-search"}},
        {"remove": {"index": "mairie-search-2", "alias": "mairie-search"}},
        {"add": {"index": "mairie-search-3", "alias": "mairie-search"}},
    ]
    assert new_index_name("mairie", datetime(2026, 5, 4, 3, 2, 1, 5, tzinfo=UTC)) == "mairie-search-20260504030201000005"


def test_a_response_becomes_results():
    response = {
        "hits": {"total": {"value": 12, "relation": "eq"}, "hits": [{
            "_id": "bureau.project:7", "_score": 3.21,
            "_source": {"doc_id": "bureau.project:7", "type": "bureau.project", "title": "Un <jardin>",
                        "url": "/bureau/7/", "body": "Des bacs.", "date": "2026-03-01T09:30:00+00:00",
                        "mairie": "paris19", "tags": ["jardin"], "quartier": "villette", "status": "accepted"},
            "highlight": {"body": ["Des <mark>bacs</mark>."]},
        }]},
        "aggregations": {"type": {"buckets": [{"key": "bureau.project", "doc_count": 12}]},
                         "tags": {"buckets": []}, "quartier": {"buckets": []},
                         "status": {"buckets": [{"key": "accepted", "doc_count": 12}]}},
    }
    results = results_from_response(response, SearchQuery.build(text="bacs"), "all")
    assert results.count == 12
    hit = results.hits[0]
    assert (hit.id, hit.score, hit.highlight, hit.title_highlight) == (
        "bureau.project:7", 3.21, "Des <mark>bacs</mark>.", "Un &lt;jardin&gt;")
    assert hit.date == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert results.facets == {"type": {"bureau.project": 12}, "tags": {}, "quartier": {},
                              "status": {"accepted": 12}}


def test_did_you_mean_replaces_the_misspelt_words():
    response = {"suggest": {"spelling": [
        {"text": "ecole", "offset": 0, "length": 5, "options": []},
        {"text": "musiqe", "offset": 6, "length": 6, "options": [{"text": "musique", "score": 0.8, "freq": 3}]},
    ]}}
    assert corrected_text(response, "école musiqe") == "école musique"
    assert corrected_text({"suggest": {"spelling": []}}, "école") is None


def test_without_a_url_the_backend_says_how_to_configure_it(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(ImproperlyConfigured, match="ELASTICSEARCH_URL"):
        _ = elastic.ElasticsearchBackend().client


def test_an_unreachable_server_is_a_503_not_a_500(api19, settings, site_ctx):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    response = api19.get("/api/search/", {"q": "école"})
    assert response.status_code == 503
    assert response.json()["code"] == "search_unavailable"


def test_the_search_page_says_when_the_engine_is_down(client19, settings, site_ctx):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    response = client19.get("/recherche/", {"q": "école"})
    assert response.status_code == 503
    assert "momentanément indisponible" in response.content.decode()


def test_the_type_counts_body_is_an_aggregation_under_the_filter(public19):
    assert elastic.type_counts_body(public19) == {
        "size": 0, "query": {"bool": {"filter": [PUBLIC_19]}},
        "aggs": {"type": {"terms": {"field": "type", "size": 50}}}}
