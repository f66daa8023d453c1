"""Documents attached to a carnet, only when its owner chooses to: a PDF or a picture (judged by its
content, pictures without their metadata), in private storage, read by the owner and the agents of a
service the carnet is shared with (a revoked sharing, anyone else: 404), removed by the owner, gone
with the carnet (deletion, purge, account deletion); the export lists them without their content."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cms.errors import Conflict, NotAllowed
from cms.privacy import account_delete, export_user_data
from guide import services
from guide.models import Carnet, CarnetItem
from tests.conftest import api_as, client_as
from tests.factories import resident

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


def _files(root) -> list[Path]:
    return sorted(p for p in (Path(root) / "carnets").rglob("*") if p.is_file()) if (Path(root) / "carnets").exists() \
        else []


def _pdf(name="acte.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _jpeg_with_gps(name="photo.jpg"):
    picture = Image.new("RGB", (20, 10), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (48.0, 52.0, 0.0)}  # GPS
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def carnet(creche, resident19, mairie19):
    return services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)


@pytest.fixture
def item(carnet):
    return carnet.items.order_by("pk").first()


def _attach(carnet, item, upload, user=None):
    return services.carnet_document_attach(user=user or carnet.owner, carnet=carnet, item_id=item.pk, upload=upload)


# --- services -------------------------------------------------------------------------------------------


def test_owner_attaches_a_pdf_to_private_storage(carnet, item, private_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        saved = _attach(carnet, item, _pdf())
    assert saved.document_name == "acte.pdf" and saved.document_type == "application/pdf"
    assert saved.document_size == len(PDF) and saved.document_added_at is not None
    [stored] = _files(private_root)
    assert stored.read_bytes() == PDF and (stored.stat().st_mode & 0o777) == 0o600
    with pytest.raises(ValueError):
        _ = saved.document.url  # private: no URL at all


def test_pictures_lose_their_metadata(carnet, item, private_root):
    saved = _attach(carnet, item, _jpeg_with_gps())
    assert saved.document_type == "image/jpeg" and saved.document_name == "photo.jpg"
    with Image.open(_files(private_root)[0]) as picture:
        assert picture.format == "JPEG" and not picture.getexif()


@pytest.mark.parametrize("upload, reason", [
    (SimpleUploadedFile("notes.txt", b"juste du texte", content_type="text/plain"), "invalid_file_type"),
    (SimpleUploadedFile("faux.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"),
     "invalid_file_type"),
    (SimpleUploadedFile("doc.docx", b"PK\x03\x04" + b"\0" * 30, content_type="application/zip"), "invalid_file_type"),
    (SimpleUploadedFile("prog.pdf", b"MZ\x90\x00" + b"\0" * 60), "dangerous_file"),
    (SimpleUploadedFile("vide.pdf", b""), "empty_file"),
    (None, None),
])
def test_anything_but_a_pdf_or_image_is_refused_and_nothing_is_stored(carnet, item, private_root, upload, reason):
    with pytest.raises(ValidationError) as refused:
        _attach(carnet, item, upload)
    assert "document" in refused.value.message_dict
    assert not _files(private_root)
    item.refresh_from_db()
    assert not item.document and item.document_name == ""


def test_too_large_is_refused(carnet, item, private_root, settings):
    settings.GUIDE_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="trop lourd"):
        _attach(carnet, item, _pdf(data=PDF + b"%" * 200))
    assert not _files(private_root)


def test_only_the_owner_attaches_and_not_on_a_closed_carnet(carnet, item, family_agent, private_root):
    services.carnet_share(user=carnet.owner, carnet=carnet, service="relais-familles")
    with pytest.raises(NotAllowed):
        _attach(carnet, item, _pdf(), user=family_agent)
    services.carnet_close(user=carnet.owner, carnet=carnet)
    with pytest.raises(Conflict):
        _attach(carnet, item, _pdf())
    assert not _files(private_root)


def test_an_item_of_another_carnet_is_refused(carnet, creche, mairie19, private_root):
    stranger = resident(mairie19, username="quelquun")
    theirs = services.carnet_open(user=stranger, mairie=mairie19, demarche_id=creche.pk)
    with pytest.raises(ValidationError):
        services.carnet_document_attach(user=carnet.owner, carnet=carnet, item_id=theirs.items.first().pk,
                                        upload=_pdf())
    assert not _files(private_root)


def test_the_file_is_removed_when_the_row_is_not_saved(carnet, item, private_root, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(CarnetItem, "save", broken_save)
    with pytest.raises(RuntimeError):
        _attach(carnet, item, _pdf())
    assert not _files(private_root)


def test_replacing_removes_the_old_file_and_removing_removes_it(carnet, item, private_root,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _attach(carnet, item, _pdf("premier.pdf")).document.name
    with django_capture_on_commit_callbacks(execute=True):
        second = _attach(carnet, item, _jpeg_with_gps()).document.name
    assert [p.name for p in _files(private_root)] == [Path(second).name] and first != second
    with django_capture_on_commit_callbacks(execute=True):
        removed = services.carnet_document_remove(user=carnet.owner, carnet=carnet, item_id=item.pk)
    assert not removed.document and removed.document_size is None and not _files(private_root)
    with pytest.raises(Conflict):
        services.carnet_document_remove(user=carnet.owner, carnet=carnet, item_id=item.pk)


# --- storage cleanup: deletion, purge, account deletion, export ----------------------------------------------


def test_deleting_the_carnet_deletes_its_files(carnet, item, private_root, django_capture_on_commit_callbacks):
    _attach(carnet, item, _pdf())
    with django_capture_on_commit_callbacks(execute=True):
        services.carnet_delete(user=carnet.owner, carnet=carnet)
    assert not Carnet.objects.filter(pk=carnet.pk).exists() and not _files(private_root)


def test_the_purge_deletes_the_files_of_the_carnets_it_deletes(carnet, item, creche, mairie19, private_root,
                                                                django_capture_on_commit_callbacks):
    _attach(carnet, item, _pdf())
    services.carnet_close(user=carnet.owner, carnet=carnet)
    Carnet.objects.filter(pk=carnet.pk).update(closed_at=timezone.now() - timedelta(days=400))
    young = services.carnet_open(user=carnet.owner, mairie=mairie19, demarche_id=creche.pk)
    kept = _attach(young, young.items.first(), _pdf("garde.pdf")).document.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.carnets_purge(days=365) == 1
    assert [p.name for p in _files(private_root)] == [Path(kept).name]


def test_export_lists_documents_and_account_deletion_erases_them(carnet, item, private_root,
                                                                  django_capture_on_commit_callbacks):
    _attach(carnet, item, _pdf())
    exported = json.loads(json.dumps(export_user_data(carnet.owner)))
    documents = exported["guide"]["carnets"][0]["documents"]
    attached = [d["attached_file"] for d in documents if d["attached_file"]]
    assert attached == [{"name": "acte.pdf", "size": len(PDF), "type": "application/pdf",
                         "added_at": attached[0]["added_at"]}]
    assert "PDF-1.4" not in json.dumps(exported)
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=carnet.owner)
    assert not CarnetItem.objects.filter(pk=item.pk).exists() and not _files(private_root)


# --- HTML ---------------------------------------------------------------------------------------------------


def test_owner_uploads_through_the_page_and_the_share_decides_who_downloads(carnet, item, family_agent, other_agent,
                                                                              private_root):
    me, agent, other = client_as(carnet.owner), client_as(family_agent), client_as(other_agent)
    page = me.get(f"/carnets/{carnet.pk}/").content.decode()
    assert f'action="/carnets/{carnet.pk}/documents/{item.pk}/joindre/"' in page and 'enctype="multipart/form-data"' in page
    assert f'<label for="document-{item.pk}">' in page

    response = me.post(f"/carnets/{carnet.pk}/documents/{item.pk}/joindre/", {"document": _pdf()})
    assert response.status_code == 302
    url = f"/carnets/{carnet.pk}/documents/{item.pk}/fichier/"
    download = me.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert "Retirer le document" in me.get(f"/carnets/{carnet.pk}/").content.decode()

    assert agent.get(url).status_code == 404 and other.get(url).status_code == 404  # not shared yet
    share = services.carnet_share(user=carnet.owner, carnet=carnet, service="relais-familles")
    assert agent.get(url).status_code == 200 and other.get(url).status_code == 404
    agent_page = agent.get(f"/carnets/{carnet.pk}/").content.decode()
    assert url in agent_page and "Retirer le document" not in agent_page and "joindre/" not in agent_page
    assert agent.post(f"/carnets/{carnet.pk}/documents/{item.pk}/joindre/", {"document": _pdf()}).status_code == 403
    assert agent.post(f"/carnets/{carnet.pk}/documents/{item.pk}/retirer/").status_code == 302  # refused, flashed
    assert CarnetItem.objects.get(pk=item.pk).document

    services.carnet_share_revoke(user=carnet.owner, carnet=carnet, share_id=share.pk)
    assert agent.get(url).status_code == 404
    assert client_as(carnet.owner, host="paris20.localhost").get(url).status_code in (404, 302)

    assert me.post(f"/carnets/{carnet.pk}/documents/{item.pk}/retirer/").status_code == 302
    assert not CarnetItem.objects.get(pk=item.pk).document and me.get(url).status_code == 404


def test_bad_uploads_on_the_page_are_400_with_the_reason_next_to_the_field(carnet, item, private_root, settings):
    me = client_as(carnet.owner)
    action = f"/carnets/{carnet.pk}/documents/{item.pk}/joindre/"
    refused = me.post(action, {"document": SimpleUploadedFile("virus.exe", b"MZ" + b"\0" * 50)})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert f'id="document-error-{item.pk}"' in body and 'aria-invalid="true"' in body
    assert me.post(action, {}).status_code == 400
    settings.GUIDE_DOCUMENT_MAX_BYTES = 50
    assert me.post(action, {"document": _pdf(data=PDF + b"%" * 100)}).status_code == 400
    assert not _files(private_root) and not CarnetItem.objects.get(pk=item.pk).document
    assert me.get(action).status_code == 404  # a button: POST only


def test_someone_elses_carnet_is_a_404_on_every_document_route(carnet, item, mairie19, private_root):
    _attach(carnet, item, _pdf())
    stranger = client_as(resident(mairie19, username="curieux"))
    base = f"/carnets/{carnet.pk}/documents/{item.pk}/"
    assert stranger.get(base + "fichier/").status_code == 404
    assert stranger.post(base + "joindre/", {"document": _pdf()}).status_code == 404
    assert stranger.post(base + "retirer/").status_code == 404
    assert client_as(carnet.owner).get(f"/carnets/{carnet.pk}/documents/999999/fichier/").status_code == 404
    assert len(_files(private_root)) == 1 and CarnetItem.objects.get(pk=item.pk).document


# --- API ----------------------------------------------------------------------------------------------------


def test_api_attach_download_remove(carnet, item, family_agent, mairie19, private_root,
                                    django_capture_on_commit_callbacks):
    me, agent = api_as(carnet.owner), api_as(family_agent)
    stranger = api_as(resident(mairie19, username="voisin"))
    url = f"/api/carnets/{carnet.pk}/items/{item.pk}/document/"
    assert me.get(url).status_code == 404  # nothing attached yet

    created = me.post(url, {"document": _jpeg_with_gps("carte.jpeg")}, format="multipart")
    assert created.status_code == 200, created.content
    assert created.json()["document"]["name"] == "carte.jpg"
    assert created.json()["document"]["content_type"] == "image/jpeg"
    detail = me.get(f"/api/carnets/{carnet.pk}/").json()
    assert [i["document"]["name"] for i in detail["items"] if i["document"]] == ["carte.jpg"]
    download = me.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"

    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"document": _pdf()}, format="multipart").status_code == 404
    assert stranger.delete(url).status_code == 404
    assert agent.get(url).status_code == 404
    services.carnet_share(user=carnet.owner, carnet=carnet, service="relais-familles")
    assert agent.get(url).status_code == 200
    assert agent.post(url, {"document": _pdf()}, format="multipart").status_code == 403
    assert agent.delete(url).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        removed = me.delete(url)
    assert removed.status_code == 200 and removed.json()["document"] is None
    assert me.delete(url).status_code == 409 and not _files(private_root)


def test_api_bad_input_is_400_and_nothing_is_saved(carnet, item, private_root, settings):
    me = api_as(carnet.owner)
    url = f"/api/carnets/{carnet.pk}/items/{item.pk}/document/"
    html = SimpleUploadedFile("page.pdf", b"<!doctype html><script>x</script>", content_type="application/pdf")
    refused = me.post(url, {"document": html}, format="multipart")
    assert refused.status_code == 400 and "document" in refused.json()["errors"]
    assert me.post(url, {}, format="multipart").status_code == 400
    settings.GUIDE_DOCUMENT_MAX_BYTES = 50
    assert me.post(url, {"document": _pdf(data=PDF + b"%" * 100)}, format="multipart").status_code == 400
    assert me.post(f"/api/carnets/{carnet.pk}/items/999999/document/", {"document": _pdf()},
                   format="multipart").status_code == 404
    assert not _files(private_root) and not CarnetItem.objects.get(pk=item.pk).document


def test_api_document_is_in_the_schema(api19):
    schema = api19.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = schema["paths"]["/api/carnets/{id}/items/{item_id}/document/"]
    assert {"get", "post", "delete"} <= set(operations)
    assert "multipart/form-data" in operations["post"]["requestBody"]["content"]
