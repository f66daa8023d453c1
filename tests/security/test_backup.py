"""`manage.py backup` / `restore` (and `make backup` / `make restore`): a backup restored onto a
lost or damaged database finds every object again, uploaded files included."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection

from participation import services as engine
from tests.factories import resident
from tests.factories.bureau import ProjectFactory, bureau_index

ROOT = Path(__file__).resolve().parents[2]


def _seed(site_ctx):
    mairie = site_ctx.mairies["paris19"]
    bureau_index(mairie)
    author = resident(mairie, username="sauvegarde")
    project = ProjectFactory(mairie=mairie, author=author, title="Une grainothèque rue de Flandre")
    engine.support_add(user=site_ctx.users["habitant"], target=project)
    engine.comment_post(user=author, target=project, text="Apportez vos graines !")


def _manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _env(database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DATABASE_URL=database_url, SECRET_KEY="backup-test-" + "k" * 40,
               MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
               TASKS_BACKEND="immediate")
    return env


def _files(tmp_path):
    FileSystemStorage(location=tmp_path / "media").save("images/affiche.txt", ContentFile(b"affiche de la fete"))
    FileSystemStorage(location=tmp_path / "private").save("scans/lettre.txt", ContentFile(b"courrier prive"))


def _sqlite_counts(path):
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                           "AND name NOT LIKE 'sqlite_%'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    finally:
        db.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant (PostgreSQL: the test below)")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_every_object_and_file(site_ctx, tmp_path):
    _seed(site_ctx)
    live = tmp_path / "db.sqlite3"
    target = sqlite3.connect(live)
    connection.ensure_connection()
    connection.connection.backup(target)  # the test database, as a file a separate process can use
    target.close()
    _files(tmp_path)
    before = _sqlite_counts(live)
    assert before["bureau_project"] == 1 and before["participation_support"] == 1
    env = _env(f"sqlite:///{live}", tmp_path)
    _manage(env, "backup", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "db.sqlite3").exists() and (tmp_path / "backup" / "media.tar.gz").exists()

    # Disaster 1: the database file and the uploads are lost.
    live.unlink()
    for name in ("media", "private"):
        for path in sorted((tmp_path / name).rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    _manage(env, "restore", str(tmp_path / "backup"), "--yes")
    assert _sqlite_counts(live) == before
    assert (tmp_path / "media" / "images" / "affiche.txt").read_bytes() == b"affiche de la fete"
    assert (tmp_path / "private" / "scans" / "lettre.txt").read_bytes() == b"courrier prive"

    # Disaster 2: rows deleted and junk added; restoring brings back exactly the backup.
    db = sqlite3.connect(live)
    db.execute("DELETE FROM participation_support")
    db.execute("UPDATE bureau_project SET title = 'vandalisé'")
    db.commit()
    db.close()
    _manage(env, "restore", str(tmp_path / "backup"), "--yes")
    assert _sqlite_counts(live) == before
    db = sqlite3.connect(live)
    assert db.execute("SELECT title FROM bureau_project").fetchone()[0] == "Une grainothèque rue de Flandre"
    db.close()


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore", str(tmp_path), "--yes")


def _pg_counts(dbname, params):
    import psycopg

    with psycopg.connect(dbname=dbname, **params) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_every_object_and_file(site_ctx, tmp_path):
    import psycopg

    _seed(site_ctx)
    _files(tmp_path)
    settings_dict = connection.settings_dict
    params = {k: v for k, v in {"host": settings_dict.get("HOST"), "port": settings_dict.get("PORT"),
                                "user": settings_dict.get("USER"), "password": settings_dict.get("PASSWORD")}.items()
              if v}
    source = settings_dict["NAME"]
    before = _pg_counts(source, params)
    assert before["bureau_project"] == 1
    auth = f"{params.get('user', '')}{':' + params['password'] if params.get('password') else ''}@"
    host = f"{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}"
    _manage(_env(f"postgres://{auth}{host}/{source}", tmp_path), "backup", str(tmp_path / "backup"))

    scratch = f"{source}_restore"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        env = _env(f"postgres://{auth}{host}/{scratch}", tmp_path)
        _manage(env, "restore", str(tmp_path / "backup"), "--yes")  # onto an empty server
        assert _pg_counts(scratch, params) == before
        with psycopg.connect(dbname=scratch, autocommit=True, **params) as conn:
            conn.execute("DELETE FROM participation_support")
        _manage(env, "restore", str(tmp_path / "backup"), "--yes")  # onto a damaged database
        assert _pg_counts(scratch, params) == before
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
