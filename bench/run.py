"""The benchmark harness (`make bench`): the platform served as in production, driven over loopback.

    .venv/bin/python bench/run.py                      # issue 9's scale, SQLite then PostgreSQL
    .venv/bin/python bench/run.py --scale 0.01 --duration 3 --concurrency 1,8   # a quick run
    .venv/bin/python bench/run.py --databases sqlite --reuse                    # keep the data set

For each database: a fresh database (SQLite file var/bench/bench-<scale>.sqlite3, or the PostgreSQL
database `bench`, dropped and created here), migrated, the demo (seed_demo) and the scaled data set
(manage.py seed_scale --scale N) loaded; then gunicorn serves cms.wsgi with the bench settings
(bench/settings.py: production's, plus the bench app and the bare view; DEBUG off, 2 workers;
SECRET_KEY and ALLOWED_HOSTS set here, SECURE_SSL_REDIRECT off on loopback; persistent database
connections) and `wrk` (Debian's package, one client thread, in its own process)
measures each scenario for a fixed duration at each concurrency. Every figure is also given as a
ratio to a bare Django application (bench/bare_app.py: SecurityMiddleware and CommonMiddleware, one
view answering a short HTML page, no database), served beside the platform by a second gunicorn with
the same server settings (--bare-port) and measured in the same run at each concurrency; the
platform's own /bare/ view (no database, no template, but every middleware of the platform) stays in
the tables, "through our middleware", so that the stack's own cost shows. No ratio is given when the
baseline is missing or answered anything but 2xx, when a measure had a non-2xx answer or a socket
error, or when the votes' counts are not exact: the report says which.
Results: bench/RESULTS.md (and the raw figures in var/bench/results-<date>.json).

The support POST uses fresh (voter, project) pairs (tokens of voters made for the run), and the
counters are checked against the Support rows after each run: the counts must be exact.
The hall (issue 21): its screen's data endpoint, polled by --hall-screens (50) screens at once besides
the usual concurrencies; taking a ticket (residents' API tokens) and calling next (agents' API tokens,
each request at a counter of its own, all racing for the head of one queue seeded with enough waiting
tickets), each checked after the run: as many tickets created, or called, as 2xx answers, no number
given twice, no ticket called twice (bench/lua/hall.lua.in keeps every answer's ticket). And a day of
one mairie replayed in simulation through the real estimator (bench/hall_day.py), once per run.
Pages of apps that are not installed (or have no data) are reported as "not available".
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

try:  # imported as bench.run (the tests)
    from bench import report
except ImportError:  # run as bench/run.py: bench/ is on the path
    import report  # bench/report.py: RESULTS.md from the figures

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LUA = Path(__file__).resolve().parent / "lua"
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "bench"
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")
HOST = "paris19.localhost"
BARE_APP = "bench.bare_app:application"  # the baseline: a bare Django application (bench/bare_app.py)
SEARCH_WORDS = ["jardin", "concert quartier", "atelier vélo", "fête", "compost potager", "bibliothèque",
                "musique danse", "propreté", "balade nature", "solidarité"]

# key, label, url key, who ("anon", "resident", "agent" or "vote"),
# kind ("baseline", "bare", "cached", "rendered", "api", "vote"); the baseline is served by the bare app's server.
SCENARIOS = [
    ("django", "bare Django application (the baseline)", "django", "anon", "baseline"),
    ("bare", "/bare/ through our middleware (no database, no template)", "bare", "anon", "bare"),
    ("home", "home page", "home", "anon", "cached"),
    ("home_in", "home page", "home", "resident", "rendered"),
    ("commandements", "commandements page", "commandements", "anon", "cached"),
    ("commandements_in", "commandements page", "commandements", "resident", "rendered"),
    ("call", "call page with its proposals", "call", "anon", "cached"),
    ("call_in", "call page with its proposals", "call", "resident", "rendered"),
    ("proposal", "proposal page", "proposal", "anon", "cached"),
    ("proposal_in", "proposal page", "proposal", "resident", "rendered"),
    ("project_in", "Bureau project page", "bureau_project", "resident", "rendered"),
    ("bricolage_in", "bricolage page (agent)", "bricolage", "agent", "rendered"),
    ("search_page", "search page (10 queries)", "search_page", "anon", "cached"),
    ("search_page_in", "search page (10 queries)", "search_page", "resident", "rendered"),
    ("search_api", "search API (10 queries)", "search_api", "anon", "api"),
    ("list_api", "list API: /api/bureau/projects/?status=…&ordering=soutiens", "list_api", "anon", "api"),
    ("vote", "support POST (API, token auth)", "vote", "vote", "vote"),
    ("hall_screen", "hall screen data: /api/accueil/screen/ (cached 1 s)", "hall_screen", "anon", "api"),
    ("hall_take", "take a ticket (API, online, token auth)", "hall_take", "hall_resident", "hall_take"),
    ("hall_call", "call next, one counter a request (API, token auth)", "hall_call", "hall_agent", "hall_call"),
]
WHO = {"anon": "anonymous", "resident": "resident, logged in", "agent": "agent, logged in",
       "vote": "resident, API token", "hall_resident": "resident, API token", "hall_agent": "agents, API tokens"}
HALL_KINDS = ("hall_take", "hall_call")


def log(message):
    print(message, flush=True)


# --- environment and processes --------------------------------------------------------------------


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        mem_kb = 0
    return {"nproc": os.cpu_count(), "ram_gib": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "kernel": platform.release(), "python": platform.python_version(), "load_start": os.getloadavg()}


def check_wrk():
    """wrk comes from Debian (apt-get install wrk); install it when we may, else explain."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing: installing Debian's package (apt-get install -y wrk)...")
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
        if shutil.which("wrk"):
            return shutil.which("wrk")
    sys.exit("The harness drives the server with wrk, an HTTP load generator packaged by Debian and Ubuntu.\n"
             "Install it with `sudo apt-get install wrk` (or build it from https://github.com/wg/wrk), then rerun.")


def django_env(database, database_url, cache, secret_key):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",  # production's, with seed_scale and /bare/
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "localhost,127.0.0.1,.localhost",
        "SECURE_SSL_REDIRECT": "false",  # loopback, no TLS terminator in front
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",  # persistent connections, as a production deployment would use
        "TASKS_BACKEND": "database",
        "LOG_LEVEL": "ERROR",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    # Abuse limits would stop one client address that sends thousands of requests a second: the
    # checks still run (their cost is measured), with limits no benchmark reaches.
    for scope in ("AUTH", "SUPPORT", "WRITE", "SEARCH"):
        env[f"THROTTLE_{scope}"] = "1000000/min"
    for scope in ("SIGNUP", "LOGIN", "PASSWORD_RESET", "SUPPORT", "COMMENT", "REPORT", "COMPLAINT", "SEARCH",
                  "EXPORT", "TICKET"):
        env[f"RATELIMIT_{scope}"] = "1000000/min"
    if cache == "redis":
        env["REDIS_URL"] = REDIS_URL
    return env


def manage(env, *args, capture=False):
    command = [str(PYTHON), "manage.py", *args]
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        log(completed.stdout[-2000:])
        log(completed.stderr[-4000:])
        raise RuntimeError(f"manage.py {' '.join(args)} failed")
    return completed.stdout if capture else None


def fixtures(env, *args):
    completed = subprocess.run([str(PYTHON), str(ROOT / "bench" / "fixtures.py"), *args], cwd=ROOT, env=env,
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        log(completed.stderr[-4000:])
        raise RuntimeError(f"bench/fixtures.py {' '.join(args)} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def postgres_admin(statement):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def postgres_reachable():
    try:
        postgres_admin("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means: not available here
        return False


def redis_flush():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        return True
    except Exception:  # noqa: BLE001
        return False


def prepare_database(database, env, args):
    """A fresh, migrated database with the demo and the scaled data set; returns seed_scale's report."""
    report_path = VAR / f"seed-{database}-{args.scale}.json"
    if database == "sqlite":
        path = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
        if args.reuse and path.exists() and report_path.exists():
            log(f"  reusing {path}")
            manage(env, "migrate", "--noinput", "-v0")
            return json.loads(report_path.read_text())
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        if args.reuse and report_path.exists():
            try:
                manage(env, "migrate", "--noinput", "-v0")
                log("  reusing the PostgreSQL database")
                return json.loads(report_path.read_text())
            except RuntimeError:
                pass
        postgres_admin(f"DROP DATABASE IF EXISTS {args.postgres_database} WITH (FORCE)")
        postgres_admin(f"CREATE DATABASE {args.postgres_database}")
    started = time.monotonic()
    log("  migrate...")
    manage(env, "migrate", "--noinput", "-v0")
    log(f"  seed_demo... ({time.monotonic() - started:.0f} s)")
    manage(env, "seed_demo", "--force", "--port", str(args.port))
    log(f"  seed_scale --scale {args.scale}... ({time.monotonic() - started:.0f} s)")
    manage(env, "seed_scale", "--scale", str(args.scale), "--report", str(report_path))
    report = json.loads(report_path.read_text())
    report["prepare_seconds"] = round(time.monotonic() - started)
    report_path.write_text(json.dumps(report, indent=2))
    log(f"  data set ready in {report['prepare_seconds']} s")
    return report


class Server:
    """gunicorn in its own process group, stopped by its id at the end: the platform (cms.wsgi), or
    with bare=True the bare Django application (bench/bare_app.py) on --bare-port, same settings."""

    def __init__(self, env, args, database, bare=False):
        self.args, self.database, self.bare = args, database, bare
        self.env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"} if bare else env
        self.app, self.port, self.probe = (BARE_APP, args.bare_port, "/") if bare else ("cms.wsgi:application",
                                                                                        args.port, "/bare/")
        self.log_path = VAR / f"gunicorn-{'bare-app' if bare else database}.log"
        self.process = None

    def __enter__(self):
        command = [str(GUNICORN), self.app, "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.args.workers), "--worker-class", self.args.worker_class,
                   "--threads", str(self.args.threads), "--backlog", "2048", "--keep-alive", "5",
                   "--error-logfile", str(self.log_path), "--log-level", "warning", "--timeout", "60"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True,  # noqa: S603
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start: see {self.log_path}")
            try:
                if get(self.probe, self.port)[0] == 200:
                    time.sleep(5)  # the other workers finish booting
                    wrk(self.args, [self.probe], 8, duration=3, port=self.port)  # warm-up, not measured
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer within 90 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def get(path, port, headers=None, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# --- measuring -----------------------------------------------------------------------------------


def wrk(args, paths, concurrency, headers=(), script=None, script_args=(), duration=None, port=None):
    url = f"http://127.0.0.1:{port or args.port}{paths[0]}"
    duration = duration or args.duration
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{duration}s", "--timeout", "30s", "--latency",
               "-s", str(script or LUA / "report.lua")]
    for header in (f"Host: {HOST}", *headers):
        command += ["-H", header]
    command += [url, "--", *(script_args or (paths if len(paths) > 1 else []))]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            data = json.loads(line.removeprefix("BENCHJSON "))
            data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
            return data
    raise RuntimeError(f"wrk gave no summary: {completed.stdout[-1500:]} {completed.stderr[-1500:]}")


def scenario_paths(key, url):
    if key.startswith("search") and url:
        base = url.split("?", 1)[0]
        from urllib.parse import quote

        return [f"{base}?q={quote(word)}" for word in SEARCH_WORDS]
    return [url]


def precheck(args, paths, who, cookie, port=None):
    """The page answers 200 as expected; anonymous pages come from the cache the second time.
    Returns the statuses and cache states, and the slowest answer in seconds."""
    headers = {"Cookie": cookie} if cookie else {}
    statuses, cache, slowest = [], [], 0.0
    for _ in range(2):
        for path in paths:
            started = time.monotonic()
            try:
                status, response_headers, _body = get(path, port or args.port, headers)
            except OSError:
                statuses.append("timeout")
                continue
            slowest = max(slowest, time.monotonic() - started)
            statuses.append(status)
            cache.append(response_headers.get("X-Page-Cache", "-"))
    return statuses, cache, slowest


def drain(args, port=None):
    """Wait until the server has finished the requests wrk left in flight (a slow page's backlog
    would otherwise be measured with the next scenario)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            get("/" if port else "/bare/", port or args.port)
        except OSError:
            continue
        if time.monotonic() - started < 0.5:
            return
        time.sleep(1)


def vote_script(prepared):
    text = (LUA / "vote.lua.in").read_text()
    text = text.replace("@TOKENS@", ", ".join(f'"{t}"' for t in prepared["tokens"]))
    text = text.replace("@TARGETS@", ", ".join(str(t) for t in prepared["vote_targets"]))
    text = text.replace("@HOST@", HOST)
    path = VAR / "vote.lua"
    path.write_text(text)
    return path


def hall_script(prepared, mode):
    hall = prepared["hall"]
    tokens = hall["resident_tokens"] if mode == "take" else hall["agent_tokens"]
    text = (LUA / "hall.lua.in").read_text()
    for name, value in (("@MODE@", mode), ("@TOKENS@", ", ".join(f'"{t}"' for t in tokens)),
                        ("@COUNTERS@", ", ".join(map(str, hall["counters"]))), ("@HOST@", hall["host"]),
                        ("@SERVICE@", hall["take_service"])):
        text = text.replace(name, value)
    path = VAR / f"hall-{mode}.lua"
    path.write_text(text)
    return path


def levels_of(key, args):
    """The concurrencies of a scenario: the hall screen's also at --hall-screens, and the baseline at
    every concurrency some scenario is measured at."""
    levels = set(args.concurrency)
    if key in ("hall_screen", "django") and "hall_screen" not in args.skip and args.hall_screens:
        levels.add(args.hall_screens)
    return sorted(levels)


def hall_wanted(args):
    return not ({"hall_take", "hall_call"} <= args.skip)


def run_database(database, args, secret_key, with_hall_day=False):
    cache = args.cache if args.cache != "auto" else ("locmem" if database == "sqlite" else "redis")
    if database == "sqlite":
        url = f"sqlite:///{VAR / f'bench-{args.scale}.sqlite3'}"
    else:
        url = f"{PG_SERVER}/{args.postgres_database}"
    env = django_env(database, url, cache, secret_key)
    log(f"\n== {database} (cache: {cache})")
    result = {"database": database, "cache": cache, "scenarios": {}, "votes": []}
    result["seed"] = prepare_database(database, env, args)
    if cache == "redis" and not redis_flush():
        log("  Redis does not answer: falling back to the local-memory cache")
        env.pop("REDIS_URL", None)
        result["cache"] = "locmem (Redis unreachable)"
    manage(env, "collectstatic", "--noinput", "-v0")
    voters = args.voters_per_run * len(args.concurrency)
    prepared = fixtures(env, "prepare", "--voters", str(voters), "--targets", str(args.vote_targets),
                        "--hall-counters", str(args.hall_counters if hall_wanted(args) else 0),
                        "--hall-agents", str(args.hall_agents))
    prepared["urls"]["django"] = "/"  # the bare Django application's page, on --bare-port
    result["urls"] = prepared["urls"]
    if "search" not in args.skip:
        floor = fixtures(env, "floor", "--queries", "300")
        result["search_floor"] = floor
    result["queries"] = scenario_queries(env, prepared, args)
    if with_hall_day:
        log(f"  a day of the hall replayed (bench/hall_day.py, {args.hall_day_tickets} tickets)...")
        try:
            result["hall_day"] = {**fixtures(env, "hall-day", "--tickets", str(args.hall_day_tickets),
                                             "--seed", str(args.hall_day_seed)), "database": database}
            log(f"  hall day: wait MAE {result['hall_day']['overall']['mae_minutes']} min overall "
                f"({result['hall_day']['seconds']} s)")
        except RuntimeError as exc:  # the simulation's failure is reported, the measures still run
            result["hall_day"] = {"error": str(exc), "database": database}
            log(f"  hall day failed: {exc}")
    with Server(env, args, database, bare=True):  # the baseline, up beside the platform's server
        with Server(env, args, database):
            measure(args, env, prepared, SCENARIOS, result["scenarios"])
        if args.shared_caches_off:
            # The same logged-in pages with every shared cache off (PAGE_CACHE_SECONDS=0: no shared
            # fragments, results or routes, nothing kept between requests but the mairie directory):
            # each request renders everything. The baseline is measured again beside this server.
            log("  -- shared caches off (PAGE_CACHE_SECONDS=0)")
            env_off = {**env, "PAGE_CACHE_SECONDS": "0"}
            kinds = {"baseline", "bare", "rendered"}
            off = {"scenarios": {}, "queries": scenario_queries(env_off, prepared, args, kinds=kinds)}
            with Server(env_off, args, database):
                measure(args, env_off, prepared, [s for s in SCENARIOS if s[4] in kinds], off["scenarios"])
            result["shared_caches_off"] = off
    return result


def measure(args, env, prepared, scenarios, into):
    """Every scenario at every concurrency against the server that is up; figures into `into`. The
    baseline first, and again at the end (its "runs_after"): the ratios use the mean of the two, and
    the report shows both, so that a machine whose load moved during the run shows it."""
    pairs_per_run = args.voters_per_run * len(prepared["vote_targets"])
    measure_scenarios(args, env, prepared, scenarios, into, pairs_per_run)
    baseline = into.get("django")
    if baseline and not baseline.get("unavailable"):
        port = args.bare_port
        baseline["runs_after"] = {}
        for concurrency in levels_of("django", args):
            run = wrk(args, baseline["paths"], concurrency, port=port)
            drain(args, port)
            baseline["runs_after"][concurrency] = run
            log(f"  {'django (again)':<18} c={concurrency:<3} {run['rps']:8.1f} req/s  p95 {run['p95'] / 1000:7.1f} ms"
                f"  statuses {run.get('statuses')}  errors {run['errors']}")


def measure_scenarios(args, env, prepared, scenarios, into, pairs_per_run):
    for key, label, url_key, who, kind in scenarios:
        if key in args.skip or url_key in args.skip:
            continue
        entry = {"label": label, "who": WHO[who], "kind": kind, "runs": {}}
        into[key] = entry
        if kind == "vote":
            measure_votes(args, env, prepared, entry, pairs_per_run)
            continue
        if kind in HALL_KINDS:
            measure_hall(args, env, prepared, entry, kind)
            continue
        url = prepared["urls"].get(url_key)
        if not url:
            entry["unavailable"] = "not available (app not installed or no data)"
            log(f"  {key:<18} not available")
            continue
        paths = scenario_paths(key, url)
        cookie = prepared.get(f"{who}_cookie")
        port = args.bare_port if kind == "baseline" else None
        statuses, cache_states, slowest = precheck(args, paths, who, cookie, port=port)
        entry["paths"], entry["precheck"] = paths, {"statuses": sorted(map(str, set(statuses))),
                                                    "cache": sorted(set(cache_states[len(paths):])),
                                                    "slowest_s": round(slowest, 2)}
        if set(statuses) != {200}:
            entry["unavailable"] = f"answers {sorted(map(str, set(statuses)))}, not 200"
            log(f"  {key:<18} {entry['unavailable']}")
            drain(args, port)
            continue
        headers = [f"Cookie: {cookie}"] if cookie else []
        wrk(args, paths, max(args.concurrency), headers=headers, duration=args.warmup, port=port)  # not measured
        drain(args, port)
        for concurrency in levels_of(key, args):
            run = wrk(args, paths, concurrency, headers=headers, port=port)
            drain(args, port)
            entry["runs"][concurrency] = run
            log(f"  {key:<18} c={concurrency:<3} {run['rps']:8.1f} req/s  p95 {run['p95'] / 1000:7.1f} ms"
                f"  statuses {run.get('statuses')}  errors {run['errors']}  cache {entry['precheck']['cache']}")


def measure_votes(args, env, prepared, entry, pairs_per_run):
    """The support POST at each concurrency, on fresh (voter, project) pairs; the counts checked."""
    if not prepared["vote_targets"] or not prepared["tokens"]:
        entry["unavailable"] = "no supportable Bureau project"
        return
    script = vote_script(prepared)
    before = fixtures(env, "votes", "--targets", ",".join(map(str, prepared["vote_targets"])))
    for index, concurrency in enumerate(args.concurrency):
        run = wrk(args, ["/"], concurrency, script=script, script_args=[str(index * pairs_per_run)])
        drain(args)
        after = settled_votes(env, prepared["vote_targets"])
        run["exact"] = check_votes(before, after, run, concurrency)
        before = after
        entry["runs"][concurrency] = run
        log(f"  {entry['label'][:18]:<18} c={concurrency:<3} {run['rps']:8.1f} req/s  p95 {run['p95'] / 1000:7.1f} ms"
            f"  statuses {run.get('statuses')}  exact: {run['exact']['ok']}")


def measure_hall(args, env, prepared, entry, kind):
    """Taking a ticket or calling next at each concurrency, each measure on a fresh hall (hall-queue:
    the tickets called before released, the taking queue emptied, the call queue topped up to one
    waiting ticket per counter, so that it cannot drain), then checked against the database."""
    hall = prepared.get("hall")
    if not hall:
        entry["unavailable"] = "not available (accueil not installed)"
        log(f"  {kind:<18} not available")
        return
    mode = "take" if kind == "hall_take" else "call"
    script = hall_script(prepared, mode)
    fill = len(hall["counters"]) if mode == "call" else 0
    for concurrency in args.concurrency:
        entry.setdefault("queue", {})[concurrency] = fixtures(env, "hall-queue", "--fill", str(fill))
        before = fixtures(env, "hall-counts")
        run = wrk(args, ["/"], concurrency, script=script)
        drain(args)
        after = settled(env, "hall-counts")
        run["exact"] = (check_hall_take if mode == "take" else check_hall_call)(before, after, run, concurrency)
        entry["runs"][concurrency] = run
        log(f"  {kind:<18} c={concurrency:<3} {run['rps']:8.1f} req/s  p95 {run['p95'] / 1000:7.1f} ms"
            f"  statuses {run.get('statuses')}  codes {run.get('codes')}  exact: {run['exact']['ok']}"
            f" {'; '.join(run['exact']['why'])}")
    fixtures(env, "hall-queue", "--fill", "0")  # the called tickets released, the taking queue emptied


def settled(env, *command):
    """fixtures.py's answer once the server has finished the requests still in flight when wrk stopped."""
    previous = fixtures(env, *command)
    for _ in range(30):
        time.sleep(1)
        current = fixtures(env, *command)
        if current == previous:
            return current
        previous = current
    return previous


def _two_xx(run):
    return sum(int(n) for status, n in run.get("statuses", {}).items() if str(status).startswith("2"))


def check_hall_take(before, after, run, concurrency, service="banc-tickets"):
    """Exact: the tickets created are the 2xx answers plus at most the requests in flight when wrk
    stopped; today's numbers run 1..n without repeat; no number came in two answers."""
    answered, b, a, hall = _two_xx(run), before[service], after[service], run.get("hall", {})
    created = a["rows"] - b["rows"]
    why = []
    if not answered <= created <= answered + concurrency:
        why.append(f"{created} tickets created for {answered} 2xx answers")
    if a["numbers"] != a["rows"] or (a["top"] or 0) != a["rows"]:
        why.append(f"today's numbers are not 1..{a['rows']} once each ({a['numbers']} distinct, highest {a['top']})")
    if hall.get("given_twice"):
        why.append(f"{hall['given_twice']} numbers given to two residents")
    if hall.get("given", answered) != answered:
        why.append(f"{answered - hall.get('given', 0)} 2xx answers without a ticket number")
    return {"ok": not why, "why": why, "answered_2xx": answered, "created": created,
            "in_flight_at_stop": created - answered, "numbers_distinct": a["numbers"] == a["rows"]}


def check_hall_call(before, after, run, concurrency, service="banc-appels"):
    """Exact: the tickets called are the 2xx answers plus at most the requests in flight when wrk
    stopped; each called ticket at its own counter; no ticket came in two answers. An empty-queue
    answer (409 `empty_queue`) is no error when the queue was indeed drained (nobody waits after the
    run): it is counted apart, and the report then gives no ratio (the rate mixes cheap refusals)."""
    answered, b, a, hall = _two_xx(run), before[service], after[service], run.get("hall", {})
    called = a["states"].get("called", 0) - b["states"].get("called", 0)
    waiting_after = a["states"].get("waiting", 0)
    empty = int(run.get("codes", {}).get("empty_queue", 0))
    why = []
    if not answered <= called <= answered + concurrency:
        why.append(f"{called} tickets called for {answered} 2xx answers")
    if a["called_counters"] != a["states"].get("called", 0):
        why.append(f"{a['states'].get('called', 0)} tickets called at {a['called_counters']} counters")
    if hall.get("given_twice"):
        why.append(f"{hall['given_twice']} tickets given to two counters")
    if hall.get("given", answered) != answered:
        why.append(f"{answered - hall.get('given', 0)} 2xx answers without a ticket")
    if empty and waiting_after:
        why.append(f"{empty} empty-queue answers while {waiting_after} tickets waited")
    if hall.get("counters_reused"):
        why.append(f"{hall['counters_reused']} requests at a counter already used in the measure (more requests than "
                   "--hall-counters)")
    return {"ok": not why, "why": why, "answered_2xx": answered, "called": called,
            "in_flight_at_stop": called - answered, "waiting_after": waiting_after, "empty_queue": empty,
            "empty_queue_excused": empty if not waiting_after else 0}


def settled_votes(env, targets):
    """The counters once the server has finished the requests still in flight when wrk stopped."""
    joined = ",".join(map(str, targets))
    previous = fixtures(env, "votes", "--targets", joined)
    for _ in range(30):
        time.sleep(1)
        current = fixtures(env, "votes", "--targets", joined)
        if current == previous:
            return current
        previous = current
    return previous


def scenario_queries(env, prepared, args, kinds=None):
    """How many database queries each scenario's request runs (in process, same settings)."""
    plan = []
    for key, _label, url_key, who, kind in SCENARIOS:
        if key in args.skip or kind == "baseline" or (kinds is not None and kind not in kinds):
            continue
        if kind == "vote":
            if prepared["vote_targets"]:
                plan.append({"key": key, "who": "vote", "target": prepared["vote_targets"][-1]})
        elif kind in HALL_KINDS:
            hall = prepared.get("hall")
            if hall and kind == "hall_take":
                plan.append({"key": key, "who": kind, "token": hall["resident_tokens"][0],
                             "service": hall["take_service"]})
            elif hall:
                plan.append({"key": key, "who": kind, "token": hall["agent_tokens"][0],
                             "counters": hall["counters"][:2]})
        elif prepared["urls"].get(url_key):
            plan.append({"key": key, "who": who, "path": scenario_paths(key, prepared["urls"][url_key])[0]})
    path = VAR / "queries-plan.json"
    path.write_text(json.dumps(plan))
    try:
        # The in-process test client logs users in without an address: no lockout bookkeeping here.
        return fixtures({**env, "AXES_ENABLED": "false"}, "queries", "--plan", str(path))
    except RuntimeError as exc:
        log(f"  query counts not available: {exc}")
        return {}


def check_votes(before, after, run, concurrency):
    """Exact: every project's counter equals its Support rows, both moved by the same amount, and
    that amount is the 201 answers wrk counted plus at most the requests in flight when it stopped
    (answered after wrk closed its connections, so not counted by it)."""
    created = int(run.get("statuses", {}).get("201", 0))
    moved = sum(after[k]["counter"] - before[k]["counter"] for k in after)
    rows_moved = sum(after[k]["rows"] - before[k]["rows"] for k in after)
    mismatched = [k for k, v in after.items()
                  if v["counter"] - before[k]["counter"] != v["rows"] - before[k]["rows"]]
    ok = not mismatched and moved == rows_moved and created <= moved <= created + concurrency
    return {"ok": ok, "created_201": created, "counter_increase": moved, "rows_increase": rows_moved,
            "in_flight_at_stop": moved - created, "counter_row_mismatches": mismatched,
            "mismatched_before": [k for k, v in before.items() if v["counter"] != v["rows"]]}


def search_bench(args):
    """bench/search_bench.py (the search app's own benchmark, 100,000 documents), when present."""
    script = ROOT / "bench" / "search_bench.py"
    if not script.exists():
        return None
    log("\n== bench/search_bench.py (search at 100,000 documents)")
    command = [str(PYTHON), str(script), "--skip-wagtail", "--docs", str(args.search_docs)]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    log(completed.stdout[-3000:])
    return {"returncode": completed.returncode, "output": completed.stdout[-6000:],
            "stderr": completed.stderr[-2000:] if completed.returncode else ""}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="data set size (1 = issue 9's figures)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measure")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured requests before each scenario")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--workers", type=int, default=2)
    # sync: gunicorn's default worker, one request at a time, behind a proxy in production. With
    # gthread, a keep-alive connection stays with the worker that accepted it: measured here, one
    # worker could hold most of wrk's connections while the other idled (a 15 ms page: 113 req/s at
    # c=8, 59 at c=32; sync workers: 136 at both).
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread only)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--bare-port", type=int, default=None,
                        help="port of the bare Django application, the baseline (default: --port + 1)")
    parser.add_argument("--cache", default="auto", choices=["auto", "locmem", "redis"],
                        help="auto: local memory on SQLite, Redis on PostgreSQL")
    parser.add_argument("--reuse", action="store_true", help="keep an existing data set of this scale")
    parser.add_argument("--postgres-database", default=PG_DATABASE,
                        help="the PostgreSQL database the run drops, creates and uses (a name of letters, digits, _)")
    parser.add_argument("--keep", action="store_true", help="do not drop the PostgreSQL database at the end")
    parser.add_argument("--skip", default="", help="scenario or URL keys to leave out, comma-separated")
    parser.add_argument("--vote-targets", type=int, default=50)
    parser.add_argument("--voters-per-run", type=int, default=600,
                        help="voters per concurrency level; with 50 targets, 30,000 fresh pairs per measure")
    parser.add_argument("--search-bench", default="auto", choices=["auto", "yes", "no"],
                        help="also run bench/search_bench.py (100,000 documents); auto: at scale 1 and above")
    parser.add_argument("--search-docs", type=int, default=100_000)
    parser.add_argument("--no-shared-caches-off", dest="shared_caches_off", action="store_false",
                        help="skip the second pass (logged-in pages with PAGE_CACHE_SECONDS=0)")
    parser.add_argument("--hall-screens", type=int, default=50,
                        help="hall screens polling at once: the screen endpoint (and the baseline) also at this "
                             "concurrency (0: only the usual ones)")
    parser.add_argument("--hall-counters", type=int, default=5000,
                        help="counters calling next, one a request (at most this many calls a measure)")
    parser.add_argument("--hall-agents", type=int, default=20, help="agents (API tokens) calling next in turn")
    parser.add_argument("--hall-day-tickets", type=int, default=2000)
    parser.add_argument("--hall-day-seed", type=int, default=21)
    parser.add_argument("--output", default=str(Path(__file__).resolve().parent / "RESULTS.md"))
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c]
    args.skip = {s for s in args.skip.split(",") if s}
    args.bare_port = args.bare_port or args.port + 1
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", args.postgres_database):
        sys.exit("--postgres-database: lower-case letters, digits and _ only.")
    if "django" in args.skip:
        log("Without the bare Django application (--skip django) no ratio can be given: every ratio and goal "
            "will say that the baseline is missing.")
    check_wrk()
    VAR.mkdir(parents=True, exist_ok=True)
    for port, option in ((args.port, "--port"), (args.bare_port, "--bare-port")):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                sys.exit(f"Port {port} is in use: choose another with {option}.")
    results = {"date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(),
               "command": "bench/run.py " + " ".join(sys.argv[1:]),
               "config": {"workers": args.workers, "worker_class": args.worker_class, "threads": args.threads,
                          "duration": args.duration, "concurrency": args.concurrency, "baseline": BARE_APP,
                          "hall_screens": args.hall_screens if "hall_screen" not in args.skip else None},
               "databases": []}
    secret_key = secrets.token_urlsafe(50)
    for database in [d for d in args.databases.split(",") if d]:
        if database == "postgres" and not postgres_reachable():
            log(f"\n== postgres: no server at {PG_SERVER}, skipped")
            results["databases"].append({"database": "postgres", "cache": "-", "scenarios": {},
                                         "seed": {"skipped": {"everything": f"no PostgreSQL at {PG_SERVER}"}}})
            continue
        try:
            with_hall_day = "hall_day" not in args.skip and not any(d.get("hall_day") for d in results["databases"])
            results["databases"].append(run_database(database, args, secret_key, with_hall_day=with_hall_day))
        finally:
            if database == "postgres" and not args.keep and not args.reuse:
                postgres_admin(f"DROP DATABASE IF EXISTS {args.postgres_database} WITH (FORCE)")
    if args.search_bench == "yes" or (args.search_bench == "auto" and args.scale >= 1):
        results["search_bench"] = search_bench(args)
    results["hall_day"] = next((d.pop("hall_day") for d in results["databases"] if d.get("hall_day")), None)
    results["machine"]["load_end"] = os.getloadavg()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (VAR / f"results-{stamp}.json").write_text(json.dumps(results, indent=2, default=str))
    Path(args.output).write_text(report.render(results))
    log(f"\nWritten: {args.output} (raw figures: var/bench/results-{stamp}.json)")


if __name__ == "__main__":
    main()
