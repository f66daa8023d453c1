"""Backups of the database (SQLite or PostgreSQL) and of the uploaded files, and their restore.

A backup is a folder: `db.sqlite3` (SQLite's online backup API: consistent while the site runs)
or `db.pgdump` (pg_dump's custom format), `media.tar.gz` (public and private uploads) and
`manifest.json`. `manage.py backup` and `manage.py restore` (and `make backup` / `make restore`)
call these functions.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


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
    private = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if private:
        roots["private"] = Path(private)
    return roots


def backup(target: Path, *, media=True, alias="default") -> Path:
    """Write a backup into the folder `target` (created); return it."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    db = _db(alias)
    kind = engine(alias)
    if kind == "sqlite":
        source = sqlite3.connect(str(db["NAME"]))
        dest = sqlite3.connect(str(target / "db.sqlite3"))
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
    else:
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *_pg_args(db),
                   "--file", str(target / "db.pgdump"), str(db["NAME"])]
        subprocess.run(command, check=True, env=_pg_env(db), capture_output=True)  # noqa: S603, S607 -- PATH's pg tools
    if media:
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            for name, root in _media_roots().items():
                if root.exists():
                    archive.add(str(root), arcname=name)
    (target / MANIFEST).write_text(json.dumps({
        "engine": kind, "created_at": timezone.now().isoformat(), "media": media,
        "database": str(db["NAME"]) if kind == "postgresql" else Path(str(db["NAME"])).name,
    }, indent=2))
    return target


def restore(source: Path, *, media=True, alias="default") -> None:
    """Replace the database (and uploaded files) with the backup in folder `source`."""
    source = Path(source)
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is not a backup folder (no {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text())
    kind = engine(alias)
    if manifest["engine"] != kind:
        raise BackupError(f"This backup is of a {manifest['engine']} database; the configured one is {kind}.")
    db = _db(alias)
    connections[alias].close()
    if kind == "sqlite":
        backup_db = sqlite3.connect(str(source / "db.sqlite3"))
        live = sqlite3.connect(str(db["NAME"]))
        try:
            with live:
                backup_db.backup(live)  # page by page into the live file: WAL and readers stay consistent
        finally:
            live.close()
            backup_db.close()
    else:
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                   "--single-transaction", *_pg_args(db), "--dbname", str(db["NAME"]), str(source / "db.pgdump")]
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
