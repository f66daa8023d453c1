"""RESULTS.md from the figures of bench/run.py."""

# Issue 9's goals, as ratios to the bare view: anonymous cached pages, logged-in renders, the vote.
GOALS = {"cached": 0.5, "rendered": 0.04, "vote": 0.1}


def ratio(run, bare):
    return run["rps"] / bare["rps"] if bare and bare.get("rps") else None


def _fmt(value, digits=1):
    return "—" if value is None else f"{value:,.{digits}f}"


def render(results):
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Run on {results['date']} by `bench/run.py` ({results['command']}).",
        "",
        f"- Machine: {m['nproc']} CPU(s), {m['ram_gib']} GiB RAM, {m['cpu']}, Linux {m['kernel']}, "
        f"Python {m['python']}; load average at start {', '.join(f'{x:.1f}' for x in m['load_start'])}, "
        f"at end {', '.join(f'{x:.1f}' for x in m.get('load_end', (0, 0, 0)))} (the machine is shared: "
        "absolute figures move with its load, the ratios much less).",
        f"- Server: gunicorn, {results['config']['workers']} workers ({results['config']['worker_class']}, "
        f"{results['config']['threads']} thread(s) each), `cms.settings.production` (DEBUG off), persistent "
        "database connections (DB_CONN_MAX_AGE=60), on 127.0.0.1.",
        f"- Client: wrk, 1 thread, {results['config']['duration']} s per measure, concurrency "
        f"{', '.join(map(str, results['config']['concurrency']))}; client and server share the same CPUs.",
        "- Ratios: requests/s divided by the bare view's requests/s at the same concurrency, same server, "
        "same run. Anonymous pages are served from the page cache (cms/cache.py, 5 s); logged-in pages are "
        "rendered for each request, with the parts every visitor sees the same (shared fragments, search results, "
        "the route table) kept for the same 5 s; each database's second table measures them with those off. "
        "API endpoints are never page-cached. Queries: the database queries of one "
        "such request, counted in process with the same settings (0: served from the page cache).",
        "",
    ]
    for db in results["databases"]:
        lines += render_database(db, results["config"]["concurrency"])
    lines += render_goals(results)
    if results.get("search_bench"):
        lines += ["", "## Search at 100,000 documents (bench/search_bench.py)", "", "```",
                  results["search_bench"]["output"].strip(), "```"]
    return "\n".join(lines) + "\n"


def render_database(db, levels):
    seed = db.get("seed", {})
    made = ", ".join(f"{k} {v:,}" for k, v in seed.get("made", {}).items())
    skipped = "; ".join(f"{k}: {v}" for k, v in seed.get("skipped", {}).items()) or "none"
    lines = [f"## {db['database']} (page cache: {db['cache']})", "",
             f"Data set (scale {seed.get('scale')}): {made}. Skipped: {skipped}. "
             f"Prepared in {seed.get('prepare_seconds', '?')} s.", ""]
    lines += scenario_table(db["scenarios"], db.get("queries", {}), levels)
    vote = db["scenarios"].get("vote", {})
    for level, run in vote.get("runs", {}).items():
        exact = run["exact"]
        lines.append("")
        lines.append(f"Votes at c={level}: {exact['created_201']} answered 201 within the measure (+ "
                     f"{exact['in_flight_at_stop']} in flight when it stopped), counters moved by "
                     f"{exact['counter_increase']}, Support rows by {exact['rows_increase']}, each project's "
                     f"counter moved as its rows: {'yes' if not exact['counter_row_mismatches'] else 'NO'}; answers "
                     f"{run.get('statuses')}; counts exact: **{'yes' if exact['ok'] else 'NO'}**.")
    floor = db.get("search_floor")
    api = db["scenarios"].get("search_api", {}).get("runs", {})
    if floor and not floor.get("error") and api:
        first = api.get(min(api, key=lambda k: int(k)))
        lines += ["", f"Search on this data set ({floor['docs']:,} documents): bare {floor['vendor']} full-text "
                  f"query p95 {floor['p95_ms']:.2f} ms (in process, no HTTP); search API over HTTP at c=1 p95 "
                  f"{first['p95'] / 1000:.2f} ms, i.e. {first['p95'] / 1000 / max(floor['p95_ms'], 0.001):.1f}×."]
    elif floor and floor.get("error"):
        lines += ["", f"Search floor: {floor['error']}"]
    off = db.get("shared_caches_off")
    if off:
        lines += ["", "### The same logged-in pages with the shared caches off", "",
                  "A second server with `PAGE_CACHE_SECONDS=0`: no shared fragment, search result, route table or "
                  "page is kept between requests (only the mairie directory is), so each request renders every part "
                  "of its page. Ratios to that server's own bare view.", ""]
        lines += scenario_table(off["scenarios"], off.get("queries", {}), levels)
    lines.append("")
    return lines


def scenario_table(scenarios, counted, levels):
    lines = ["| scenario | who | queries | c | req/s | p50 ms | p95 ms | p99 ms | × bare | non-2xx |", "|" + "---|" * 10]
    bare_runs = scenarios.get("bare", {}).get("runs", {})
    for key, entry in scenarios.items():
        if entry.get("unavailable"):
            lines.append(f"| {entry['label']} | {entry['who']} | | | {entry['unavailable']} | | | | | |")
            continue
        queries = counted.get(key, {}).get("queries", "?") if key != "bare" else 0
        for level in levels:
            run = entry["runs"].get(level) or entry["runs"].get(str(level))
            if not run:
                continue
            bare = bare_runs.get(level) or bare_runs.get(str(level))
            bad = run["errors"]["status"] + run["errors"]["timeout"] + run["errors"]["connect"]
            lines.append(f"| {entry['label']} | {entry['who']} | {queries} | {level} | {_fmt(run['rps'])} | "
                         f"{_fmt(run['p50'] / 1000)} | {_fmt(run['p95'] / 1000)} | {_fmt(run['p99'] / 1000)} | "
                         f"{_fmt(ratio(run, bare), 3)} | {bad} |")
    return lines


def render_goals(results):
    lines = ["## Goals (issue 9), ratios to the bare view in the same run", "",
             "| goal | database | scenario | worst ratio (c) | best ratio (c) | met |", "|---|---|---|---|---|---|"]
    for db in results["databases"]:
        lines += goal_rows(db["database"], db["scenarios"], "")
        if db.get("shared_caches_off"):
            lines += goal_rows(db["database"], db["shared_caches_off"]["scenarios"], ", shared caches off")
    return lines


def goal_rows(database, scenarios, note):
    lines = []
    bare_runs = scenarios.get("bare", {}).get("runs", {})
    for _key, entry in scenarios.items():
        goal = GOALS.get(entry["kind"])
        if goal is None or entry.get("unavailable") or (entry["kind"] == "vote" and database != "postgres"):
            continue
        ratios = [(ratio(run, bare_runs.get(level)), level) for level, run in entry["runs"].items()
                  if bare_runs.get(level)]
        if not ratios:
            continue
        worst, best = min(ratios), max(ratios)
        met = "yes" if worst[0] >= goal else ("at some concurrencies" if best[0] >= goal else "**no**")
        if entry["kind"] == "vote":
            exact = all(r["exact"]["ok"] for r in entry["runs"].values())
            met += "; counts exact" if exact else "; **counts NOT exact**"
        lines.append(f"| ≥ {goal} × bare | {database} | {entry['label']} ({entry['who']}{note}) | "
                     f"{worst[0]:.3f} (c={worst[1]}) | {best[0]:.3f} (c={best[1]}) | {met} |")
    return lines
