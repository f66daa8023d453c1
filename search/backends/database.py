"""The embedded backend: rows in SearchEntry, full text in SQLite FTS5 or PostgreSQL tsvector.

One SQL statement answers a search: a MATERIALIZED common table expression holds the matching
documents the user may see (the visibility filter and the facet filters are in its WHERE), and
the page of hits, the total and the four facets are read from it with UNION ALL. The match runs
once, and counts and pages are exact because nothing is filtered afterwards.

User text never reaches MATCH or to_tsquery(): both receive terms from our analyzer (word
characters only), each quoted.
"""

import difflib
import time
from collections import Counter

from django.db import IntegrityError, connections, transaction
from django.db.models.functions import Length

from ..analysis import (
    FRENCH,
    STOP_WORDS,
    WORD_RE,
    clean,
    fold,
    index_text,
    stem,
    stem_variants,
    variants,
    words,
)
from ..highlight import extract, from_markers, marked
from ..models import SearchEntry, SearchTag, SearchTerm, SearchTombstone
from ..query import TAG_FACET_SIZE, Hit, SearchQuery, SearchResults
from ..versions import TOMBSTONE_SECONDS
from ..versions import now as version_now
from . import SearchBackend

BATCH = 500
WRITERS_PAUSE = 0.02  # seconds without the write lock between a rebuild's steps on SQLite
TITLE_MAX = 300
BODY_MAX = 100_000
MARK_START, MARK_STOP = "\ue000", "\ue001"

# bm25 column weights on SQLite (title, keywords, body); PostgreSQL: title A, keywords and body B.
BM25_WEIGHTS = (10.0, 4.0, 1.0)
# The first key of the PostgreSQL advisory locks of document writes (the second: hashtext(doc_id)).
ADVISORY_CLASS = 0x5EA2C4


def delete_in_batches(cursor, ids, *statements):
    """Run each DELETE statement (constant text with a `{marks}` slot for the placeholders) over
    `ids`, BATCH at a time: SQLite caps the number of parameters of one statement."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        marks = ", ".join(["%s"] * len(chunk))
        for statement in statements:
            cursor.execute(statement.format(marks=marks), chunk)


def keywords_text(doc):
    return " ".join([*doc.tags, doc.quartier or ""]).strip()


def _vocabulary(texts, counter, displays):
    seen = set()
    for text in texts:
        for match in WORD_RE.finditer(text):
            lower = match.group().lower()
            word = fold(lower)
            if word in seen or not 3 <= len(word) <= 40 or not word.isalpha() or word in STOP_WORDS:
                continue
            seen.add(word)
            counter[word] += 1
            displays.setdefault(word, lower[:60])


class SQLiteEngine:
    """FTS5 tables holding our stems (the tokenizer only splits on the spaces between them).
    Created by migration 0002; ensure_schema() also covers a database built without migrations."""

    materialized = "MATERIALIZED"
    # From the matched rows to their tags (the planner would rather scan every tag and probe m).
    tags_join = "CROSS JOIN search_searchtag AS t WHERE t.entry_id = m.id"
    # Each matched row is read from the narrow covering index, not from the wide table row.
    narrow = "INDEXED BY search_entry_facets"
    schema = [
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
        "title, keywords, body, tokenize = 'unicode61 remove_diacritics 0')",
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_suggest_fts USING fts5("
        "words, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
    ]
    def ensure_schema(self, cursor):
        for statement in self.schema:
            cursor.execute(statement)

    def lock(self, cursor, doc_ids):
        """Writes of the same documents one after the other: the platform's SQLite transactions begin
        IMMEDIATE (cms/settings/base.py), holding the database's write lock before their first read.
        (A deferred one reading versions, then finding the file changed, fails with "database is
        locked": the sync is recorded and retried, never written out of order.)"""

    def purge_tombstones(self, cursor, before):
        cursor.execute("DELETE FROM search_searchtombstone WHERE version < %s", [before])

    def write(self, cursor, pairs):
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, keywords, body) VALUES (%s, %s, %s, %s)",
            [(entry_id, index_text(doc.title, doc.language), index_text(keywords_text(doc), doc.language),
              index_text(doc.body, doc.language)) for entry_id, doc in pairs])
        cursor.executemany("INSERT INTO search_suggest_fts (rowid, words) VALUES (%s, %s)",
                           [(entry_id, " ".join(words(doc.title))) for entry_id, doc in pairs])

    def delete(self, cursor, entry_ids):
        delete_in_batches(cursor, entry_ids, "DELETE FROM search_fts WHERE rowid IN ({marks})",
                          "DELETE FROM search_suggest_fts WHERE rowid IN ({marks})")

    def optimize(self, using):
        """After a rebuild: each FTS5 table optimised (its b-trees merged into one) in a transaction
        of its own, then approximate statistics, so that the write lock is held for one step at a
        time. (FTS5's incremental 'merge' with a negative count, run in steps between other
        connections' writes, corrupts the index on SQLite 3.40: seen here, hence 'optimize'.)"""
        connection = connections[using]
        for table in ("search_fts", "search_suggest_fts"):
            with transaction.atomic(using=using), connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608
            time.sleep(WRITERS_PAUSE)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE search_searchentry")
            cursor.execute("ANALYZE search_searchtag")
            cursor.execute("PRAGMA analysis_limit = 0")

    def match(self, query, mode):
        """(FROM clause, match condition, rank expression, params); a lower rank is better."""
        groups = [" OR ".join(f'"{term}"' for term in group) for group in query.stem_groups]
        if mode == "all":
            expression = " AND ".join(f"({group})" for group in dict.fromkeys(groups))
        else:
            expression = " OR ".join(f'"{term}"' for term in query.stems)
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        return (f"FROM search_fts CROSS JOIN search_searchentry AS e {self.narrow}",
                "e.id = search_fts.rowid AND search_fts MATCH %s",
                f"bm25(search_fts, {weights})", [expression])

    def suggest(self, prefixes):
        expression = " AND ".join(f'"{word}"*' for word in prefixes)
        return ("FROM search_suggest_fts CROSS JOIN search_searchentry AS e",
                "e.id = search_suggest_fts.rowid AND search_suggest_fts MATCH %s", [expression])

    def highlights(self, cursor, entries, query, mode):
        stems = query.stems
        return {e.id: (marked(e.title, stems), extract(e.body, stems)) for e in entries}


class PostgresEngine:
    """tsvector columns with the `french_unaccent` configuration (unaccent, then french_stem),
    created by migration 0002."""

    materialized = "MATERIALIZED"
    tags_join = "JOIN search_searchtag AS t ON t.entry_id = m.id"

    def write(self, cursor, pairs):
        ids = [entry_id for entry_id, _doc in pairs]
        for start in range(0, len(ids), BATCH):
            cursor.execute(
                """UPDATE search_searchentry AS e SET
                    document = setweight(to_tsvector(c.config, e.title), 'A')
                        || setweight(to_tsvector(c.config, coalesce(
                            (SELECT string_agg(t.name, ' ') FROM search_searchtag t WHERE t.entry_id = e.id), '')
                            || ' ' || e.quartier), 'B')
                        || setweight(to_tsvector(c.config, e.body), 'B'),
                    suggest = to_tsvector('simple', unaccent(e.title))
                FROM (SELECT id, CASE WHEN language = 'fr' THEN 'french_unaccent' ELSE 'simple_unaccent' END::regconfig
                      AS config FROM search_searchentry WHERE id = ANY(%s)) AS c
                WHERE e.id = c.id""",
                [ids[start:start + BATCH]])
        # Not French: our analyser's plain words (Chinese split by character, as on SQLite).
        others = [(entry_id, doc) for entry_id, doc in pairs if (doc.language or FRENCH) != FRENCH]
        if others:
            cursor.executemany(
                """UPDATE search_searchentry SET document = setweight(to_tsvector('simple', %s), 'A')
                       || setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'B')
                   WHERE id = %s""",
                [(index_text(doc.title, doc.language), index_text(keywords_text(doc), doc.language),
                  index_text(doc.body, doc.language), entry_id) for entry_id, doc in others])

    def delete(self, cursor, entry_ids):
        """The vectors live on the entry rows: deleting the rows is enough."""

    def lock(self, cursor, doc_ids):
        """A transaction-scoped advisory lock per document id, taken in one order (the keys sorted)
        so that two writers of overlapping batches never deadlock: two syncs of one document compare
        and write its version one after the other (a row lock would not do: a replacement deletes
        the row and inserts a new one, and the row of a document not indexed yet does not exist)."""
        cursor.execute("SELECT count(pg_advisory_xact_lock(%s, k)) FROM (SELECT DISTINCT hashtext(d) AS k "
                       "FROM unnest(%s::text[]) AS d ORDER BY k) AS keys", [ADVISORY_CLASS, list(doc_ids)])

    def purge_tombstones(self, cursor, before):
        """Rows another transaction holds are left for the next purge (it never waits for them)."""
        cursor.execute("DELETE FROM search_searchtombstone WHERE id IN (SELECT id FROM search_searchtombstone "
                       "WHERE version < %s FOR UPDATE SKIP LOCKED)", [before])

    def optimize(self, using):
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")

    @staticmethod
    def tsquery(words, operator, prefix=False):
        suffix = ":*" if prefix else ""
        return f" {operator} ".join(f"'{word}'{suffix}" for word in dict.fromkeys(words))

    @classmethod
    def search_tsquery(cls, query, mode):
        """Each word with its singular/plural twin, like on SQLite: ('potager' | 'potagers') & ..."""
        groups = ["(" + cls.tsquery(variants(word), "|") + ")" for word in query.words]
        return (" & " if mode == "all" else " | ").join(groups)

    def match(self, query, mode):
        """French: the French configuration. Another language: its documents' plain words (the
        `simple_unaccent` configuration) or, for the French documents shown with them, the stems."""
        text = self.search_tsquery(query, mode)
        if query.language == FRENCH:
            return ("FROM search_searchentry AS e, to_tsquery('french_unaccent', %s) AS q",
                    "e.document @@ q", "-ts_rank(e.document, q, 1)", [text])
        return ("FROM search_searchentry AS e, "
                "(SELECT to_tsquery('french_unaccent', %s) || to_tsquery('simple_unaccent', %s)) AS q(q)",
                "e.document @@ q", "-ts_rank(e.document, q, 1)", [text, text])

    def suggest(self, prefixes):
        return ("FROM search_searchentry AS e, to_tsquery('simple', %s) AS q", "e.suggest @@ q",
                [self.tsquery(prefixes, "&", prefix=True)])

    def highlights(self, cursor, entries, query, mode):
        """ts_headline() for extracts of bodies; titles are short and marked by our analyzer
        (ts_headline drops a leading elided article: "L'école" would become "école")."""
        titles = {e.id: marked(e.title, query.stems) for e in entries}
        if not query.words:
            return {e.id: (titles[e.id], extract(e.body, ())) for e in entries}
        options = (f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxWords=32, MinWords=12, ShortWord=2, '
                   'MaxFragments=2, FragmentDelimiter=" … "')
        cursor.execute(
            """SELECT e.id, ts_headline('french_unaccent', e.body, q, %s)
               FROM search_searchentry AS e, to_tsquery('french_unaccent', %s) AS q WHERE e.id = ANY(%s)""",
            [options, self.search_tsquery(query, mode), [e.id for e in entries]])
        found = {}
        for entry_id, headline in cursor.fetchall():
            # Without a match ts_headline returns the body's first words; ours end on a word boundary.
            body = from_markers(headline, MARK_START, MARK_STOP) if MARK_START in headline else None
            found[entry_id] = (titles[entry_id], body)
        bodies = {e.id: e.body for e in entries}
        return {entry_id: (title, body if body is not None else extract(bodies[entry_id], ()))
                for entry_id, (title, body) in found.items()}


ENGINES = {"sqlite": SQLiteEngine, "postgresql": PostgresEngine}


def engine_for(connection):
    try:
        return ENGINES[connection.vendor]()
    except KeyError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"The database search backend supports SQLite and PostgreSQL, not {connection.vendor}.") from None


def _filters(query: SearchQuery, visibility):
    sql, params = visibility.as_sql("e")
    parts = [sql]
    for column, values in (("type", query.types), ("quartier", query.quartiers), ("status", query.statuses)):
        if values:
            parts.append(f"e.{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    for tag in query.tags:
        parts.append("EXISTS (SELECT 1 FROM search_searchtag AS t WHERE t.entry_id = e.id AND t.name = %s)")
        params.append(tag)
    return " AND ".join(parts), params


class DatabaseBackend(SearchBackend):
    name = "database"
    _schema_checked: set = set()

    def __init__(self, using="default"):
        self.using = using
        self.connection = connections[using]
        self.engine = engine_for(self.connection)
        if self.connection.vendor == "sqlite" and self.connection.settings_dict["NAME"] not in self._schema_checked:
            # The migration creates the tables; this also covers databases built without migrations.
            with self.connection.cursor() as cursor:
                self.engine.ensure_schema(cursor)
            self._schema_checked.add(self.connection.settings_dict["NAME"])

    # --- writing -------------------------------------------------------------------------------
    # Every write carries the version of its read (search/versions.py). In one transaction, the
    # documents locked (engine.lock): a document whose row or tombstone holds a higher version is
    # left as it is; an index replaces the row (with its version) and drops the tombstone; a removal
    # deletes the row and leaves a tombstone with its version, so that an index of an older read
    # arriving late does not bring the document back. Equal versions: the later write stays.

    def index(self, documents, *, also=(), live=True, vocabulary=True, version=None):
        """One table serves both the live index and a rebuild's target (rebuilds are in place).
        Returns how many documents were written (the others: a newer write was there)."""
        if not (live or also):
            return 0
        version = version_now(self.using) if version is None else version
        docs = list({doc.id[:160]: doc for doc in documents}.values())
        return sum(self._replace(docs[start:start + BATCH], vocabulary, version) for start in range(0, len(docs), BATCH))

    def _replace(self, docs, vocabulary, version):
        """One transaction of at most BATCH documents (as many advisory locks on PostgreSQL, whose
        shared lock table is max_locks_per_transaction times max_connections)."""
        for attempt in (1, 2, 3):
            try:
                with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
                    self.engine.lock(cursor, [doc.id[:160] for doc in docs])
                    return self._index_batch(cursor, docs, vocabulary, version)
            except IntegrityError:
                # A writer without the lock (an older release during a deployment) indexed one of these
                # documents at the same time (PostgreSQL): its row is committed now; compare again.
                if attempt == 3:
                    raise
        return 0

    def _newer(self, doc_ids, version):
        """The documents whose row or tombstone holds a write of a higher version than `version`."""
        rows = SearchEntry.objects.using(self.using).filter(doc_id__in=doc_ids, version__gt=version)
        tombstones = SearchTombstone.objects.using(self.using).filter(doc_id__in=doc_ids, version__gt=version)
        return set(rows.values_list("doc_id", flat=True)) | set(tombstones.values_list("doc_id", flat=True))

    def _index_batch(self, cursor, docs, vocabulary, version):
        newer = self._newer([doc.id[:160] for doc in docs], version)
        docs = [doc for doc in docs if doc.id[:160] not in newer]
        if not docs:
            return 0
        doc_ids = [doc.id[:160] for doc in docs]
        old = list(SearchEntry.objects.using(self.using).filter(doc_id__in=doc_ids).values_list("id", flat=True))
        if old:
            self._delete_entries(cursor, old)
        delete_in_batches(cursor, doc_ids, "DELETE FROM search_searchtombstone WHERE doc_id IN ({marks})")
        entries = SearchEntry.objects.using(self.using).bulk_create([self._entry(doc, version) for doc in docs])
        SearchTag.objects.using(self.using).bulk_create(
            [SearchTag(entry=entry, name=tag) for entry, doc in zip(entries, docs, strict=True)
             for tag in dict.fromkeys(clean(t).strip()[:100] for t in doc.tags) if tag])
        self.engine.write(cursor, [(entry.id, doc) for entry, doc in zip(entries, docs, strict=True)])
        if vocabulary:
            counter, displays = Counter(), {}
            for doc in docs:
                _vocabulary((doc.title, doc.body, keywords_text(doc)), counter, displays)
            self._add_terms(counter, displays, ignore_conflicts=True)
        return len(docs)

    def _entry(self, doc, version=0):
        return SearchEntry(
            doc_id=doc.id[:160], type=doc.type, mairie=doc.mairie or None, audience=doc.audience,
            title=clean(doc.title)[:TITLE_MAX], body=clean(doc.body)[:BODY_MAX], quartier=(doc.quartier or "")[:80],
            status=(doc.status or "")[:60], date=doc.date, url=doc.url[:500], version=version,
            language=(doc.language or "fr")[:10], translation_key=(doc.translation_key or "")[:36])

    def _add_terms(self, counter, displays, ignore_conflicts):
        SearchTerm.objects.using(self.using).bulk_create(
            [SearchTerm(word=word, stem=stem(word), display=displays[word], frequency=n)
             for word, n in counter.items()], batch_size=BATCH, ignore_conflicts=ignore_conflicts)

    def remove(self, doc_ids, *, also=(), live=True, version=None):
        """Returns how many documents were removed or marked removed (the others: a newer write)."""
        doc_ids = list(dict.fromkeys(doc_id[:160] for doc_id in doc_ids if doc_id))
        if not (live or also) or not doc_ids:
            return 0
        version = version_now(self.using) if version is None else version
        removed = 0
        for start in range(0, len(doc_ids), BATCH):
            with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
                chunk = doc_ids[start:start + BATCH]
                self.engine.lock(cursor, chunk)
                newer = self._newer(chunk, version)
                chunk = [doc_id for doc_id in chunk if doc_id not in newer]
                ids = list(SearchEntry.objects.using(self.using).filter(doc_id__in=chunk).values_list("id", flat=True))
                if ids:
                    self._delete_entries(cursor, ids)
                # Locked, and no tombstone of these is newer: each is created or raised to `version`.
                SearchTombstone.objects.using(self.using).bulk_create(
                    [SearchTombstone(doc_id=doc_id, version=version) for doc_id in chunk],
                    update_conflicts=True, unique_fields=["doc_id"], update_fields=["version"])
                removed += len(chunk)
                self.engine.purge_tombstones(cursor, version - TOMBSTONE_SECONDS * 1_000_000)
        return removed

    def _delete_entries(self, cursor, ids):
        """Plain DELETEs: no model instances are loaded, no delete signals are sent."""
        self.engine.delete(cursor, ids)
        delete_in_batches(cursor, ids, "DELETE FROM search_searchtag WHERE entry_id IN ({marks})",
                          "DELETE FROM search_searchentry WHERE id IN ({marks})")

    # --- rebuilding, in place ------------------------------------------------------------------
    # Each batch replaces its documents in its own short transaction (on SQLite the write lock is
    # held for a batch, not for the whole rebuild); readers see every document all along, in its
    # old or its new version. Every document is loaded with the rebuild's version, taken before it
    # read anything: a row a sync wrote meanwhile from a later read stays, a tombstone stops the load
    # from bringing back a document removed meanwhile. At the end, what the rebuild did not write
    # (documents of objects gone or no longer searchable) is removed: the rows of a lower version.

    def rebuild_begin(self):
        self._vocabulary = (Counter(), {})
        return ""

    def rebuild_load(self, target, documents, *, version):
        docs = list({doc.id[:160]: doc for doc in documents}.values())
        if not docs:
            return 0
        counter, displays = self._vocabulary
        self.index(docs, vocabulary=False, version=version)
        if self.connection.vendor == "sqlite":
            time.sleep(WRITERS_PAUSE)
        for doc in docs:
            _vocabulary((doc.title, doc.body, keywords_text(doc)), counter, displays)
        return len(docs)

    def rebuild_loaded(self, target):
        """The vocabulary recounted; the journal's replay (next) adds the words of its documents."""
        counter, displays = self._vocabulary
        with transaction.atomic(using=self.using):
            SearchTerm.objects.using(self.using).all().delete()
            self._add_terms(counter, displays, ignore_conflicts=True)

    def rebuild_finish(self, target, *, started_at, version):
        """The rows the load did not write, nor a sync of a later read: removed with the rebuild's
        version (remove() compares again under the lock: a row rewritten meanwhile by a newer read
        stays), leaving tombstones like any removal."""
        stale = list(SearchEntry.objects.using(self.using).filter(version__lt=version)
                     .values_list("doc_id", flat=True))
        for start in range(0, len(stale), BATCH):
            self.remove(stale[start:start + BATCH], version=version - 1)
            if self.connection.vendor == "sqlite":
                time.sleep(WRITERS_PAUSE)
        self.engine.optimize(self.using)

    def doc_ids(self):
        return set(SearchEntry.objects.using(self.using).values_list("doc_id", flat=True))

    COMPARED = ("type", "mairie", "audience", "title", "url", "status", "quartier", "language")

    def stored(self, doc_ids):
        rows = SearchEntry.objects.using(self.using).filter(doc_id__in=list(doc_ids)).values("doc_id", *self.COMPARED)
        return {row.pop("doc_id"): row for row in rows}

    def comparable(self, doc):
        entry = self._entry(doc)
        return {field: getattr(entry, field) for field in self.COMPARED}

    def type_counts(self, visibility):
        where, params = visibility.as_sql("e")
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT e.type, COUNT(*) FROM search_searchentry AS e WHERE {where} "  # noqa: S608
                           "GROUP BY e.type ORDER BY COUNT(*) DESC, e.type", params)
            return dict(cursor.fetchall())

    # --- reading -------------------------------------------------------------------------------

    def _matched(self, query, visibility, mode):
        """The SELECT of matching, visible, filtered documents, and its params."""
        where, params = _filters(query, visibility)
        if mode == "browse":
            source, rank, match_params = "FROM search_searchentry AS e", "0.0", []
        else:
            source, condition, rank, match_params = self.engine.match(query, mode)
            where = f"{condition} AND {where}"
        sql = (f"SELECT e.id AS id, e.type AS type, e.quartier AS quartier, e.status AS status, e.date AS dt, "
               f"{rank} AS rank {source} WHERE {where}")
        return sql, match_params + params

    def count(self, query, visibility, mode="all"):
        sql, params = self._matched(query, visibility, mode)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS c", params)  # noqa: S608 -- our SQL, params bound
            return cursor.fetchone()[0]

    def _run(self, query, visibility, mode):
        matched, params = self._matched(query, visibility, mode)
        order = "rank, dt DESC NULLS LAST, id"
        sql = f"""WITH m AS {self.engine.materialized} ({matched})
            SELECT 'hit', NULL, h.id, CAST(h.rank AS DOUBLE PRECISION), ROW_NUMBER() OVER (ORDER BY {order})
              FROM (SELECT id, rank, dt FROM m ORDER BY {order} LIMIT %s OFFSET %s) AS h
            UNION ALL SELECT 'count', NULL, NULL, CAST(COUNT(*) AS DOUBLE PRECISION), NULL FROM m
            UNION ALL SELECT 'type', type, NULL, CAST(COUNT(*) AS DOUBLE PRECISION), NULL FROM m GROUP BY type
            UNION ALL SELECT 'quartier', quartier, NULL, CAST(COUNT(*) AS DOUBLE PRECISION), NULL
              FROM m WHERE quartier <> '' GROUP BY quartier
            UNION ALL SELECT 'status', status, NULL, CAST(COUNT(*) AS DOUBLE PRECISION), NULL
              FROM m WHERE status <> '' GROUP BY status
            UNION ALL SELECT 'tags', f.name, NULL, CAST(f.n AS DOUBLE PRECISION), NULL FROM (
              SELECT t.name AS name, COUNT(*) AS n FROM m {self.engine.tags_join}
              GROUP BY t.name ORDER BY COUNT(*) DESC, t.name LIMIT {TAG_FACET_SIZE}) AS f"""  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, query.page_size, query.offset])
            rows = cursor.fetchall()
        results = SearchResults(query=query, match="all" if mode == "browse" else mode)
        hits = []
        for kind, key, entry_id, value, position in rows:
            if kind == "hit":
                hits.append((position, entry_id, value))
            elif kind == "count":
                results.count = int(value)
            else:
                results.facets[kind][key] = int(value)
        results.facets["tags"] = dict(sorted(results.facets["tags"].items(), key=lambda kv: (-kv[1], kv[0])))
        hits.sort()
        results.hits = self._hits([(entry_id, rank) for _pos, entry_id, rank in hits], query, mode)
        return results

    def _hits(self, ranked, query, mode):
        if not ranked:
            return []
        entries = {e.id: e for e in SearchEntry.objects.using(self.using).filter(id__in=[i for i, _r in ranked])}
        tags = {}
        for entry_id, name in SearchTag.objects.using(self.using).filter(entry_id__in=entries).values_list(
                "entry_id", "name"):
            tags.setdefault(entry_id, []).append(name)
        with self.connection.cursor() as cursor:
            marks = self.engine.highlights(cursor, list(entries.values()), query, mode)
        hits = []
        for entry_id, rank in ranked:
            e = entries.get(entry_id)
            if e is None:  # removed between the two queries
                continue
            title_html, body_html = marks[entry_id] if entry_id in marks else (marked(e.title, ()), extract(e.body, ()))
            hits.append(Hit(type=e.type, id=e.doc_id, title=e.title, url=e.url, highlight=body_html,
                            title_highlight=title_html, score=round(-rank, 4) if mode != "browse" else 0.0,
                            date=e.date, mairie=e.mairie, tags=tags.get(entry_id, []), quartier=e.quartier,
                            status=e.status))
        return hits

    def search(self, query, visibility):
        if not query.text:
            return self._run(query, visibility, "browse")
        if not query.words:  # only stop words: nothing to look for
            return SearchResults(query=query)
        results = self._run(query, visibility, "all")
        if results.count == 0 and len(set(query.stems)) > 1:
            results = self._run(query, visibility, "any")
        if results.count == 0 or results.match == "any":
            results.suggestions = self.did_you_mean(query, visibility)
        return results

    # --- suggestions ---------------------------------------------------------------------------

    def suggest(self, text, visibility, limit=8):
        prefixes = words(clean(text)[:100])[:6]
        if not prefixes or len("".join(prefixes)) < 2:
            return []
        source, condition, params = self.engine.suggest(prefixes)
        where, filter_params = visibility.as_sql("e")
        sql = (f"SELECT e.title, e.url, e.type {source} WHERE {condition} AND {where} "  # noqa: S608
               f"ORDER BY length(e.title), e.date DESC NULLS LAST, e.id LIMIT %s")
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, *filter_params, limit])
            return [{"title": title, "url": url, "type": type_} for title, url, type_ in cursor.fetchall()]

    def did_you_mean(self, query, visibility):
        """A corrected query, built from the index's vocabulary, offered only if it finds something
        this user may see (so that the vocabulary of documents they may not see never leaks)."""
        query_words = query.words
        known = set(SearchTerm.objects.using(self.using).filter(stem__in=query.stems).values_list("stem", flat=True))
        fixes = {}
        for word in query_words:
            if known.intersection(stem_variants(word)) or len(word) < 3 or not word.isalpha():
                continue
            candidates = dict(
                SearchTerm.objects.using(self.using)
                .filter(word__gte=word[0], word__lt=chr(ord(word[0]) + 1))
                .annotate(size=Length("word")).filter(size__gte=len(word) - 2, size__lte=len(word) + 2)
                .order_by("-frequency").values_list("word", "display")[:5000])
            best = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.75)
            if best:
                fixes[word] = candidates[best[0]]
        if not fixes:
            return []
        corrected = WORD_RE.sub(lambda m: fixes.get(fold(m.group()), m.group()), query.text)
        if corrected == query.text:
            return []
        if self.count(query.with_text(corrected), visibility, mode="all") > 0:
            return [corrected]
        return []
