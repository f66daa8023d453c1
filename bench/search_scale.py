"""How large an index the database backends serve well: the platform's search, its rebuild and its
sync writes at growing sizes (the figures of the README's "Search at scale").

    .venv/bin/python bench/search_scale.py                       # 100,000 and 300,000 documents
    .venv/bin/python bench/search_scale.py --sizes 1000000 --only sqlite

Each database in its own process on a scratch database of its own (var/bench/search_scale.sqlite3,
bench_search_scale on BENCH_POSTGRES). For each size, on bench/search_bench.py's synthetic French
documents and queries:
- load: the first rebuild into an empty index;
- search: search.selectors.search_results() as an anonymous visitor (page of 20 with extracts, exact
  count, four facets), p50/p95 over the queries, each the best of three, beside the bare engine query;
- rebuild: a second rebuild over the full index (in place, batch by batch), while another thread
  writes one document every 100 ms: the longest of those writes says how long a rebuild makes a
  write wait (SQLite has one writer at a time);
- sync: one document indexed (the sync task's write), p50/p95 of 50.
"""

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_common import add_child_arguments, default_targets, run_children, setup_django  # noqa: E402


def _percentiles(times):
    ordered = sorted(times)
    return {"p50": statistics.median(ordered), "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
            "max": ordered[-1]}


def _writer(stop, latencies):
    from django.db import connection

    from bench.search_bench import TYPES
    from search.documents import PUBLIC, SearchDocument
    from search.services import document_index

    n = 0
    while not stop.is_set():
        n += 1
        doc = SearchDocument(type=TYPES[0], id=f"{TYPES[0]}:writer-{n}", mairie="paris19", audience=PUBLIC,
                             title=f"Écrit pendant la reconstruction {n}", body="Un document de plus.",
                             url=f"/bench/writer/{n}/")
        started = time.perf_counter()
        document_index(documents=[doc])
        latencies.append((time.perf_counter() - started) * 1000)
        stop.wait(0.1)
    connection.close()


def measure(size, words, texts, mairie):
    from django.db import connection

    from bench.search_bench import documents, floor_query, platform_search, timed_together
    from search.backends.database import DatabaseBackend
    from search.documents import PUBLIC, SearchDocument
    from search.models import SearchEntry
    from search.services import document_index

    report = {"size": size}
    started = time.perf_counter()
    DatabaseBackend().rebuild(documents(size, words))
    report["load_s"] = time.perf_counter() - started
    report["docs"] = SearchEntry.objects.count()
    together = timed_together({"platform": platform_search(mairie), "floor": floor_query()}, texts)
    report["platform"], report["floor"] = _percentiles(together["platform"]), _percentiles(together["floor"])

    stop, latencies = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(stop, latencies))
    writer.start()
    started = time.perf_counter()
    DatabaseBackend().rebuild(documents(size, words, seed=43))
    report["rebuild_s"] = time.perf_counter() - started
    stop.set()
    writer.join()
    report["writes_during_rebuild"] = {"n": len(latencies), **_percentiles(latencies or [0])}

    sync = []
    for n in range(50):
        doc = SearchDocument(type="bench.page", id=f"bench.page:sync-{n}", mairie="paris19", audience=PUBLIC,
                             title=f"Une page modifiée {n}", body="Le texte de la page, modifié.", url=f"/s/{n}/")
        started = time.perf_counter()
        document_index(documents=[doc])
        sync.append((time.perf_counter() - started) * 1000)
    report["sync"] = _percentiles(sync)
    if connection.vendor == "sqlite":
        report["db_mb"] = Path(connection.settings_dict["NAME"]).stat().st_size / 1e6
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            report["db_mb"] = cursor.fetchone()[0] / 1e6
    return report


def child(args):
    setup_django(args.database_url, args.search_backend)
    from django.core.management import call_command
    from django.db import connection

    from bench.search_bench import queries, vocabulary
    from cms.models import Mairie

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    words = vocabulary()
    texts = queries(words, args.queries)
    mairie = Mairie.objects.get(slug="paris19")
    reports = []
    for size in args.sizes:
        reports.append(measure(size, words, texts, mairie))
        print(f"{size} done", flush=True)
    print(json.dumps({"vendor": connection.vendor, "reports": reports}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=lambda v: [int(s) for s in v.split(",")], default=[100_000, 300_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    add_child_arguments(parser)
    args = parser.parse_args()
    if args.child:
        return child(args)
    targets = [t for t in default_targets("search_scale") if t[2] == "database"]
    if args.only:
        targets = [t for t in targets if ("sqlite" if t[1].startswith("sqlite") else "postgresql") == args.only]
    extra = ["--sizes", ",".join(str(s) for s in args.sizes), "--queries", str(args.queries)]
    for report in run_children(Path(__file__), targets, extra):
        print(f"\n{report['label']}")
        print(f"  {'documents':>10} {'load s':>7} {'search p50/p95 ms':>18} {'floor p95':>9} {'rebuild s':>9} "
              f"{'write wait max ms':>17} {'sync p50 ms':>11} {'MB':>6}")
        for r in report["reports"]:
            print(f"  {r['docs']:>10,} {r['load_s']:>7.0f} {r['platform']['p50']:>8.1f} / {r['platform']['p95']:>7.1f} "
                  f"{r['floor']['p95']:>9.1f} {r['rebuild_s']:>9.0f} {r['writes_during_rebuild']['max']:>17.0f} "
                  f"{r['sync']['p50']:>11.1f} {r['db_mb']:>6.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
