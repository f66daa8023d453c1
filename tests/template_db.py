"""The test database every pytest-xdist worker starts from, built once per run on SQLite.

Running the migrations costs about 13 seconds of one core, nearly all of it Django rendering model
states (Wagtail alone has well over a hundred migrations), and every worker used to pay it while
the other cores did the same. The controlling process now starts this module in a separate
process as soon as pytest is configured: it applies the real migrations to a file, seeds the core
demo, and each worker copies that file into its in-memory database (sqlite3's backup API) instead
of migrating, while the build overlaps the workers' start and collection. PostgreSQL runs keep
migrating each worker's database, so the migrations are still applied for real on every CI run.

    python -m tests.template_db <file>   (DATABASE_URL and settings are set by tests/conftest.py)
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ENV_VAR = "MDD_TEST_TEMPLATE_DB"
ROOT = Path(__file__).resolve().parents[1]


def start(path: Path) -> subprocess.Popen:
    """Build the template at `path` in a separate process; its outcome lands beside it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "DATABASE_URL": f"sqlite:///{path}"}
    log = open(f"{path}.log", "w")  # noqa: SIM115 (closed when the process ends)
    return subprocess.Popen([sys.executable, "-m", "tests.template_db", str(path)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def copy_into(connection, path: Path, *, timeout=600):
    """Wait for the template, then replace the (empty) test database with it."""
    done, failed = Path(f"{path}.done"), Path(f"{path}.failed")
    deadline = time.monotonic() + timeout
    while not done.exists():
        if failed.exists() or time.monotonic() > deadline:
            log = Path(f"{path}.log")
            raise RuntimeError("the test database template could not be built:\n"
                               + (log.read_text() if log.exists() else "(no log)"))
        time.sleep(0.05)
    source = sqlite3.connect(path)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
    # What this process cached from the empty database it replaced.
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sites.models import Site

    ContentType.objects.clear_cache()
    Site.objects.clear_cache()


def build(path: Path):
    import django

    django.setup()
    from django.core.management import call_command

    from cms.demo import DemoContext, seed_core
    from search.models import SearchEntry

    call_command("migrate", verbosity=0, interactive=False)
    seed_core(DemoContext(stdout=lambda line: None), port=80)
    # Built outside a test's transaction, its pages were indexed on commit; tests start, as a demo
    # seeded inside their own transaction would, with nothing in the search index.
    SearchEntry.objects.all().delete()
    from django.db import connection

    connection.close()


if __name__ == "__main__":
    target = Path(sys.argv[1])
    try:
        build(target)
    except BaseException:
        Path(f"{target}.failed").touch()
        raise
    Path(f"{target}.done").touch()
