"""Backups of the database (SQLite or PostgreSQL) and of the uploaded files, and their restore.

A backup is a folder: `db.sqlite3` (SQLite's online backup API: consistent while the site runs)
or `db.pgdump` (pg_dump's custom format), `media.tar.gz` (public and private uploads) and
`manifest.json`. `manage.py backup` and `manage.py restore` (and `make backup` / `make restore`)
call these functions.

It holds personal data (complaint letters and scans, contacts, emails), so it is owner-only: the
folder 0700, every file 0600. Given age recipients (public keys, `age1...`: `BACKUP_AGE_RECIPIENT`),
the database and the archive are encrypted to them in the age format (pyrage; the `age` command
decrypts them too: `age -d -i key.txt db.sqlite3.age`) and no plaintext copy is kept; only the
manifest (engine, date, file names) stays readable. A restore then needs the private key
(`BACKUP_AGE_IDENTITY`): every file is decrypted into a private temporary folder before anything
live is touched, so a wrong key changes nothing.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
AGE_SUFFIX = ".age"


class BackupError(Exception):
    pass


@contextmanager
def _owner_only():
    """Files and folders created meanwhile (pg_dump's and tar's too) are readable by the owner only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def private_folder(path: Path) -> Path:
    path = Path(path)
    with _owner_only():
        path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    path.chmod(FOLDER_MODE)
    return path


def age_recipients(value: str):
    """The age public keys in `value` (separated by commas or spaces)."""
    import pyrage

    keys = [key for key in value.replace(",", " ").split() if key]
    if not keys:
        raise BackupError("No age recipient given (BACKUP_AGE_RECIPIENT is empty).")
    try:
        return [pyrage.x25519.Recipient.from_str(key) for key in keys]
    except pyrage.RecipientError as exc:
        raise BackupError(f"BACKUP_AGE_RECIPIENT is not an age public key (age1...): {exc}") from exc


def age_identities(value: str):
    """The age private keys in `value`: the key itself (AGE-SECRET-KEY-1...) or the path of a key file
    as `age-keygen` writes it."""
    import pyrage

    text = value.strip()
    if not text.startswith("AGE-SECRET-KEY-"):
        try:
            text = Path(text).read_text()
        except OSError as exc:
            raise BackupError(f"BACKUP_AGE_IDENTITY is neither an age private key nor a readable key file: {exc}") \
                from exc
    keys = [line.strip() for line in text.splitlines() if line.strip().startswith("AGE-SECRET-KEY-")]
    if not keys:
        raise BackupError("BACKUP_AGE_IDENTITY holds no age private key (AGE-SECRET-KEY-1...).")
    try:
        return [pyrage.x25519.Identity.from_str(key) for key in keys]
    except pyrage.IdentityError as exc:
        raise BackupError(f"BACKUP_AGE_IDENTITY is not a valid age private key: {exc}") from exc


def _db(alias="default"):
    return settings.DATABASES[alias]


def engine(alias="default") -> str:
    name = _db(alias)["ENGINE"]
    if name.endswith("sqlite3"):
        return "sqlite"
    if name.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Unsupported database engine {name}.")


def _pg_env(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db):
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def _media_roots():
    roots = {"media": Path(settings.MEDIA_ROOT)}
    private = settings.PRIVATE_MEDIA_ROOT
    if private:
        roots["private"] = Path(private)
    return roots


def backup(target: Path, *, media=True, alias="default", recipients: str | None = None) -> Path:
    """Write a backup into the folder `target` (created, owner-only); return it. With `recipients`
    (age public keys), the database and the archive are stored encrypted only."""
    keys = age_recipients(recipients) if recipients else None  # a bad key fails before anything is written
    target = private_folder(target)
    with _owner_only():
        files = _write_plain(target, media=media, alias=alias)
        if keys:
            files = [_encrypt(target / name, keys) for name in files]
        kind = engine(alias)
        db = _db(alias)
        (target / MANIFEST).write_text(json.dumps({
            "engine": kind, "created_at": timezone.now().isoformat(), "media": media,
            "database": str(db["NAME"]) if kind == "postgresql" else Path(str(db["NAME"])).name,
            "encrypted": "age" if keys else None, "files": files,
        }, indent=2))
    for path in target.iterdir():
        path.chmod(FILE_MODE)
    return target


def _write_plain(target: Path, *, media, alias) -> list[str]:
    db = _db(alias)
    if engine(alias) == "sqlite":
        source = sqlite3.connect(str(db["NAME"]))
        dest = sqlite3.connect(str(target / "db.sqlite3"))
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
        files = ["db.sqlite3"]
    else:
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *_pg_args(db),
                   "--file", str(target / "db.pgdump"), str(db["NAME"])]
        subprocess.run(command, check=True, env=_pg_env(db), capture_output=True)  # noqa: S603, S607 -- PATH's pg tools
        files = ["db.pgdump"]
    if media:
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            for name, root in _media_roots().items():
                if root.exists():
                    archive.add(str(root), arcname=name)
        files.append("media.tar.gz")
    return files


def _encrypt(path: Path, keys) -> str:
    import pyrage

    encrypted = path.with_name(path.name + AGE_SUFFIX)
    try:
        pyrage.encrypt_file(str(path), str(encrypted), keys)
    finally:
        path.unlink()  # no plaintext copy stays beside the encrypted one
    return encrypted.name


def restore(source: Path, *, media=True, alias="default", identity: str | None = None) -> None:
    """Replace the database (and uploaded files) with the backup in folder `source`. An encrypted
    backup needs `identity` (an age private key, or its file) and is wholly decrypted first."""
    source = Path(source)
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is not a backup folder (no {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text())
    kind = engine(alias)
    if manifest["engine"] != kind:
        raise BackupError(f"This backup is of a {manifest['engine']} database; the configured one is {kind}.")
    if not manifest.get("encrypted"):
        _restore_plain(source, media=media, alias=alias)
        return
    if not identity:
        raise BackupError("This backup is encrypted (age): give its private key in BACKUP_AGE_IDENTITY "
                          "(the key AGE-SECRET-KEY-1... or the path of its file). Nothing was changed.")
    keys = age_identities(identity)
    with tempfile.TemporaryDirectory(prefix="restore-") as plain:  # 0700, removed afterwards
        with _owner_only():
            for name in manifest.get("files", []):
                if name.endswith(AGE_SUFFIX) and (media or not name.startswith("media.")):
                    _decrypt(source / name, Path(plain) / name[:-len(AGE_SUFFIX)], keys)
        _restore_plain(Path(plain), media=media, alias=alias)


def _decrypt(path: Path, out: Path, keys) -> None:
    import pyrage

    if not path.exists():
        raise BackupError(f"The backup lacks {path.name}. Nothing was changed.")
    try:
        pyrage.decrypt_file(str(path), str(out), keys)
    except pyrage.DecryptError as exc:
        raise BackupError(f"The private key in BACKUP_AGE_IDENTITY does not open {path.name} (a backup made "
                          f"for another key, or a damaged file): {exc}. Nothing was changed.") from exc


def _restore_plain(source: Path, *, media, alias) -> None:
    kind = engine(alias)
    db = _db(alias)
    dump = source / ("db.sqlite3" if kind == "sqlite" else "db.pgdump")
    if not dump.exists():
        raise BackupError(f"The backup lacks {dump.name}. Nothing was changed.")
    connections[alias].close()
    if kind == "sqlite":
        backup_db = sqlite3.connect(str(dump))
        live = sqlite3.connect(str(db["NAME"]))
        try:
            with live:
                backup_db.backup(live)  # page by page into the live file: WAL and readers stay consistent
        finally:
            live.close()
            backup_db.close()
    else:
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                   "--single-transaction", *_pg_args(db), "--dbname", str(db["NAME"]), str(dump)]
        subprocess.run(command, check=True, env=_pg_env(db), capture_output=True)  # noqa: S603, S607 -- PATH's pg tools
    archive_path = source / "media.tar.gz"
    if media and archive_path.exists():
        roots = _media_roots()
        with tarfile.open(archive_path, "r:gz") as archive:
            for name, root in roots.items():
                members = [m for m in archive.getmembers() if m.name == name or m.name.startswith(name + "/")]
                if not members:
                    continue
                if root.exists():
                    shutil.rmtree(root)
                root.parent.mkdir(parents=True, exist_ok=True)
                for member in members:
                    member.name = member.name[len(name):].lstrip("/") or "."
                archive.extractall(root, members=members, filter="data")
