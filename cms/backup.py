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

When public media live on an S3-compatible store (AWS_STORAGE_BUCKET_NAME, cms/s3.py), the backup
holds every object of the bucket (under AWS_LOCATION, if set) too: each in `s3/<its SHA-256>` (the
same content once), and `s3.json`, their manifest (key, size, SHA-256, content type), encrypted like
the rest. A restore puts them back and deletes the objects that the backup does not hold, so the
bucket is exactly as it was backed up. The store is asked before anything is written or replaced: a
store that does not answer fails the backup (its folder is removed) or the restore (nothing changed).
"""

import hashlib
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
S3_FOLDER = "s3"
S3_MANIFEST = "s3.json"
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


# --- the S3 bucket of public media ------------------------------------------------------------


class _Store:
    """The bucket of public media, through cms.s3's client (its timeouts and retry); a store that does
    not answer is a BackupError saying what happened to the backup or the restore."""

    def __init__(self, doing: str):
        from cms.s3 import client

        self.client, self.bucket = client()
        self.prefix = settings.AWS_LOCATION.strip("/") + "/" if settings.AWS_LOCATION.strip("/") else ""
        self.doing = doing  # what the error message adds: "Nothing was backed up." ...
        self.where = settings.AWS_S3_ENDPOINT_URL or "AWS"

    def call(self, what, function, *args, **kwargs):
        from boto3.exceptions import Boto3Error  # upload_file's S3UploadFailedError
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return function(*args, **kwargs)
        except (Boto3Error, BotoCoreError, ClientError) as exc:
            raise BackupError(f"The S3 store ({self.where}, bucket {self.bucket}) does not answer or refused to "
                              f"{what}: {exc}. {self.doing}") from exc

    def objects(self) -> list[dict]:
        """Every object of the bucket (under AWS_LOCATION): [{"Key", "Size", ...}]."""
        found, token = [], None
        while True:
            kwargs = {"Bucket": self.bucket, "Prefix": self.prefix, **({"ContinuationToken": token} if token else {})}
            page = self.call("list the bucket", self.client.list_objects_v2, **kwargs)
            found += page.get("Contents", [])
            if not page.get("IsTruncated"):
                return found
            token = page["NextContinuationToken"]


def s3_configured() -> bool:
    return bool(settings.AWS_STORAGE_BUCKET_NAME)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_s3(target: Path, store: _Store, listed: list[dict]) -> dict:
    """Every listed object into target/s3/<sha256>; returns the content of s3.json."""
    folder = private_folder(target / S3_FOLDER)
    entries = []
    for item in listed:
        key = item["Key"]
        part = folder / ".download"
        head = store.call(f"read {key}", store.client.head_object, Bucket=store.bucket, Key=key)
        store.call(f"read {key}", store.client.download_file, store.bucket, key, str(part))
        digest = _sha256(part)
        part.replace(folder / digest)
        entries.append({"key": key, "size": (folder / digest).stat().st_size, "sha256": digest,
                        "content_type": head.get("ContentType") or "",
                        "cache_control": head.get("CacheControl") or ""})
    return {"bucket": store.bucket, "prefix": store.prefix, "objects": entries}


def _restore_s3(source: Path, store: _Store, wanted: dict) -> None:
    """Put the backup's objects back into the bucket and delete the others (under AWS_LOCATION)."""
    for entry in wanted["objects"]:
        extra = {k: v for k, v in (("ContentType", entry.get("content_type")),
                                   ("CacheControl", entry.get("cache_control"))) if v}
        store.call(f"write {entry['key']}", store.client.upload_file, str(source / S3_FOLDER / entry["sha256"]),
                   store.bucket, entry["key"], ExtraArgs=extra or None)
    keep = {entry["key"] for entry in wanted["objects"]}
    extra_keys = [item["Key"] for item in store.objects() if item["Key"] not in keep]
    for start in range(0, len(extra_keys), 1000):  # DeleteObjects takes 1000 keys at most
        batch = [{"Key": key} for key in extra_keys[start:start + 1000]]
        answer = store.call("delete objects", store.client.delete_objects, Bucket=store.bucket,
                            Delete={"Objects": batch, "Quiet": True})
        if answer.get("Errors"):
            raise BackupError(f"The S3 store refused to delete {len(answer['Errors'])} objects "
                              f"({answer['Errors'][0].get('Key')}: {answer['Errors'][0].get('Message')}). "
                              f"{store.doing}")


def _check_s3_files(source: Path, wanted: dict) -> None:
    for entry in wanted["objects"]:
        path = source / S3_FOLDER / entry["sha256"]
        if not path.exists() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"The backup's copy of the S3 object {entry['key']} is missing or damaged "
                              f"({S3_FOLDER}/{entry['sha256']}). Nothing was changed.")


# --- backup -----------------------------------------------------------------------------------


def backup(target: Path, *, media=True, alias="default", recipients: str | None = None) -> Path:
    """Write a backup into the folder `target` (created, owner-only); return it. With `recipients`
    (age public keys), the database, the archive and the bucket's objects are stored encrypted only.
    With media and an S3 store configured, the store is listed before anything is written; a backup
    that fails leaves no folder (or, in a folder that existed, no manifest: it is no backup)."""
    keys = age_recipients(recipients) if recipients else None  # a bad key fails before anything is written
    store = _Store("Nothing was backed up.") if media and s3_configured() else None
    listed = store.objects() if store else None  # a store that does not answer fails here
    existed = Path(target).exists()
    target = private_folder(target)
    (target / MANIFEST).unlink(missing_ok=True)  # not a backup until the end
    try:
        _backup_into(target, store, listed, media=media, alias=alias, keys=keys)
    except BaseException:
        if not existed:
            shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _backup_into(target: Path, store, listed, *, media, alias, keys) -> None:
    with _owner_only():
        files = _write_plain(target, media=media, alias=alias)
        bucket = None
        if store is not None:
            store.doing = "The backup was not written."
            bucket = _write_s3(target, store, listed)
            (target / S3_MANIFEST).write_text(json.dumps(bucket, indent=2))
            files.append(S3_MANIFEST)
        if keys:
            files = [_encrypt(target / name, keys) for name in files]
            if bucket is not None:
                for entry in bucket["objects"]:
                    plain = target / S3_FOLDER / entry["sha256"]
                    if plain.exists():  # the same content under two keys is stored once
                        _encrypt(plain, keys)
        kind = engine(alias)
        db = _db(alias)
        summary = {
            "engine": kind, "created_at": timezone.now().isoformat(), "media": media,
            "database": str(db["NAME"]) if kind == "postgresql" else Path(str(db["NAME"])).name,
            "encrypted": "age" if keys else None, "files": files,
        }
        if bucket is not None:
            summary["s3"] = {"bucket": bucket["bucket"], "prefix": bucket["prefix"],
                             "objects": len(bucket["objects"]), "bytes": sum(e["size"] for e in bucket["objects"])}
        (target / MANIFEST).write_text(json.dumps(summary, indent=2))
    for path in target.rglob("*"):
        path.chmod(FOLDER_MODE if path.is_dir() else FILE_MODE)
    target.chmod(FOLDER_MODE)


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
    bucket = manifest.get("s3") if media else None
    store = None
    if bucket is not None:
        if not s3_configured():
            raise BackupError(f"This backup holds {bucket['objects']} objects of the S3 bucket {bucket['bucket']}, "
                              "but no S3 store is configured (AWS_STORAGE_BUCKET_NAME): configure it, or restore "
                              "with --no-media. Nothing was changed.")
        store = _Store("Nothing was changed.")
        store.objects()  # a store that does not answer fails before anything is replaced
    if not manifest.get("encrypted"):
        _restore_plain(source, media=media, alias=alias, store=store)
        return
    if not identity:
        raise BackupError("This backup is encrypted (age): give its private key in BACKUP_AGE_IDENTITY "
                          "(the key AGE-SECRET-KEY-1... or the path of its file). Nothing was changed.")
    keys = age_identities(identity)
    with tempfile.TemporaryDirectory(prefix="restore-") as plain:  # 0700, removed afterwards
        with _owner_only():
            for name in manifest.get("files", []):
                if name.endswith(AGE_SUFFIX) and (media or not name.startswith(("media.", "s3."))):
                    _decrypt(source / name, Path(plain) / name[:-len(AGE_SUFFIX)], keys)
            if store is not None and (Path(plain) / S3_MANIFEST).exists():
                folder = private_folder(Path(plain) / S3_FOLDER)
                for digest in {e["sha256"] for e in json.loads((Path(plain) / S3_MANIFEST).read_text())["objects"]}:
                    _decrypt(source / S3_FOLDER / (digest + AGE_SUFFIX), folder / digest, keys)
        _restore_plain(Path(plain), media=media, alias=alias, store=store)


def _decrypt(path: Path, out: Path, keys) -> None:
    import pyrage

    if not path.exists():
        raise BackupError(f"The backup lacks {path.name}. Nothing was changed.")
    try:
        pyrage.decrypt_file(str(path), str(out), keys)
    except pyrage.DecryptError as exc:
        raise BackupError(f"The private key in BACKUP_AGE_IDENTITY does not open {path.name} (a backup made "
                          f"for another key, or a damaged file): {exc}. Nothing was changed.") from exc


def _restore_plain(source: Path, *, media, alias, store=None) -> None:
    kind = engine(alias)
    db = _db(alias)
    dump = source / ("db.sqlite3" if kind == "sqlite" else "db.pgdump")
    if not dump.exists():
        raise BackupError(f"The backup lacks {dump.name}. Nothing was changed.")
    wanted = None
    if store is not None:
        if not (source / S3_MANIFEST).exists():
            raise BackupError(f"The backup lacks {S3_MANIFEST}. Nothing was changed.")
        wanted = json.loads((source / S3_MANIFEST).read_text())
        _check_s3_files(source, wanted)
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
    if wanted is not None:
        store.doing = ("The database and the local files were restored, the S3 bucket only in part: run the "
                       "restore again once the store answers.")
        _restore_s3(source, store, wanted)
