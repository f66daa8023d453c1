"""`manage.py backup` / `restore` (and `make backup` / `make restore`): a backup restored onto a
lost or damaged database finds every object again, uploaded files included."""

import sqlite3

import pytest
from django.db import connection

from tests.security import backups


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant (PostgreSQL: the test below)")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_every_object_and_file(site_ctx, tmp_path):
    backups.seed(site_ctx)
    live = backups.sqlite_copy(tmp_path)
    backups.save_files(tmp_path)
    before = backups.sqlite_counts(live)
    assert before["bureau_project"] == 1 and before["participation_support"] == 1
    env = backups.process_env(f"sqlite:///{live}", tmp_path)
    backups.manage(env, "backup", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "db.sqlite3").exists() and (tmp_path / "backup" / "media.tar.gz").exists()

    # Disaster 1: the database file and the uploads are lost.
    live.unlink()
    for name in ("media", "private"):
        for path in sorted((tmp_path / name).rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    backups.manage(env, "restore", str(tmp_path / "backup"), "--yes")
    assert backups.sqlite_counts(live) == before
    assert (tmp_path / "media" / "images" / "affiche.txt").read_bytes() == b"affiche de la fete"
    assert (tmp_path / "private" / "scans" / "lettre.txt").read_bytes() == b"courrier prive"

    # Disaster 2: rows deleted and junk added; restoring brings back exactly the backup.
    db = sqlite3.connect(live)
    db.execute("DELETE FROM participation_support")
    db.execute("UPDATE bureau_project SET title = 'vandalisé'")
    db.commit()
    db.close()
    backups.manage(env, "restore", str(tmp_path / "backup"), "--yes")
    assert backups.sqlite_counts(live) == before
    db = sqlite3.connect(live)
    assert db.execute("SELECT title FROM bureau_project").fetchone()[0] == "Une grainothèque rue de Flandre"
    db.close()


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore", str(tmp_path), "--yes")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_every_object_and_file(site_ctx, tmp_path):
    import psycopg

    backups.seed(site_ctx)
    backups.save_files(tmp_path)
    params, url = backups.pg_server()
    source = connection.settings_dict["NAME"]
    before = backups.pg_counts(source, params)
    assert before["bureau_project"] == 1
    backups.manage(backups.process_env(url(source), tmp_path), "backup", str(tmp_path / "backup"))

    with backups.pg_scratch(f"{source}_restore", params) as scratch:
        env = backups.process_env(url(scratch), tmp_path)
        backups.manage(env, "restore", str(tmp_path / "backup"), "--yes")  # onto an empty server
        assert backups.pg_counts(scratch, params) == before
        with psycopg.connect(dbname=scratch, autocommit=True, **params) as conn:
            conn.execute("DELETE FROM participation_support")
        backups.manage(env, "restore", str(tmp_path / "backup"), "--yes")  # onto a damaged database
        assert backups.pg_counts(scratch, params) == before
