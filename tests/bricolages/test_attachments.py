"""Attached files are checked by their content and size; executables never get in."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bricolages import services
from bricolages.attachments import check_attachment
from bricolages.models import BricolageAttachment, BricolagePage
from bricolages.services import BricolageInput
from tests.conftest import client_as
from tests.factories.bricolages import bricolage, csv_upload, png_upload, xlsx_upload, zip_bytes


@pytest.mark.parametrize(("name", "data", "message"), [
    ("outil.exe", b"MZ\x90\x00" + b"\x00" * 100, "exécutables"),
    ("modele.xlsx", b"MZ\x90\x00" + b"\x00" * 100, "exécutables"),  # a renamed program
    ("notes.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "exécutables"),
    ("lancer.txt", b"#!/bin/sh\nrm -rf /\n", "exécutables"),
    ("script.sh", b"echo bonjour\n", "exécutables"),
    ("macro.xlsm", zip_bytes({"[Content_Types].xml": "<x/>", "xl/vbaProject.bin": "x"}), "exécutables"),
    ("modele.xlsx", zip_bytes({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<w/>", "xl/vbaProject.bin": "x"}), "macros"),
    ("kit.zip", zip_bytes({"lisez-moi.txt": "ok", "installer.exe": "MZ..."}), "programme"),
    ("kit.zip", zip_bytes({"lisez-moi.txt": "ok", "image.png": b"MZ\x90\x00"}), "programme"),
    ("faux.pdf", b"ceci n'est pas un pdf", "PDF valide"),
    ("faux.xlsx", b"PK\x03\x04 pas vraiment", "valide"),
    ("tableau.ods", zip_bytes({"mimetype": "text/plain"}), "valide"),
    ("image.png", b"GIF89a......", "image PNG valide"),
    ("donnees.csv", b"a;b\x00;c", "texte"),
    ("page.html", b"<html></html>", "exécutables"),
    ("inconnu.xyz", b"hello", "n'est pas accepté"),
    ("vide.csv", b"", "vide"),
])
def test_bad_files_are_refused_with_a_clear_message(name, data, message):
    with pytest.raises(ValidationError, match=message):
        check_attachment(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(("upload", "mime"), [
    (csv_upload(), "text/csv"),
    (xlsx_upload(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (png_upload("photo.png"), "image/png"),
    (SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n..."), "application/pdf"),
    (SimpleUploadedFile("tableau.ods", zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                                                  "content.xml": "<x/>"})), "application/vnd.oasis.opendocument.spreadsheet"),
    (SimpleUploadedFile("macro.bas", b"Sub Lettres()\nEnd Sub\n"), "text/plain"),
    (SimpleUploadedFile("kit.zip", zip_bytes({"affiche.pdf": b"%PDF-1.4", "lisez-moi.txt": "ok"})), "application/zip"),
])
def test_good_files_pass_with_their_type(upload, mime):
    assert check_attachment(upload).mime_type == mime


def test_a_file_over_the_limit_is_refused(settings):
    settings.BRICOLAGES_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="trop lourd"):
        check_attachment(SimpleUploadedFile("gros.csv", b"a;b\n" * 300))
    assert check_attachment(SimpleUploadedFile("petit.csv", b"a;b\n" * 10)).size == 40


def test_a_dangerous_name_is_cleaned():
    assert check_attachment(SimpleUploadedFile("../../etc/modele.csv", b"a;b\n")).name == "modele.csv"


def test_a_refused_file_changes_nothing(queue_tool, agent20):
    data = BricolageInput.from_page(queue_tool, title="Nouveau titre",
                                    add_attachments=[SimpleUploadedFile("virus.exe", b"MZ\x90\x00")])
    with pytest.raises(ValidationError) as error:
        services.bricolage_update(user=agent20, bricolage=queue_tool, data=data, change_note="Ajout d'un fichier")
    assert "attachments" in error.value.message_dict
    page = BricolagePage.objects.get(pk=queue_tool.pk)
    assert page.title == "Tableur de file d'attente" and page.revisions.count() == 1
    assert BricolageAttachment.objects.count() == 1


def test_files_are_private_and_versioned(queue_tool, agent20, settings):
    attachment = queue_tool.attachments.get()
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    first = queue_tool.live_revision
    data = BricolageInput.from_page(queue_tool, remove_attachments=[attachment.pk], add_attachments=[xlsx_upload()])
    updated = services.bricolage_update(user=agent20, bricolage=queue_tool, data=data, change_note="Format xlsx")
    assert [a.title for a in updated.attachments.all()] == ["modele.xlsx"]
    restored = services.bricolage_restore(user=agent20, bricolage=updated, revision=first)
    assert [a.title for a in restored.attachments.all()] == ["modele.csv"]
    response = client_as(agent20).get(reverse("bricolages:attachment", args=[queue_tool.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"heure;guichet")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_of_another_bricolage_is_not_served_through_this_one(queue_tool, agent20):
    other = bricolage(agent20)
    url = reverse("bricolages:attachment", args=[other.pk, queue_tool.attachments.get().pk])
    assert client_as(agent20).get(url).status_code == 404


def test_step_pictures_are_served_to_agents_only(queue_tool, agent20, resident19):
    image = queue_tool.step_list[0]["image"]
    url = reverse("bricolages:image", args=[image.pk, "etape"])
    response = client_as(agent20).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client_as(resident19).get(url).status_code == 403
    assert client_as(agent20).get(reverse("bricolages:image", args=[image.pk, "geante"])).status_code == 404
    assert image.collection.name == "Bricolages"
