"""Search speed at 100,000 documents: the platform's search next to the floors and the alternatives.

    .venv/bin/python bench/search_bench.py                 # SQLite, and PostgreSQL if it answers
    .venv/bin/python bench/search_bench.py --docs 20000    # a quicker run
    .venv/bin/python bench/search_bench.py --reload        # regenerate the documents

Each database runs in its own process on a scratch database (var/bench/search_bench.sqlite3, or
bench_search_bench on the PostgreSQL server at BENCH_POSTGRES). The documents are synthetic French:
the demo content's vocabulary (seed_demo) in a Zipf distribution, with stop words, tags, quartiers,
statuses, three mairies and 8 % agents-only documents. They are loaded once (bulk) and kept.

Measured, on the same data and the same queries (1 to 3 words, common to rare), after a warm-up;
the platform's search and the floor run interleaved, each query three times, best time kept:
- platform: search.selectors.search_results() as an anonymous visitor on the 19e: visibility filter,
  page of 20 hits with extracts, exact count, four facets (the whole work of a search page);
- floor: the bare engine query, FTS5 `MATCH … ORDER BY bm25 LIMIT 20` on SQLite, tsvector
  `@@ … ORDER BY ts_rank LIMIT 20` on PostgreSQL, with the platform's match expression (and, like
  the platform, a second one with any word when no document has every word);
- wagtail: Wagtail's own database search backend (modelsearch) over the same rows, first 20 results;
- icontains: the naive scan a search page would do without an index: every word in title or body
  (icontains), with the same visibility filter, count and the 20 newest.
Wagtail's backend and icontains are slow, so they run on the first queries only (--slow-queries);
the ratios compare each method with the platform's search on those same queries.
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_common import add_child_arguments, default_targets, run_children, setup_django  # noqa: E402

BENCH_TYPE_PREFIX = "bench."
TYPES = ["bench.page", "bench.proposal", "bench.project", "bench.event"]
TAGS = ["culture", "sport", "jeunesse", "seniors", "propreté", "végétalisation", "mobilité", "solidarité",
        "numérique", "santé", "logement", "école", "commerce", "sécurité", "fête", "musique", "jardin",
        "vélo", "enfance", "accessibilité", "démarches", "état civil", "associations", "budget",
        "éclairage", "bruit", "marché", "canal", "parvis", "bibliothèque"]
QUARTIERS = ["villette", "pont-de-flandre", "amerique", "combat", "belleville", "pere-lachaise", "saint-fargeau",
             "charonne"]
STATUSES = ["proposed", "accepted", "selected", "launched", "declined", "open"]
STOP = ["le", "la", "les", "de", "des", "du", "et", "à", "un", "une", "pour", "dans", "sur", "avec", "qui",
        "que", "en", "au", "aux", "l'", "d'"]


# --- data ------------------------------------------------------------------------------------------

def vocabulary():
    """Surface forms of the demo content, most frequent first, with their plural twins."""
    from search.models import SearchTerm

    words = list(SearchTerm.objects.order_by("-frequency", "word").values_list("display", flat=True))
    forms = []
    for word in words:
        forms.append(word)
        if word[-1] not in "sxz":
            forms.append(word + "s")
    return forms


def zipf_sampler(words, rng, exponent=1.05):
    weights = [1 / (rank + 1) ** exponent for rank in range(len(words))]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def sample(k):
        return rng.choices(words, cum_weights=cumulative, k=k)

    return sample


def documents(count, words, seed=42):
    from search.documents import AGENTS, PUBLIC, SearchDocument

    rng = random.Random(seed)
    sample = zipf_sampler(words, rng)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(count):
        title_words = sample(rng.randint(3, 8))
        title = " ".join(title_words).capitalize()
        body = []
        for word in sample(rng.randint(40, 160)):
            if rng.random() < 0.4:
                body.append(rng.choice(STOP))
            body.append(word)
        roll = rng.random()
        mairie = "paris19" if roll < 0.45 else "paris20" if roll < 0.9 else None
        doc_type = rng.choice(TYPES)
        yield SearchDocument(
            type=doc_type, id=f"{doc_type}:{i}", mairie=mairie,
            audience=AGENTS if rng.random() < 0.08 else PUBLIC, title=title[:300], body=" ".join(body) + ".",
            url=f"/bench/{i}/", tags=rng.sample(TAGS, rng.randint(0, 3)),
            quartier=rng.choice(QUARTIERS) if rng.random() < 0.7 else None, status=rng.choice(STATUSES),
            date=start + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
        )


def queries(words, count, seed=7):
    """1 to 3 words; ranks from common (10th word) to rare (2,000th); some typed without accents."""
    from search.analysis import fold

    rng = random.Random(seed)
    out = []
    for _ in range(count):
        size = rng.choices([1, 2, 3], weights=[40, 40, 20])[0]
        chosen = [words[min(len(words) - 1, int(rng.uniform(10, 2000)))] for _ in range(size)]
        text = " ".join(chosen)
        out.append(fold(text) if rng.random() < 0.3 else text)
    return out


# --- methods ---------------------------------------------------------------------------------------

def platform_search(mairie):
    from django.contrib.auth.models import AnonymousUser

    from search.query import SearchQuery
    from search.selectors import search_results

    user = AnonymousUser()

    def run(text):
        results = search_results(user=user, mairie=mairie, query=SearchQuery.build(text=text))
        return results.count

    return run


def floor_query():
    """The bare engine query with the platform's match expression: every word first and, like the
    platform, any word when no document has them all."""
    from django.db import connection

    from search.backends.database import BM25_WEIGHTS, PostgresEngine, SQLiteEngine
    from search.query import SearchQuery

    if connection.vendor == "sqlite":
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        sql = f"SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY bm25(search_fts, {weights}) LIMIT 20"  # noqa: S608

        def expression(query, mode):
            return SQLiteEngine().match(query, mode)[3][0]
    else:
        sql = ("SELECT id FROM search_searchentry, to_tsquery('french_unaccent', %s) AS q WHERE document @@ q "
               "ORDER BY ts_rank(document, q, 1) DESC LIMIT 20")

        def expression(query, mode):
            return PostgresEngine.search_tsquery(query, mode)

    def run(text):
        query = SearchQuery.build(text=text)
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression(query, "all")])
            rows = cursor.fetchall()
            if not rows and len(query.stem_groups) > 1:
                cursor.execute(sql, [expression(query, "any")])
                rows = cursor.fetchall()
        return len(rows)

    return run


def icontains_scan(mairie):
    from django.db.models import Q

    from search.documents import PUBLIC
    from search.models import SearchEntry

    visible = Q(audience=PUBLIC) & (Q(mairie=mairie.slug) | Q(mairie__isnull=True))

    def run(text):
        condition = visible
        for word in text.split():
            condition &= Q(title__icontains=word) | Q(body__icontains=word)
        queryset = SearchEntry.objects.filter(condition)
        count = queryset.count()
        list(queryset.order_by("-date")[:20].values_list("id", "title"))
        return count

    return run


def wagtail_model():
    """Wagtail's search indexes models; this one reads the platform's SearchEntry rows (bench only)."""
    from django.db import models
    from wagtail.search import index

    class WagtailBenchEntry(index.Indexed, models.Model):
        title = models.CharField(max_length=300)
        body = models.TextField()
        search_fields = [index.SearchField("title", boost=2), index.SearchField("body")]

        class Meta:
            app_label = "search"
            db_table = "search_searchentry"
            managed = False

    return WagtailBenchEntry


def wagtail_load(model, stdout):
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    backend = get_search_backend()
    if IndexEntry.objects.count() >= model.objects.count():
        return backend, 0.0
    IndexEntry.objects.all()._raw_delete(using="default")
    started = time.perf_counter()
    index = backend.get_index_for_model(model)
    last = 0
    while True:
        batch = list(model.objects.filter(pk__gt=last).order_by("pk")[:2000])
        if not batch:
            break
        index.add_items(model, batch)
        last = batch[-1].pk
    return backend, time.perf_counter() - started


def wagtail_search(model, backend):
    def run(text):
        return len(list(backend.search(text, model.objects.all())[:20]))

    return run


# --- measuring -------------------------------------------------------------------------------------

def timed(run, texts, warmup=True):
    if warmup:
        for text in texts[: min(len(texts), 20)]:
            run(text)
    times = []
    for text in texts:
        started = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def timed_together(runs, texts, repeat=3):
    """Methods interleaved query by query, each query `repeat` times, the best time kept: on a shared
    machine, load spikes then hit every method alike instead of whichever runs at that moment."""
    for text in texts[: min(len(texts), 20)]:
        for run in runs.values():
            run(text)
    times = {name: [] for name in runs}
    for text in texts:
        for name, run in runs.items():
            best = None
            for _ in range(repeat):
                started = time.perf_counter()
                run(text)
                elapsed = (time.perf_counter() - started) * 1000
                best = elapsed if best is None else min(best, elapsed)
            times[name].append(best)
    return times


def summary(times):
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"n": len(times), "p50": statistics.median(ordered), "p95": p95, "mean": statistics.fmean(ordered)}


def load(count, reload, stdout):
    from django.core.management import call_command

    from search.backends.database import DatabaseBackend
    from search.models import SearchEntry, SearchTerm

    have = SearchEntry.objects.filter(type__startswith=BENCH_TYPE_PREFIX).count()
    if have == count and not reload and SearchTerm.objects.exists():
        return None, vocabulary_cache()
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    words = vocabulary()
    save_vocabulary(words)
    started = time.perf_counter()
    DatabaseBackend().rebuild(documents(count, words))
    return time.perf_counter() - started, words


def _vocabulary_file():
    from django.db import connection

    name = Path(str(connection.settings_dict["NAME"])).name
    return Path(__file__).resolve().parent.parent / "var" / "bench" / f"{name}.vocabulary.json"


def save_vocabulary(words):
    path = _vocabulary_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(words))


def vocabulary_cache():
    return json.loads(_vocabulary_file().read_text())


def child(args):
    setup_django(args.database_url, args.search_backend)
    from django.db import connection

    from cms.models import Mairie
    from search.models import SearchEntry

    load_seconds, words = load(args.docs, args.reload, print)
    mairie = Mairie.objects.get(slug="paris19")
    texts = queries(words, args.queries)
    slow = texts[: args.slow_queries]
    report = {"vendor": connection.vendor, "docs": SearchEntry.objects.count(), "queries": len(texts),
              "load_seconds": load_seconds, "methods": {}}
    platform = platform_search(mairie)
    together = timed_together({"platform": platform, "floor": floor_query()}, texts)
    report["methods"]["platform"] = summary(together["platform"])
    report["methods"]["floor"] = summary(together["floor"])
    report["methods"]["platform (slow subset)"] = summary(together["platform"][: len(slow)])
    report["methods"]["icontains"] = summary(timed(icontains_scan(mairie), slow, warmup=False))
    if not args.skip_wagtail:
        model = wagtail_model()
        backend, seconds = wagtail_load(model, print)
        report["wagtail_load_seconds"] = seconds
        report["methods"]["wagtail"] = summary(timed(wagtail_search(model, backend), slow, warmup=False))
    matched = [platform(text) for text in texts]
    report["matches"] = {"median": statistics.median(matched), "max": max(matched),
                         "zero": sum(1 for m in matched if m == 0)}
    print(json.dumps(report))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--slow-queries", type=int, default=10, help="queries for Wagtail's backend and icontains")
    parser.add_argument("--reload", action="store_true", help="regenerate and reload the documents")
    parser.add_argument("--skip-wagtail", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    add_child_arguments(parser)
    args = parser.parse_args()
    if args.child:
        return child(args)
    targets = [t for t in default_targets("search_bench") if t[2] == "database"]
    if args.only:
        targets = [t for t in targets if ("sqlite" if t[1].startswith("sqlite") else "postgresql") == args.only]
    extra = ["--docs", str(args.docs), "--queries", str(args.queries), "--slow-queries", str(args.slow_queries)]
    extra += ["--reload"] if args.reload else []
    extra += ["--skip-wagtail"] if args.skip_wagtail else []
    reports = run_children(Path(__file__), targets, extra)
    for report in reports:
        print_report(report)
    return 0


def print_report(r):
    m = r["methods"]
    floor_name = "bare FTS5 MATCH … ORDER BY bm25 LIMIT 20" if r["vendor"] == "sqlite" else \
        "bare tsvector @@ … ORDER BY ts_rank LIMIT 20"
    print(f"\n{r['label']}: {r['docs']:,} documents, {r['queries']} queries "
          f"(matches per query: median {r['matches']['median']:.0f}, max {r['matches']['max']:,}, "
          f"{r['matches']['zero']} with none)")
    if r.get("load_seconds"):
        print(f"  load: {r['load_seconds']:.0f} s for the platform's index"
              + (f", {r['wagtail_load_seconds']:.0f} s for Wagtail's" if r.get("wagtail_load_seconds") else ""))
    rows = [("platform search (page, count, facets, extracts)", m["platform"]), (floor_name, m["floor"]),
            (f"platform search, first {m['icontains']['n']} queries", m["platform (slow subset)"]),
            ("naive icontains scan (count + 20 newest)", m["icontains"])]
    if "wagtail" in m:
        rows.append(("Wagtail database search backend (modelsearch)", m["wagtail"]))
    print(f"  {'method':<52} {'n':>4} {'p50 ms':>9} {'p95 ms':>9} {'mean ms':>9}")
    for name, s in rows:
        print(f"  {name:<52} {s['n']:>4} {s['p50']:>9.1f} {s['p95']:>9.1f} {s['mean']:>9.1f}")
    sub = m["platform (slow subset)"]["p95"]
    print(f"  p95 platform / floor: {m['platform']['p95'] / m['floor']['p95']:.2f}x (goal: within 3x)")
    print(f"  p95 icontains / platform: {m['icontains']['p95'] / sub:.0f}x (goal: at least 10x)")
    if "wagtail" in m:
        print(f"  p95 Wagtail / platform: {m['wagtail']['p95'] / sub:.0f}x (goal: at least 100x)")


if __name__ == "__main__":
    sys.exit(main())
