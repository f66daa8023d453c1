"""The Elasticsearch backend (SEARCH_BACKEND=elasticsearch, ELASTICSEARCH_URL).

Written with `elasticsearch.dsl` (the DSL inside elasticsearch-py, where elasticsearch-dsl 8.18
now lives; importing from there keeps the way to Elasticsearch 9 open).

- A custom French analyzer: elision, lowercase, French stop words, the light French stemmer and
  asciifolding (the built-in `french` analyzer keeps accents: "equipement" would miss "équipement").
- Readers and writers use an alias (`<prefix>-search`); a rebuild creates a new index, bulk-loads
  it, then moves the alias in one atomic update_aliases call and deletes the old index: no downtime.
- Highlighting, facets as terms aggregations, "did you mean" from a term suggester, and a
  search_as_you_type field for suggestions while typing.
- The visibility filter (search.permissions) sits in the bool query's filter context, so totals,
  pages and aggregations only ever count what the user may see.

The functions building bodies are pure and tested against expected dictionaries; the live tests
(tests/search/test_elasticsearch_live.py) run when ELASTICSEARCH_URL is set.
"""

from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Keyword,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

from ..conf import elasticsearch_prefix, elasticsearch_url
from ..highlight import extract
from ..query import FACETS, TAG_FACET_SIZE, Hit, SearchQuery, SearchResults
from . import SearchBackend

ELISION_ARTICLES = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]

french_elision = token_filter("french_elision", type="elision", articles_case=True, articles=ELISION_ARTICLES)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_light_stemmer", type="stemmer", language="light_french")

french_folded = analyzer("french_folded", tokenizer="standard",
                         filter=[french_elision, "lowercase", french_stop, french_stemmer, "asciifolding"])
folded = analyzer("folded", tokenizer="standard", filter=[french_elision, "lowercase", "asciifolding"])

FIELDS_ALL = ["title^3", "keywords^2", "body"]
SUGGEST_FIELDS = ["suggest", "suggest._2gram", "suggest._3gram"]
FACET_FIELDS = {"type": "type", "tags": "tags", "quartier": "quartier", "status": "status"}


class IndexedDocument(Document):
    """The mapping of one search document."""

    doc_id = Keyword()
    type = Keyword()
    mairie = Keyword()
    audience = Keyword()
    title = Text(analyzer=french_folded, copy_to="spell", fields={"raw": Keyword()})
    keywords = Text(analyzer=french_folded)
    body = Text(analyzer=french_folded, copy_to="spell")
    tags = Keyword()
    quartier = Keyword()
    status = Keyword()
    date = Date()
    url = Keyword(index=False)
    spell = Text(analyzer=folded)
    suggest = SearchAsYouType(analyzer=folded)


def alias_name(prefix=None):
    return f"{prefix or elasticsearch_prefix()}-search"


def new_index_name(prefix=None, now=None):
    now = now or datetime.now(UTC)
    return f"{alias_name(prefix)}-{now:%Y%m%d%H%M%S%f}"


def index_definition(name) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1)
    index.document(IndexedDocument)
    return index


def index_body() -> dict:
    """settings (with the analyzers) and mappings of a new index."""
    return index_definition("unused").to_dict()


def document_body(doc) -> dict:
    keywords = " ".join([*doc.tags, doc.quartier or ""]).strip()
    return {
        "doc_id": doc.id, "type": doc.type, "mairie": doc.mairie or None, "audience": doc.audience,
        "title": doc.title, "keywords": keywords, "body": doc.body, "tags": list(doc.tags),
        "quartier": doc.quartier or None, "status": doc.status or None,
        "date": doc.date.isoformat() if doc.date else None, "url": doc.url, "suggest": doc.title,
    }


def _filters(query: SearchQuery, visibility) -> list:
    filters = [visibility.as_es()]
    if query.types:
        filters.append({"terms": {"type": list(query.types)}})
    if query.quartiers:
        filters.append({"terms": {"quartier": list(query.quartiers)}})
    if query.statuses:
        filters.append({"terms": {"status": list(query.statuses)}})
    filters.extend({"term": {"tags": tag}} for tag in query.tags)
    return filters


def _text_query(text, mode):
    return Q("multi_match", query=text, fields=FIELDS_ALL, type="cross_fields",
             operator="and" if mode == "all" else "or")


def search_request(query: SearchQuery, visibility, mode="all") -> Search:
    """The Search for a page of results; mode "all" (every word), "any" (fallback) or "browse"."""
    search = Search()
    if mode == "browse":
        search = search.query(Q("bool", filter=_filters(query, visibility)))
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "doc_id")
    else:
        search = search.query(Q("bool", must=[_text_query(query.text, mode)], filter=_filters(query, visibility)))
        search = search.highlight_options(pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html")
        search = search.highlight("title", number_of_fragments=0)
        search = search.highlight("body", fragment_size=220, number_of_fragments=1, no_match_size=220)
        search = search.suggest("spelling", query.text, term={"field": "spell", "suggest_mode": "missing",
                                                              "min_word_length": 3})
    for name, field in FACET_FIELDS.items():
        size = TAG_FACET_SIZE if name == "tags" else 50
        search.aggs.bucket(name, "terms", field=field, size=size)
    search = search.extra(track_total_hits=True)
    return search[query.offset:query.offset + query.page_size]


def search_body(query: SearchQuery, visibility, mode="all") -> dict:
    return search_request(query, visibility, mode).to_dict()


def count_body(query: SearchQuery, visibility) -> dict:
    return {"query": {"bool": {"must": [_text_query(query.text, "all").to_dict()],
                               "filter": _filters(query, visibility)}}}


def suggest_body(text, visibility, limit=8) -> dict:
    search = Search().query(Q("bool", must=[Q("multi_match", query=text, type="bool_prefix", fields=SUGGEST_FIELDS)],
                              filter=[visibility.as_es()]))
    search = search.source(["title", "url", "type"])
    return search[:limit].to_dict()


def type_counts_body(visibility) -> dict:
    return {"size": 0, "query": {"bool": {"filter": [visibility.as_es()]}},
            "aggs": {"type": {"terms": {"field": "type", "size": 50}}}}


def alias_actions(alias, old_indices, new_index) -> list[dict]:
    """One atomic update_aliases call: the alias leaves the old indices and points at the new one."""
    actions = [{"remove": {"index": old, "alias": alias}} for old in sorted(old_indices)]
    actions.append({"add": {"index": new_index, "alias": alias}})
    return actions


def _date(value):
    return parse_datetime(value) if isinstance(value, str) else None


def results_from_response(response: dict, query: SearchQuery, mode) -> SearchResults:
    results = SearchResults(query=query, match="all" if mode == "browse" else mode)
    hits = response.get("hits", {})
    total = hits.get("total", 0)
    results.count = total.get("value", 0) if isinstance(total, dict) else int(total)
    for hit in hits.get("hits", []):
        source, marks = hit.get("_source", {}), hit.get("highlight", {})
        body_html = marks.get("body", [None])[0]
        title_html = marks.get("title", [None])[0]
        results.hits.append(Hit(
            type=source.get("type", ""), id=source.get("doc_id", hit.get("_id")), title=source.get("title", ""),
            url=source.get("url", ""),
            highlight=mark_safe(body_html) if body_html else extract(source.get("body", ""), ()),  # noqa: S308 -- encoder=html
            title_highlight=mark_safe(title_html) if title_html else mark_safe(escape(source.get("title", ""))),  # noqa: S308
            score=round(hit.get("_score") or 0.0, 4), date=_date(source.get("date")), mairie=source.get("mairie"),
            tags=source.get("tags") or [], quartier=source.get("quartier") or "", status=source.get("status") or ""))
    for name in FACETS:
        buckets = response.get("aggregations", {}).get(name, {}).get("buckets", [])
        results.facets[name] = {b["key"]: b["doc_count"] for b in buckets}
    return results


def corrected_text(response: dict, text: str) -> str | None:
    """The query with each unknown word replaced by the term suggester's best option."""
    corrected, changed = text, False
    for entry in response.get("suggest", {}).get("spelling", []):
        options = entry.get("options") or []
        if options:
            start, length = entry["offset"], entry["length"]
            shift = len(corrected) - len(text)
            corrected = corrected[:start + shift] + options[0]["text"] + corrected[start + shift + length:]
            changed = True
    return corrected if changed else None


def is_transport_error(exc) -> bool:
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    return isinstance(exc, TransportError | ApiError)


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url=None, prefix=None, client=None):
        self.url = url or elasticsearch_url()
        self.alias = alias_name(prefix)
        self.prefix = prefix
        self._client = client

    @property
    def client(self):
        if self._client is None:
            from django.core.exceptions import ImproperlyConfigured
            from elasticsearch import Elasticsearch

            if not self.url:
                raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL.")
            self._client = Elasticsearch(self.url, request_timeout=10)
        return self._client

    # --- writing -------------------------------------------------------------------------------

    def _create_index(self):
        name = new_index_name(self.prefix)
        body = index_body()
        self.client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
        return name

    def ensure_index(self):
        if not self.client.indices.exists_alias(name=self.alias):
            name = self._create_index()
            self.client.indices.update_aliases(actions=alias_actions(self.alias, [], name))

    def _actions(self, documents, index):
        for doc in documents:
            yield {"_op_type": "index", "_index": index, "_id": doc.id, "_source": document_body(doc)}

    def index(self, documents):
        from elasticsearch import helpers

        self.ensure_index()
        helpers.bulk(self.client, self._actions(documents, self.alias), refresh="wait_for")

    def remove(self, doc_ids):
        from elasticsearch import helpers

        if not self.client.indices.exists_alias(name=self.alias):
            return
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": doc_id} for doc_id in doc_ids)
        helpers.bulk(self.client, actions, refresh="wait_for", raise_on_error=False)

    def rebuild(self, documents):
        from elasticsearch import helpers

        new = self._create_index()
        count, _errors = helpers.bulk(self.client, self._actions(documents, new), chunk_size=500)
        self.client.indices.refresh(index=new)
        old = []
        if self.client.indices.exists_alias(name=self.alias):
            old = list(self.client.indices.get_alias(name=self.alias).keys())
        self.client.indices.update_aliases(actions=alias_actions(self.alias, old, new))
        for name in old:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        return count

    def doc_ids(self):
        from elasticsearch import helpers

        if not self.client.indices.exists_alias(name=self.alias):
            return set()
        return {hit["_id"] for hit in helpers.scan(self.client, index=self.alias, query={"query": {"match_all": {}}},
                                                   _source=False)}

    # --- reading -------------------------------------------------------------------------------

    def _search(self, query, visibility, mode):
        request = search_request(query, visibility, mode).using(self.client).index(self.alias)
        response = request.execute().to_dict()
        return results_from_response(response, query, mode), response

    def search(self, query, visibility):
        self.ensure_index()
        if not query.text:
            return self._search(query, visibility, "browse")[0]
        if not query.words:
            return SearchResults(query=query)
        results, response = self._search(query, visibility, "all")
        if results.count == 0 and len(set(query.stems)) > 1:
            results, response = self._search(query, visibility, "any")
        if results.count == 0 or results.match == "any":
            corrected = corrected_text(response, query.text)
            if corrected and self.count(query.with_text(corrected), visibility) > 0:
                results.suggestions = [corrected]
        return results

    def type_counts(self, visibility):
        self.ensure_index()
        response = self.client.search(index=self.alias, body=type_counts_body(visibility))
        return {b["key"]: b["doc_count"] for b in response["aggregations"]["type"]["buckets"]}

    def count(self, query, visibility):
        return self.client.count(index=self.alias, query=count_body(query, visibility)["query"])["count"]

    def suggest(self, text, visibility, limit=8):
        from ..analysis import clean

        text = clean(text)[:100].strip()
        if len(text) < 2:
            return []
        self.ensure_index()
        response = self.client.search(index=self.alias, body=suggest_body(text, visibility, limit))
        return [{"title": h["_source"]["title"], "url": h["_source"]["url"], "type": h["_source"]["type"]}
                for h in response["hits"]["hits"]]
