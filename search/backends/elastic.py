"""The Elasticsearch backend (SEARCH_BACKEND=elasticsearch, ELASTICSEARCH_URL).

Written with `elasticsearch.dsl` (the DSL inside elasticsearch-py, where elasticsearch-dsl 8.18
now lives; importing from there keeps the way to Elasticsearch 9 open).

- A custom French analyzer: elision, lowercase, French stop words, the light French stemmer and
  asciifolding (the built-in `french` analyzer keeps accents: "equipement" would miss "équipement").
- Every write carries the version of the read it comes from (search/versions.py) as an external
  version (`version_type=external_gte`): Elasticsearch refuses an index or a delete older than what
  it holds with a 409, which means a newer write is already there: done, not retried, not a failure.
  Deletes keep their version for `index.gc_deletes` (versions.TOMBSTONE_SECONDS).
- Readers and writers use an alias (`<prefix>-search`). Reads go to it with no check first: no index
  behind it is EngineUnavailable (503, and a log line saying to rebuild). Writes carry
  `require_alias` (Elasticsearch would otherwise create an index of that name with guessed
  mappings); the first write to a new cluster creates the index.
- A rebuild (driven by search/rebuild.py) removes the indices an interrupted rebuild left, creates
  a new index and bulk-loads it; syncs made meanwhile are written into it too and replayed; then the
  alias moves in one atomic update_aliases call and the old index is deleted: no downtime.
- A real cluster: API key or user and password, the CA certificate, timeout and retries from the
  settings (search.conf.elasticsearch_client_options); one client, and its connection pool, per
  process. A cluster that does not answer is not asked again for DOWN_SECONDS: searches answer 503
  at once and syncs are recorded for a retry instead of each waiting for a timeout.
- Highlighting, facets as terms aggregations, "did you mean" from a term suggester, and a
  search_as_you_type field for suggestions while typing.
- The visibility filter (search.permissions) sits in the bool query's filter context, so totals,
  pages and aggregations only ever count what the user may see.

The functions building bodies are pure and tested against expected dictionaries; the client's
requests against a recording transport (tests/search/test_elasticsearch_cluster.py); the live tests
(tests/search/test_elasticsearch_live.py, and the rebuild under writes) when ELASTICSEARCH_URL is set.
"""

import logging
import re
from contextlib import contextmanager
from datetime import UTC, datetime

from django.core.cache import cache
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

from ..conf import elasticsearch_client_options, elasticsearch_prefix, elasticsearch_url
from ..highlight import extract
from ..query import FACETS, TAG_FACET_SIZE, Hit, SearchQuery, SearchResults
from ..versions import TOMBSTONE_SECONDS
from ..versions import now as version_now
from . import EngineUnavailable, SearchBackend, SyncError

log = logging.getLogger(__name__)

ELISION_ARTICLES = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]

french_elision = token_filter("french_elision", type="elision", articles_case=True, articles=ELISION_ARTICLES)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_light_stemmer", type="stemmer", language="light_french")

french_folded = analyzer("french_folded", tokenizer="standard",
                         filter=[french_elision, "lowercase", french_stop, french_stemmer, "asciifolding"])
folded = analyzer("folded", tokenizer="standard", filter=[french_elision, "lowercase", "asciifolding"])
# The other languages, in sub-fields of title, keywords and body: Elasticsearch's built-in `arabic`
# (normalisation, stop words, light stemming) and `cjk` (bigrams of Han characters, no plugin), and
# the standard tokenizer with folding for English, Wolof and Bambara (no stemmer fits the last two).
plain_folded = analyzer("plain_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
LANGUAGE_SUBFIELDS = {"ar": "ar", "zh-hans": "cjk"}  # any other language but French: "plain"


def _language_fields(**extra):
    return {"ar": Text(analyzer="arabic"), "cjk": Text(analyzer="cjk"), "plain": Text(analyzer=plain_folded), **extra}

FIELDS_ALL = ["title^3", "keywords^2", "body"]
SUGGEST_FIELDS = ["suggest", "suggest._2gram", "suggest._3gram"]
FACET_FIELDS = {"type": "type", "tags": "tags", "quartier": "quartier", "status": "status"}


class IndexedDocument(Document):
    """The mapping of one search document."""

    doc_id = Keyword()
    type = Keyword()
    mairie = Keyword()
    audience = Keyword()
    title = Text(analyzer=french_folded, copy_to="spell", fields=_language_fields(raw=Keyword()))
    keywords = Text(analyzer=french_folded, fields=_language_fields())
    body = Text(analyzer=french_folded, copy_to="spell", fields=_language_fields())
    language = Keyword()
    translation_key = Keyword()
    translated_into = Keyword()  # a page's other live languages (search.permissions.VisibilityFilter)
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
    # A deleted document's version is kept this long (default 60 s): an index of an older read
    # arriving later than that would bring the document back.
    index.settings(number_of_shards=1, gc_deletes=f"{TOMBSTONE_SECONDS}s")
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
        "language": doc.language or "fr", "translation_key": doc.translation_key or None,
        "translated_into": list(doc.translated_into),
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


def text_fields(language="fr") -> list[str]:
    """The fields a query reads: French ones; in another language its sub-fields too (cross_fields
    groups fields by analyser: each group must match every word, any group will do)."""
    if language == "fr":
        return FIELDS_ALL
    sub = LANGUAGE_SUBFIELDS.get(language, "plain")
    return [*(f"{name}.{sub}^{boost}" for name, boost in (("title", 3), ("keywords", 2), ("body", 1))), *FIELDS_ALL]


def _text_query(text, mode, language="fr"):
    return Q("multi_match", query=text, fields=text_fields(language), type="cross_fields",
             operator="and" if mode == "all" else "or")


def search_request(query: SearchQuery, visibility, mode="all") -> Search:
    """The Search for a page of results; mode "all" (every word), "any" (fallback) or "browse"."""
    search = Search()
    if mode == "browse":
        search = search.query(Q("bool", filter=_filters(query, visibility)))
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "doc_id")
    else:
        search = search.query(Q("bool", must=[_text_query(query.text, mode, query.language)],
                                filter=_filters(query, visibility)))
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
    return {"query": {"bool": {"must": [_text_query(query.text, "all", query.language).to_dict()],
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


# A cluster that did not answer is not asked again for this long: searches answer 503 at once and
# syncs are recorded for a retry, instead of each waiting for its timeouts (tests/search: the breaker).
DOWN_SECONDS = 30
COMPARED = ("type", "mairie", "audience", "title", "url", "status", "quartier")
_clients: dict = {}


def get_client(url, options):
    """One client (and its connection pool) per process and configuration: TLS and keep-alive
    connections are reused from one search to the next."""
    key = (url, tuple(sorted((k, repr(v)) for k, v in options.items())))
    if key not in _clients:
        from elasticsearch import Elasticsearch

        _clients[key] = Elasticsearch(url, **options)
    return _clients[key]


VERSION_CONFLICT = 409  # a write of a higher (external) version is already there: nothing to do


def _bulk_problems(response, targets):
    """[(target, operation, error)] of the items Elasticsearch refused (`targets`: the index or alias
    each operation named, in order); deleting what is already gone is not a problem, and neither is
    a version conflict (a newer write is already there)."""
    problems = []
    for target, item in zip(targets, response.get("items", []), strict=False):
        ((operation, result),) = item.items()
        status = result.get("status", 200)
        if status < 300 or status == VERSION_CONFLICT or (operation == "delete" and status == 404):
            continue
        problems.append((target, operation, result.get("error") or {"type": str(status)}))
    return problems


def _index_missing(error) -> bool:
    return isinstance(error, dict) and error.get("type") == "index_not_found_exception"


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    needs_translated_into = True  # French documents say which languages their page has (VisibilityFilter)

    def __init__(self, url=None, prefix=None, client=None):
        self.url = url or elasticsearch_url()
        self.alias = alias_name(prefix)
        self.prefix = prefix
        self._client = client

    @property
    def client(self):
        if self._client is None:
            from django.core.exceptions import ImproperlyConfigured

            if not self.url:
                raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL.")
            self._client = get_client(self.url, elasticsearch_client_options())
        return self._client

    # --- faults --------------------------------------------------------------------------------

    def _down_key(self):
        return f"search:elasticsearch-down:{self.url}"

    def is_down(self) -> bool:
        """Did the cluster fail to answer within the last DOWN_SECONDS?"""
        return bool(cache.get(self._down_key()))

    @contextmanager
    def _calling(self):
        """Unreachable or timing out: EngineUnavailable, and the breaker opens for DOWN_SECONDS."""
        from elastic_transport import ConnectionError as TransportConnectionError
        from elastic_transport import ConnectionTimeout

        if self.is_down():
            raise EngineUnavailable("Elasticsearch did not answer a moment ago")
        try:
            yield
        except (TransportConnectionError, ConnectionTimeout) as exc:
            cache.set(self._down_key(), True, DOWN_SECONDS)
            raise EngineUnavailable(f"Elasticsearch did not answer: {type(exc).__name__}") from exc

    @contextmanager
    def _reading(self):
        """Reads go to the alias with no check before: a missing alias is a clear error, then a 503."""
        from elasticsearch import NotFoundError

        with self._calling():
            try:
                yield
            except NotFoundError as exc:
                log.error("search: the alias %s does not exist: run manage.py rebuild_search_index", self.alias)
                raise EngineUnavailable(f"no index behind {self.alias}: run manage.py rebuild_search_index") \
                    from exc

    # --- writing -------------------------------------------------------------------------------

    def _create_index(self, aliases=None):
        name = new_index_name(self.prefix)
        body = index_body()
        self.client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"],
                                   aliases=aliases)
        return name

    def ensure_index(self):
        """Only when a write found no alias (a new cluster): an empty index behind it. Two processes
        doing it at once: the alias's single write index refuses the second one, which then writes
        into the first one's."""
        from elasticsearch import ApiError

        if not self.client.indices.exists_alias(name=self.alias):
            try:
                self._create_index(aliases={self.alias: {"is_write_index": True}})
            except ApiError:
                if not self.client.indices.exists_alias(name=self.alias):
                    raise
                log.info("search: %s was created by another process meanwhile", self.alias)

    def _actions(self, documents, index, version):
        for doc in documents:
            yield {"_op_type": "index", "_index": index, "_id": doc.id, "_source": document_body(doc),
                   "_version": version, "_version_type": "external_gte"}

    def _write(self, operations, targets):
        """One _bulk request; the alias must exist (require_alias), or Elasticsearch would create
        an index of that name with guessed mappings."""
        if not targets:
            return
        response = self.client.bulk(operations=operations, refresh="wait_for")
        problems = _bulk_problems(response, targets) if response.get("errors") else []
        if any(target == self.alias and _index_missing(error) for target, _op, error in problems):
            self.ensure_index()
            alias_ops, alias_targets = self._only(operations, targets, self.alias)
            response = self.client.bulk(operations=alias_ops, refresh="wait_for")
            retried = _bulk_problems(response, alias_targets) if response.get("errors") else []
            problems = [p for p in problems if p[0] != self.alias] + retried
        # A rebuild's target that is gone (that rebuild failed or was abandoned): nothing to keep there.
        problems = [p for p in problems if not (p[0] != self.alias and _index_missing(p[2]))]
        if problems:
            target, operation, error = problems[0]
            raise SyncError(f"{len(problems)} operation(s) refused, first: {operation} on {target}: "
                            f"{error.get('type')}: {str(error.get('reason', ''))[:200]}")

    @staticmethod
    def _only(operations, targets, name):
        ops, kept, position = [], [], 0
        for target in targets:
            header = operations[position]
            size = 1 if "delete" in header else 2
            if target == name:
                ops.extend(operations[position:position + size])
                kept.append(target)
            position += size
        return ops, kept

    def _names(self, also, live):
        return [*([self.alias] if live else []), *(name for name in also if name and name != self.alias)]

    def index(self, documents, *, also=(), live=True, version=None):
        operations, targets = [], []
        version = version_now() if version is None else version
        for name in self._names(also, live):
            for doc in documents:
                header = {"_index": name, "_id": doc.id, "version": version, "version_type": "external_gte"}
                if name == self.alias:
                    header["require_alias"] = True
                operations += [{"index": header}, document_body(doc)]
                targets.append(name)
        with self._calling():
            self._write(operations, targets)

    def remove(self, doc_ids, *, also=(), live=True, version=None):
        operations, targets = [], []
        version = version_now() if version is None else version
        for name in self._names(also, live):
            for doc_id in doc_ids:
                operations.append({"delete": {"_index": name, "_id": doc_id, "version": version,
                                              "version_type": "external_gte"}})
                targets.append(name)
        with self._calling():
            self._write(operations, targets)

    # --- rebuilding: a new index, loaded, then the alias moved in one call -----------------------

    def _partial_indices(self):
        """Indices of ours (`<alias>-<timestamp>`) that the alias does not point to: left by a rebuild
        that was interrupted."""
        from elasticsearch import NotFoundError

        try:
            found = self.client.indices.get_alias(index=f"{self.alias}-*")
        except NotFoundError:
            return []
        pattern = re.compile(rf"^{re.escape(self.alias)}-\d{{20}}$")
        return sorted(name for name, info in found.items()
                      if pattern.match(name) and self.alias not in (info.get("aliases") or {}))

    def rebuild_begin(self):
        partial = self._partial_indices()
        if partial:  # by name: clusters refuse wildcard deletes (action.destructive_requires_name)
            log.warning("search: removing the indices of an interrupted rebuild: %s", ", ".join(partial))
            self.client.indices.delete(index=",".join(partial), ignore_unavailable=True)
        return self._create_index()

    def rebuild_load(self, target, documents, *, version):
        """A document a sync already wrote into the target from a later read answers 409: kept."""
        from elasticsearch import helpers

        count, conflicts = helpers.bulk(self.client, self._actions(documents, target, version), chunk_size=500,
                                        ignore_status=VERSION_CONFLICT)
        return count + len(conflicts)

    def rebuild_finish(self, target, *, started_at, version):
        from elasticsearch import NotFoundError

        self.client.indices.refresh(index=target)
        try:
            old = sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            old = []
        self.client.indices.update_aliases(actions=alias_actions(self.alias, old, target))
        if old:
            self.client.indices.delete(index=",".join(old), ignore_unavailable=True)

    def rebuild_discard(self, target):
        if not target:
            return
        try:
            self.client.indices.delete(index=target, ignore_unavailable=True)
        except Exception:  # the cluster is down: the next rebuild removes it
            log.warning("search: could not remove %s, the index of a failed rebuild", target, exc_info=True)

    def doc_ids(self):
        """Every id, a thousand at a time in doc_id order (search_after: no scroll context to keep)."""
        ids, after = set(), None
        with self._reading():
            while True:
                body = {"size": 1000, "_source": False, "sort": [{"doc_id": "asc"}], "query": {"match_all": {}}}
                if after is not None:
                    body["search_after"] = after
                hits = self.client.search(index=self.alias, body=body)["hits"]["hits"]
                ids.update(hit["_id"] for hit in hits)
                if len(hits) < 1000:
                    return ids
                after = hits[-1]["sort"]

    def stored(self, doc_ids):
        if not doc_ids:
            return {}
        with self._reading():
            response = self.client.mget(index=self.alias, ids=list(doc_ids), source_includes=list(COMPARED))
        return {doc["_id"]: {field: doc["_source"].get(field) for field in COMPARED}
                for doc in response["docs"] if doc.get("found")}

    def comparable(self, doc):
        body = document_body(doc)
        return {field: body[field] for field in COMPARED}

    # --- reading -------------------------------------------------------------------------------

    def _search(self, query, visibility, mode):
        request = search_request(query, visibility, mode).using(self.client).index(self.alias)
        response = request.execute().to_dict()
        return results_from_response(response, query, mode), response

    def search(self, query, visibility):
        with self._reading():
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
        with self._reading():
            response = self.client.search(index=self.alias, body=type_counts_body(visibility))
        return {b["key"]: b["doc_count"] for b in response["aggregations"]["type"]["buckets"]}

    def count(self, query, visibility):
        return self.client.count(index=self.alias, query=count_body(query, visibility)["query"])["count"]

    def suggest(self, text, visibility, limit=8):
        from ..analysis import clean

        text = clean(text)[:100].strip()
        if len(text) < 2:
            return []
        with self._reading():
            response = self.client.search(index=self.alias, body=suggest_body(text, visibility, limit))
        return [{"title": h["_source"]["title"], "url": h["_source"]["url"], "type": h["_source"]["type"]}
                for h in response["hits"]["hits"]]
