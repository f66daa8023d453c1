"""Media in production: public media on an S3-compatible store (cms/s3.py), private files kept on
PRIVATE_MEDIA_ROOT and handed to nginx with X-Accel-Redirect after the permission check
(cms.storage.PrivateFileAccelMiddleware); the store down: 503 in French and nothing saved.

The S3 API is moto's in-process mock here; tests/cluster/test_cluster.py uses a real S3 server."""

import io

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import RequestFactory
from moto import mock_aws
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.errors import StorageUnavailable
from cms.storage import MediaStorage, PrivateFileAccelMiddleware
from tests.conftest import client_as

BUCKET = "mairie-media-test"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # also resets default_storage (Django's storages_changed)
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings


@pytest.fixture
def s3(media, monkeypatch):
    """Public media on a (mocked) S3 bucket."""
    for name in ("AWS_CA_BUNDLE", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        media.AWS_S3_REGION_NAME = "us-east-1"
        media.AWS_STORAGE_BUCKET_NAME = BUCKET
        media.STORAGES = {**media.STORAGES}  # a new default storage, on S3
        yield client


@pytest.fixture
def s3_down(media, monkeypatch):
    """A store that refuses connections (nothing listens on port 9 here)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    media.AWS_STORAGE_BUCKET_NAME = BUCKET
    media.AWS_S3_ENDPOINT_URL = "http://127.0.0.1:9"
    media.AWS_S3_REGION_NAME = "us-east-1"
    media.S3_TIMEOUT_SECONDS = 1
    media.STORAGES = {**media.STORAGES}


@pytest.fixture
def uploader(site_ctx):
    """Someone who may add Wagtail documents (collection permissions: an administrator)."""
    from cms.models import User

    return User.objects.create_superuser("admin-media", "admin-media@example.org", "pass-media-2026")


def keys(client):
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_public_media_go_to_the_bucket_and_images_stay_private(s3, media):
    storage = MediaStorage()
    name = storage.save("documents/compte-rendu.pdf", ContentFile(PDF))
    assert keys(s3) == [name]
    assert storage.url(name) == f"https://{BUCKET}.s3.amazonaws.com/{name}"  # a plain URL: no signature
    assert storage.open(name).read() == PDF
    image = storage.save("original_images/photo.png", ContentFile(b"\x89PNG fake"))
    assert keys(s3) == [name]  # Wagtail images never leave PRIVATE_MEDIA_ROOT
    assert (media.PRIVATE_MEDIA_ROOT / "images" / image).exists()
    assert not (media.MEDIA_ROOT / name).exists()


def test_a_store_that_does_not_answer_is_storage_unavailable(s3_down):
    with pytest.raises(StorageUnavailable) as raised:
        MediaStorage().save("documents/compte-rendu.pdf", ContentFile(PDF))
    assert raised.value.status_code == 503


@pytest.mark.django_db
def test_a_document_uploaded_while_the_store_is_down_is_refused_with_503_and_nothing_saved(s3_down, uploader):
    documents = get_document_model().objects.count()
    upload = SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf")
    response = client_as(uploader).post("/admin/documents/add/", {
        "title": "Compte rendu du conseil", "file": upload, "collection": Collection.get_first_root_node().pk})
    assert response.status_code == 503
    assert "Le stockage des fichiers ne répond pas" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert get_document_model().objects.count() == documents


@pytest.mark.django_db
def test_a_document_uploaded_with_the_store_up_is_in_the_bucket(s3, uploader):
    upload = SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf")
    response = client_as(uploader).post("/admin/documents/add/", {
        "title": "Compte rendu du conseil", "file": upload, "collection": Collection.get_first_root_node().pk})
    assert response.status_code == 302
    document = get_document_model().objects.get(title="Compte rendu du conseil")
    assert document.file.name in keys(s3)
    served = client_as(uploader).get(document.url)  # Wagtail's serve view reads it back from the store
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF


# --- private files through nginx ------------------------------------------------------------


@pytest.fixture
def login_only_image(media, site_ctx):
    """A picture in a collection restricted to logged-in people."""
    root = Collection.get_first_root_node()
    collection = root.add_child(name="Réservée aux inscrits")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (10, 120, 200)).save(buffer, format="PNG")
    return get_image_model().objects.create(title="Plan", collection=collection,
                                            file=ContentFile(buffer.getvalue(), name="plan.png"))


def test_with_nginx_in_front_a_private_file_is_sent_by_x_accel_redirect(login_only_image, media, resident19,
                                                                          client19):
    media.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    url = f"/images/{login_only_image.file.name}"
    response = client_as(resident19).get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/images/{login_only_image.file.name}"
    assert response.content == b""  # nginx sends the bytes
    assert response["Content-Type"] == "image/png" and response["Cache-Control"] == "private, no-store"
    stranger = client19.get(url)
    assert stranger.status_code == 404 and "X-Accel-Redirect" not in stranger


def test_without_nginx_django_streams_the_private_file(login_only_image, media, resident19):
    media.PRIVATE_MEDIA_ACCEL_PREFIX = ""
    response = client_as(resident19).get(f"/images/{login_only_image.file.name}")
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_only_files_under_the_private_root_are_handed_to_nginx(media, tmp_path):
    media.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"not private")
    middleware = PrivateFileAccelMiddleware(lambda request: FileResponse(open(elsewhere, "rb")))  # noqa: SIM115
    response = middleware(RequestFactory().get("/"))
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == b"not private"
    response.file_to_stream.close()
