"""What the backup tests share: a small seeded database, files on both storages, `manage.py` run in a separate
process against a given database, and counts of every table's rows to compare before and after."""

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection

from participation import services as engine
from tests.factories import resident
from tests.factories.bureau import ProjectFactory, bureau_index

ROOT = Path(__file__).resolve().parents[2]


def seed(site_ctx):
    mairie = site_ctx.mairies["paris19"]
    bureau_index(mairie)
    author = resident(mairie, username="sauvegarde")
    project = ProjectFactory(mairie=mairie, author=author, title="Une grainothèque rue de Flandre")
    engine.support_add(user=site_ctx.users["habitant"], target=project)
    engine.comment_post(user=author, target=project, text="Apportez vos graines !")


def run(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def manage(env, *args):
    result = run(env, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def process_env(database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DATABASE_URL=database_url, SECRET_KEY="backup-test-" + "k" * 40,
               MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
               TASKS_BACKEND="immediate")
    return env


def save_files(tmp_path):
    FileSystemStorage(location=tmp_path / "media").save("images/affiche.txt", ContentFile(b"affiche de la fete"))
    FileSystemStorage(location=tmp_path / "private").save("scans/lettre.txt", ContentFile(b"courrier prive"))


def sqlite_copy(tmp_path):
    """The test database, as a file a separate process can use."""
    live = tmp_path / "db.sqlite3"
    target = sqlite3.connect(live)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    return live


def sqlite_counts(path):
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                           "AND name NOT LIKE 'sqlite_%'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    finally:
        db.close()


def pg_counts(dbname, params):
    import psycopg

    with psycopg.connect(dbname=dbname, **params) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def pg_server():
    """The test's PostgreSQL server: psycopg's connection keywords, and the URL of one of its databases."""
    settings_dict = connection.settings_dict
    params = {k: v for k, v in {"host": settings_dict.get("HOST"), "port": settings_dict.get("PORT"),
                                "user": settings_dict.get("USER"), "password": settings_dict.get("PASSWORD")}.items()
              if v}
    auth = f"{params.get('user', '')}{':' + params['password'] if params.get('password') else ''}@"
    host = f"{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}"
    return params, lambda dbname: f"postgres://{auth}{host}/{dbname}"


@contextlib.contextmanager
def pg_scratch(name, params):
    """An empty database on the same server, dropped afterwards."""
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
