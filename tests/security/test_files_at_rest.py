"""Files at rest: private uploads are owner-only (0600 in 0700 folders); a backup is owner-only too and,
given an age public key (BACKUP_AGE_RECIPIENT), holds no plaintext: it restores with the private key
(BACKUP_AGE_IDENTITY) and a wrong key fails clearly, changing nothing."""

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from pyrage import x25519

from tests.factories.hackathon import ComplaintFactory
from tests.security import backups

SECRET_LETTER = "Texte intégral confidentiel : ma voisine Mme Dupont-Secret se plaint du bruit"


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


# --- private uploads --------------------------------------------------------------------------


def test_private_uploads_are_0600_in_0700_folders(settings, tmp_path):
    from bricolages.models import private_storage as bricolages_storage
    from cms.storage import ImageStorage
    from hackathon.models import private_storage as scans

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    bricolages = bricolages_storage()
    for name in ("base_location", "location"):
        bricolages.__dict__.pop(name, None)
    try:
        saved = [
            (scans, scans.save("complaints/lettre.pdf", ContentFile(b"%PDF-1.4 scan"))),
            (bricolages, bricolages.save("bricolages/abc/modele.csv", ContentFile(b"a;b\n"))),
            (ImageStorage(), ImageStorage().save("original_images/photo.png", ContentFile(b"\x89PNG..."))),
        ]
        for storage, name in saved:
            path = Path(storage.path(name))
            assert _mode(path) == 0o600, name
            assert _mode(path.parent) == 0o700, name
            assert str(path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    finally:
        for name in ("base_location", "location"):
            bricolages.__dict__.pop(name, None)


# --- backups ----------------------------------------------------------------------------------


def _live_sqlite(site_ctx, tmp_path):
    backups.seed(site_ctx)
    ComplaintFactory(mairie=site_ctx.mairies["paris19"], personal__full_text=SECRET_LETTER)
    live = backups.sqlite_copy(tmp_path)
    backups.save_files(tmp_path)
    (tmp_path / "private" / "scans" / "scan.txt").write_text(SECRET_LETTER)
    return live


def _assert_owner_only(folder):
    assert _mode(folder) == 0o700
    for path in folder.iterdir():
        assert path.is_file() and _mode(path) == 0o600, path


def _assert_no_plaintext(folder):
    for path in folder.iterdir():
        data = path.read_bytes()
        assert SECRET_LETTER.encode() not in data and b"Dupont-Secret" not in data, path
        assert b"SQLite format" not in data and not data.startswith(b"\x1f\x8b"), path  # no database, no gzip


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant (PostgreSQL: the test below)")
@pytest.mark.django_db(transaction=True)
def test_a_backup_is_owner_only_and_an_encrypted_one_restores_only_with_its_key(site_ctx, tmp_path):
    live = _live_sqlite(site_ctx, tmp_path)
    before = backups.sqlite_counts(live)
    env = backups.process_env(f"sqlite:///{live}", tmp_path)

    backups.manage(env, "backup", str(tmp_path / "plain"))
    _assert_owner_only(tmp_path / "plain")
    assert SECRET_LETTER.encode() in (tmp_path / "plain" / "db.sqlite3").read_bytes()  # the check can fail

    key, other = x25519.Identity.generate(), x25519.Identity.generate()
    encrypted = tmp_path / "encrypted"
    backups.manage({**env, "BACKUP_AGE_RECIPIENT": str(key.to_public())}, "backup", str(encrypted))
    assert sorted(p.name for p in encrypted.iterdir()) == ["db.sqlite3.age", "manifest.json", "media.tar.gz.age"]
    _assert_owner_only(encrypted)
    _assert_no_plaintext(encrypted)

    # Damage, then a restore without the key, or with another one: refused, nothing changes.
    db = sqlite3.connect(live)
    db.execute("DELETE FROM participation_support")
    db.commit()
    db.close()
    (tmp_path / "private" / "scans" / "scan.txt").write_text("abîmé")
    damaged = backups.sqlite_counts(live)
    missing = backups.run(env, "restore", str(encrypted), "--yes")
    assert missing.returncode != 0 and "BACKUP_AGE_IDENTITY" in missing.stderr
    wrong = backups.run({**env, "BACKUP_AGE_IDENTITY": str(other)}, "restore", str(encrypted), "--yes")
    assert wrong.returncode != 0 and "does not open" in wrong.stderr and "Nothing was changed" in wrong.stderr
    assert backups.sqlite_counts(live) == damaged
    assert (tmp_path / "private" / "scans" / "scan.txt").read_text() == "abîmé"

    # The right key, as a key file written by age-keygen: the same data again, files included.
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"# created: now\n# public key: {key.to_public()}\n{key}\n")
    backups.manage({**env, "BACKUP_AGE_IDENTITY": str(key_file)}, "restore", str(encrypted), "--yes")
    assert backups.sqlite_counts(live) == before
    db = sqlite3.connect(live)
    assert db.execute("SELECT full_text FROM hackathon_complaintpersonaldata").fetchone()[0] == SECRET_LETTER
    db.close()
    assert (tmp_path / "private" / "scans" / "scan.txt").read_text() == SECRET_LETTER
    assert (tmp_path / "private" / "scans" / "lettre.txt").read_bytes() == b"courrier prive"


def test_a_backup_refuses_a_recipient_that_is_not_an_age_key(tmp_path, settings):
    from django.core.management import CommandError, call_command

    settings.BACKUP_AGE_RECIPIENT = "not-a-key"
    with pytest.raises(CommandError, match="not an age public key"):
        call_command("backup", str(tmp_path / "b"))
    assert not (tmp_path / "b").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_encrypted_backup_holds_no_plaintext_and_restores_with_its_key(site_ctx, tmp_path):
    backups.seed(site_ctx)
    ComplaintFactory(mairie=site_ctx.mairies["paris19"], personal__full_text=SECRET_LETTER)
    backups.save_files(tmp_path)
    params, url = backups.pg_server()
    source = connection.settings_dict["NAME"]
    before = backups.pg_counts(source, params)
    key, other = x25519.Identity.generate(), x25519.Identity.generate()
    encrypted = tmp_path / "encrypted"
    backups.manage({**backups.process_env(url(source), tmp_path), "BACKUP_AGE_RECIPIENT": str(key.to_public())}, "backup", str(encrypted))
    assert sorted(p.name for p in encrypted.iterdir()) == ["db.pgdump.age", "manifest.json", "media.tar.gz.age"]
    _assert_owner_only(encrypted)
    _assert_no_plaintext(encrypted)

    with backups.pg_scratch(f"{source}_restore_age", params) as scratch:
        env = backups.process_env(url(scratch), tmp_path)
        wrong = backups.run({**env, "BACKUP_AGE_IDENTITY": str(other)}, "restore", str(encrypted), "--yes")
        assert wrong.returncode != 0 and "does not open" in wrong.stderr
        assert backups.pg_counts(scratch, params) == {}  # still the empty database
        backups.manage({**env, "BACKUP_AGE_IDENTITY": str(key)}, "restore", str(encrypted), "--yes")
        assert backups.pg_counts(scratch, params) == before
