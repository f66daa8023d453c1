"""`manage.py backup` / `restore` with public media on an S3-compatible store (AWS_STORAGE_BUCKET_NAME): the
backup holds every object of the bucket, the restore gives back exactly the backed-up bucket, and a store
that does not answer fails clearly, leaving no half backup and changing nothing. Against a real
S3-compatible server (moto_server, as the cluster runs it), one for the module."""

import contextlib
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyrage import x25519

from tests.security import backups

BUCKET = "mairie-media-test"
OBJECTS = {
    "documents/affiche-fete.pdf": (b"%PDF-1.4 affiche de la fete des voisins", "application/pdf"),
    "documents/compte-rendu.txt": (b"Compte rendu du conseil de quartier", "text/plain"),
    "images/logo.png": (b"\x89PNG logo de la mairie", "image/png"),
}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    moto = Path(sys.executable).parent / "moto_server"
    if not moto.exists():
        pytest.skip(f"moto_server is missing ({moto}): pip install 'moto[server]'")
    port = _free_port()
    process = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,  # noqa: S603
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start on port {port}")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _s3_env(endpoint):
    return {"AWS_STORAGE_BUCKET_NAME": BUCKET, "S3_ENDPOINT_URL": endpoint, "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_S3_REGION_NAME": "us-east-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "S3_TIMEOUT_SECONDS": "2"}


@pytest.fixture
def s3(s3_server):
    """An empty bucket holding OBJECTS, and its client."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")  # noqa: S106
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    for key, (body, content_type) in OBJECTS.items():
        client.put_object(Bucket=BUCKET, Key=key, Body=body, ContentType=content_type)
    return client


def _bucket(client):
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    return {key: (client.get_object(Bucket=BUCKET, Key=key)["Body"].read(),
                  client.head_object(Bucket=BUCKET, Key=key)["ContentType"]) for key in keys}


def _vandalise(client):
    client.put_object(Bucket=BUCKET, Key="documents/affiche-fete.pdf", Body=b"vandalise", ContentType="text/plain")
    client.delete_object(Bucket=BUCKET, Key="documents/compte-rendu.txt")
    client.put_object(Bucket=BUCKET, Key="documents/intrus.txt", Body=b"ajoute apres la sauvegarde")


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def env(tmp_path, s3_server):
    """`manage.py` on a small SQLite database of its own (the backup's S3 part does not depend on the
    database; tests/security/test_backup.py covers the database)."""
    live = tmp_path / "db.sqlite3"
    with sqlite3.connect(live) as db:
        db.execute("CREATE TABLE registre (ligne TEXT)")
        db.execute("INSERT INTO registre VALUES ('avant la sauvegarde')")
    db.close()
    return {**backups.process_env(f"sqlite:///{live}", tmp_path), **_s3_env(s3_server)}


def test_a_backup_holds_the_bucket_and_a_restore_gives_back_exactly_its_objects(s3, env, tmp_path):
    assert _bucket(s3) == OBJECTS
    out = backups.manage(env, "backup", str(tmp_path / "backup"))
    assert "3 objects" in out and BUCKET in out
    folder = tmp_path / "backup"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["s3"]["objects"] == 3 and manifest["s3"]["bytes"] == sum(len(b) for b, _t in OBJECTS.values())
    listed = json.loads((folder / "s3.json").read_text())["objects"]
    assert {e["key"]: (e["size"], e["content_type"]) for e in listed} == {
        key: (len(body), content_type) for key, (body, content_type) in OBJECTS.items()}
    for entry in listed:
        assert (folder / "s3" / entry["sha256"]).read_bytes() == OBJECTS[entry["key"]][0]
    assert _mode(folder) == 0o700 and _mode(folder / "s3") == 0o700
    assert all(_mode(p) == 0o600 for p in folder.rglob("*") if p.is_file())

    _vandalise(s3)
    assert _bucket(s3) != OBJECTS
    backups.manage(env, "restore", str(folder), "--yes")
    assert _bucket(s3) == OBJECTS  # changed one back, deleted one back, added one gone, content types kept

    # --no-media leaves the bucket alone.
    _vandalise(s3)
    backups.manage(env, "restore", str(folder), "--yes", "--no-media")
    assert "documents/intrus.txt" in _bucket(s3)


def test_an_encrypted_backup_holds_no_object_in_clear_and_restores_with_its_key(s3, env, tmp_path):
    key = x25519.Identity.generate()
    folder = tmp_path / "encrypted"
    backups.manage({**env, "BACKUP_AGE_RECIPIENT": str(key.to_public())}, "backup", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == [
        "db.sqlite3.age", "manifest.json", "media.tar.gz.age", "s3", "s3.json.age"]
    assert len(list((folder / "s3").iterdir())) == 3
    for path in folder.rglob("*"):
        if path.is_file():
            assert _mode(path) == 0o600 and path.name.endswith((".age", "manifest.json")), path
            data = path.read_bytes()
            assert not any(body in data for body, _t in OBJECTS.values()) and b"compte-rendu" not in data, path

    _vandalise(s3)
    missing = backups.run(env, "restore", str(folder), "--yes")
    assert missing.returncode != 0 and "BACKUP_AGE_IDENTITY" in missing.stderr
    backups.manage({**env, "BACKUP_AGE_IDENTITY": str(key)}, "restore", str(folder), "--yes")
    assert _bucket(s3) == OBJECTS


def test_a_store_that_does_not_answer_fails_the_backup_and_the_restore_clearly(s3, env, tmp_path):
    down = {**env, **_s3_env(f"http://127.0.0.1:{_free_port()}"), "S3_TIMEOUT_SECONDS": "1"}
    failed = backups.run(down, "backup", str(tmp_path / "half"))
    assert failed.returncode != 0, failed.stdout
    assert "does not answer" in failed.stderr and "Nothing was backed up" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert not (tmp_path / "half").exists()  # no folder that could pass for a backup

    backups.manage(env, "backup", str(tmp_path / "backup"))
    live = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    with sqlite3.connect(live) as db:
        db.execute("INSERT INTO registre VALUES ('après la sauvegarde')")
    db.close()
    before = backups.sqlite_counts(live)
    assert before == {"registre": 2}
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "nouveau.txt").write_text("après la sauvegarde")
    refused = backups.run(down, "restore", str(tmp_path / "backup"), "--yes")
    assert refused.returncode != 0 and "does not answer" in refused.stderr and "Nothing was changed" in refused.stderr
    assert (tmp_path / "media" / "nouveau.txt").exists()  # nothing restored, not even the local files
    assert backups.sqlite_counts(live) == before
