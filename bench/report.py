"""RESULTS.md from the figures of bench/run.py."""

# Issue 22's goals, as ratios to the bare Django application (bench/bare_app.py) at the same
# concurrency in the same run: by scenario key first, else by kind. The vote's is on PostgreSQL only.
GOALS = {"search_api": 0.5, "list_api": 0.1, "cached": 0.7, "rendered": 0.05, "vote": 0.1}
BASELINE = "django"  # the scenario key of the bare Django application in bench/run.py
# The most the baseline may move between its measures before and after the scenarios (relative to the
# larger): beyond it the machine's load changed too much during the run for any ratio to mean anything.
BASELINE_DRIFT = 0.25


def goal_of(key, entry):
    return GOALS.get(key, GOALS.get(entry["kind"]))


def excused(run):
    """Empty-queue answers of "call next" when the queue was indeed drained: counted apart, no error."""
    return int((run.get("exact") or {}).get("empty_queue_excused", 0))


def bad_statuses(run):
    """The non-2xx answers by status, less the excused empty-queue 409s."""
    bad = {k: v for k, v in (run.get("statuses") or {}).items() if not str(k).startswith("2")}
    if excused(run):
        bad["409"] = bad.get("409", 0) - excused(run)
        bad = {k: v for k, v in bad.items() if v > 0}
    return bad


def problems(run):
    """Why a measure cannot be compared: answers other than 2xx, socket errors, inexact counts, a
    drained queue."""
    found = []
    if not run.get("requests"):
        found.append("no answer within the measure")
    statuses = run.get("statuses")
    if statuses is not None:
        bad = bad_statuses(run)
        if bad:
            found.append(f"{sum(bad.values())} non-2xx answers ({', '.join(f'{v} × {k}' for k, v in sorted(bad.items()))})")
    elif run["errors"]["status"]:
        found.append(f"{run['errors']['status']} non-2xx answers")
    if run["errors"]["timeout"]:
        found.append(f"{run['errors']['timeout']} timeouts")
    sockets = run["errors"]["connect"] + run["errors"]["read"] + run["errors"]["write"]
    if sockets:
        found.append(f"{sockets} socket errors")
    if "exact" in run and not run["exact"]["ok"]:
        why = run["exact"].get("why")
        found.append("counts not exact" + (f" ({'; '.join(why)})" if why else ""))
    if excused(run):
        found.append(f"the queue was drained ({excused(run)} empty-queue answers, counted apart, not errors: "
                     "seed more waiting tickets)")
    return found


def ratio(run, baseline_entry, level):
    """(ratio, None), or (None, why no ratio is given): the baseline missing or not clean at this
    concurrency, or this measure not clean."""
    if not baseline_entry or baseline_entry.get("unavailable"):
        why = (baseline_entry or {}).get("unavailable", "not measured")
        return None, f"no ratio: the bare Django baseline is missing ({why})"
    base = baseline_entry["runs"].get(level) or baseline_entry["runs"].get(str(level))
    if not base or not base.get("rps"):
        return None, f"no ratio: the bare Django baseline is missing at c={level}"
    after = baseline_entry.get("runs_after", {})
    base_after = after.get(level) or after.get(str(level))
    base_problems = problems(base) + (problems(base_after) if base_after else [])
    if base_problems:
        return None, f"no ratio: the baseline had {'; '.join(base_problems)}"
    if base_after:
        drift = abs(base_after["rps"] - base["rps"]) / max(base_after["rps"], base["rps"])
        if drift > BASELINE_DRIFT:
            return None, (f"no ratio: the baseline moved by {drift:.0%} during the run ({base['rps']:,.0f} → "
                          f"{base_after['rps']:,.0f} req/s at c={level}): the machine's load changed")
    own = problems(run)
    if own:
        return None, f"no ratio: {'; '.join(own)}"
    return run["rps"] / baseline_rps(baseline_entry, level), None


def baseline_rps(baseline_entry, level):
    """The baseline's rate at this concurrency: the mean of its measures before and after the
    scenarios when both were made."""
    rates = [runs.get(level, runs.get(str(level)) or {}).get("rps")
             for runs in (baseline_entry["runs"], baseline_entry.get("runs_after", {}))]
    rates = [r for r in rates if r]
    return sum(rates) / len(rates)


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
        "absolute figures move with its load, and the ratios too, less: under contention cheap requests wait for a "
        "CPU more than they use one).",
        f"- Server: gunicorn, {results['config']['workers']} workers ({results['config']['worker_class']}, "
        f"{results['config']['threads']} thread(s) each), `cms.settings.production` (DEBUG off), persistent "
        "database connections (DB_CONN_MAX_AGE=60), on 127.0.0.1.",
        f"- Client: wrk, 1 thread, {results['config']['duration']} s per measure, concurrency "
        f"{', '.join(map(str, results['config']['concurrency']))}"
        + (f" (the hall screen's endpoint, and the baseline, also at {results['config']['hall_screens']}: as many "
           "screens polling at once)" if results["config"].get("hall_screens") else "")
        + "; client and server share the same CPUs.",
        f"- Baseline: a bare Django application (`{results['config'].get('baseline', 'bench.bare_app:application')}`: "
        "SecurityMiddleware and CommonMiddleware only, one view answering a short HTML page, no database, no "
        "template), served beside the platform by a second gunicorn with the same server settings. The platform's "
        "own `/bare/` view (no database, no template) goes through every middleware of the platform: its row, "
        "\"through our middleware\", shows what the stack alone costs.",
        "- Ratios (× bare Django): requests/s divided by the bare Django application's requests/s at the same "
        "concurrency, in the same run: the mean of its measure before the platform's scenarios and its measure "
        "after them (both rows are in the table, each with its ratio to that mean). No ratio is given when "
        "the baseline is missing or had an answer other than 2xx, when it moved by more than "
        f"{BASELINE_DRIFT:.0%} between its two measures (the load changed), when the measure had a non-2xx answer "
        "or a socket error, or when the votes' counts are not exact: the cell says which. Anonymous pages are served from the page cache (cms/cache.py, 5 s); logged-in pages are "
        "rendered for each request, with the parts every visitor sees the same (shared fragments, search results, "
        "the route table) kept for the same 5 s; each database's second table measures them with those off. "
        "API endpoints are never page-cached. Queries: the database queries of one "
        "such request, counted in process with the same settings (0: served from the page cache).",
        "",
    ]
    for db in results["databases"]:
        lines += render_database(db, results["config"]["concurrency"])
    lines += render_goals(results)
    if results.get("hall_day"):
        lines += render_hall_day(results["hall_day"])
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
    lines += hall_lines(db["scenarios"])
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
                  "of its page. Ratios to the bare Django application measured again beside this server. Not the "
                  "platform's default settings: no goal applies.", ""]
        lines += scenario_table(off["scenarios"], off.get("queries", {}), levels)
    lines.append("")
    return lines


def hall_lines(scenarios):
    """What the hall's write scenarios checked after each measure."""
    lines = []
    for level, run in scenarios.get("hall_take", {}).get("runs", {}).items():
        exact = run["exact"]
        lines += ["", f"Tickets taken at c={level}: {exact['answered_2xx']} answered 2xx within the measure (+ "
                  f"{exact['in_flight_at_stop']} in flight when it stopped), {exact['created']} tickets created; "
                  f"today's numbers 1..n once each: {'yes' if exact['numbers_distinct'] else 'NO'}; answers "
                  f"{run.get('statuses')}{_codes(run)}; counts exact: **{'yes' if exact['ok'] else 'NO'}**"
                  + (f" ({'; '.join(exact['why'])})" if exact["why"] else "") + "."]
    for level, run in scenarios.get("hall_call", {}).get("runs", {}).items():
        exact, hall = run["exact"], run.get("hall", {})
        lines += ["", f"Call next at c={level}: {exact['answered_2xx']} answered 2xx within the measure (+ "
                  f"{exact['in_flight_at_stop']} in flight when it stopped), {exact['called']} tickets called, each "
                  f"at one counter; the same ticket in two answers: {hall.get('given_twice', '?')} times; empty-queue "
                  f"answers: {exact['empty_queue']} ({exact['waiting_after']} tickets still waiting after the measure"
                  f"{': drained, counted apart' if exact['empty_queue_excused'] else ''}); answers {run.get('statuses')}"
                  f"{_codes(run)}; counts exact: **{'yes' if exact['ok'] else 'NO'}**"
                  + (f" ({'; '.join(exact['why'])})" if exact["why"] else "") + "."]
    return lines


def _codes(run):
    return f" (refusals by code: {run['codes']})" if run.get("codes") else ""


def render_hall_day(result):
    try:
        from bench import hall_day
    except ImportError:  # run as bench/run.py: bench/ is on the path
        import hall_day
    if result.get("error"):
        return ["", "## A day of one mairie replayed in simulation (bench/hall_day.py)", "",
                f"**Not available**: {result['error']} (the raw output is in the run's log)."]
    return ["", "## A day of one mairie replayed in simulation (bench/hall_day.py)", "",
            "The wait estimate a resident sees when taking a ticket (accueil/estimate.py through "
            "`accueil.selectors.ticket_status`), against the wait they then have, on a simulated day run through the "
            "hall's real services on simulated time (the model: bench/hall_day.py's docstring).", "",
            hall_day.text(result)]


def _levels(entry_runs, levels):
    """The run's concurrencies and this entry's own (the hall screen's is measured at one more)."""
    return sorted({*map(int, levels), *(int(k) for k in entry_runs)})


def scenario_table(scenarios, counted, levels):
    lines = ["| scenario | who | queries | c | req/s | p50 ms | p95 ms | p99 ms | × bare Django | non-2xx |",
             "|" + "---|" * 10]
    baseline = scenarios.get(BASELINE)
    for key, entry in scenarios.items():
        if entry.get("unavailable"):
            lines.append(f"| {entry['label']} | {entry['who']} | | | {entry['unavailable']} | | | | | |")
            continue
        queries = counted.get(key, {}).get("queries", "?") if entry["kind"] not in ("baseline", "bare") else 0
        for level in _levels(entry["runs"], levels):
            run = entry["runs"].get(level) or entry["runs"].get(str(level))
            if not run:
                continue
            value, why = ratio(run, baseline, level)
            statuses = run.get("statuses")
            bad = (sum(bad_statuses(run).values()) if statuses is not None
                   else run["errors"]["status"]) + run["errors"]["timeout"] + run["errors"]["connect"]
            lines.append(f"| {entry['label']} | {entry['who']} | {queries} | {level} | {_fmt(run['rps'])} | "
                         f"{_fmt(run['p50'] / 1000)} | {_fmt(run['p95'] / 1000)} | {_fmt(run['p99'] / 1000)} | "
                         f"{why or _fmt(value, 3)} | {bad} |")
    if baseline and baseline.get("runs_after"):
        label = "bare Django application, again after the scenarios"
        for level in _levels(baseline["runs_after"], levels):
            run = baseline["runs_after"].get(level) or baseline["runs_after"].get(str(level))
            if not run:
                continue
            lines.append(f"| {label} | {baseline['who']} | 0 | {level} | {_fmt(run['rps'])} | {_fmt(run['p50'] / 1000)} | "
                         f"{_fmt(run['p95'] / 1000)} | {_fmt(run['p99'] / 1000)} | "
                         f"{'; '.join(problems(run)) or _fmt(run['rps'] / baseline_rps(baseline, level), 3)} | "
                         f"{sum(v for k, v in run.get('statuses', {}).items() if not str(k).startswith('2'))} |")
    return lines


def render_goals(results):
    lines = ["## Goals (issue 22), ratios to the bare Django application in the same run", "",
             "With the platform's default settings (the shared caches on); the support POST's goal is on PostgreSQL "
             "with Redis. Met: at every concurrency measured. The platform's `/bare/` is shown for what the middleware "
             "stack alone costs; it has no goal.", "",
             "| goal | database | scenario | worst ratio (c) | best ratio (c) | met |", "|---|---|---|---|---|---|"]
    for db in results["databases"]:
        lines += goal_rows(db["database"], db["scenarios"], results["config"]["concurrency"])
    return lines


def goal_rows(database, scenarios, levels):
    lines = []
    baseline = scenarios.get(BASELINE)
    for key, entry in scenarios.items():
        goal = None if entry["kind"] == "bare" else goal_of(key, entry)
        if (entry.get("unavailable") or (goal is None and entry["kind"] != "bare")
                or (entry["kind"] == "vote" and database != "postgres")):
            continue
        label = f"{entry['label']} ({entry['who']})"
        ratios, refused = [], []
        for level in levels:
            run = entry["runs"].get(level) or entry["runs"].get(str(level))
            if not run:
                refused.append(f"c={level}: not measured")
                continue
            value, why = ratio(run, baseline, level)
            if why:
                refused.append(f"c={level}: {why}")
            else:
                ratios.append((value, level))
        worst = f"{min(ratios)[0]:.3f} (c={min(ratios)[1]})" if ratios else "—"
        best = f"{max(ratios)[0]:.3f} (c={max(ratios)[1]})" if ratios else "—"
        if refused:
            met = "**not reported**: " + "; ".join(refused)
        elif goal is None:
            met = "(no goal: the middleware stack's cost)"
        else:
            met = "yes" if min(ratios)[0] >= goal else ("at some concurrencies" if max(ratios)[0] >= goal else "**no**")
            if entry["kind"] == "vote":
                met += "; counts exact"
        lines.append(f"| {f'≥ {goal} ×' if goal is not None else '—'} | {database} | {label} | {worst} | {best} | "
                     f"{met} |")
    return lines
