"""Shared by bench/search_quality.py and bench/search_bench.py: run on a scratch database of its own
(never the dev database), one configuration per child process."""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "bench"
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def default_targets(name):
    """(label, DATABASE_URL, SEARCH_BACKEND) configurations available on this machine."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    targets = [("database / SQLite FTS5", f"sqlite:///{SCRATCH / f'{name}.sqlite3'}", "database")]
    if postgres_reachable():
        targets.append(("database / PostgreSQL tsvector", f"{PG_SERVER}/bench_{name}", "database"))
    if os.environ.get("ELASTICSEARCH_URL"):
        targets.append(("elasticsearch", f"sqlite:///{SCRATCH / f'{name}-es.sqlite3'}", "elasticsearch"))
    return targets


def postgres_reachable():
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=2):
            return True
    except Exception:
        return False


def ensure_postgres_database(url):
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = parsed.path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(database_url, backend="database"):
    """Configure Django for this process on `database_url` and migrate it."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["SEARCH_BACKEND"] = backend
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["DEBUG"] = "false"  # no query log: it would grow with every query
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # measure each search, not the cache of shared results
    ensure_postgres_database(database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # seed_demo's notifications

    call_command("migrate", verbosity=0, interactive=False)


def add_child_arguments(parser):
    """The arguments run_children gives each child process (hidden from --help)."""
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--search-backend", default="database", help=argparse.SUPPRESS)


def run_children(script, targets, extra_args):
    """Run `script --child` once per target; each prints one JSON line last."""
    reports = []
    for label, url, backend in targets:
        print(f"== {label}  ({url})", flush=True)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        command = [sys.executable, str(script), "--child", "--database-url", url, "--search-backend", backend,
                   *extra_args]
        completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        lines = [line for line in completed.stdout.splitlines() if line.strip()]
        for line in lines[:-1]:
            print("   " + line, flush=True)
        if completed.returncode != 0 or not lines:
            print(completed.stderr[-3000:])
            continue
        report = json.loads(lines[-1])
        report["label"] = label
        reports.append(report)
    return reports
