"""Uploaded files are judged by their content and size, never by their name alone, and served
back with a safe content type."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from cms.uploads import UploadValidator, check_upload, detect, serve_checked_file

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def office(kind="docx", macros=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        content_types = b"<Types>application/vnd.ms-word.document.macroEnabled.main+xml</Types>" if macros else b"<Types/>"
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr({"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind], b"<x/>")
    return buffer.getvalue()


def odt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(("data", "kind", "mime"), [
    (PNG, "image", "image/png"), (JPEG, "image", "image/jpeg"), (PDF, "pdf", "application/pdf"),
    (office(), "office", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (odt(), "office", "application/vnd.oasis.opendocument.text"),
    ("Nom;Rue\nAwa;Crimée\n".encode(), "text", "text/plain"),
])
def test_accepted_kinds_are_recognised_by_their_bytes(data, kind, mime):
    found = check_upload(upload("fichier.bin", data), kinds=("image", "pdf", "office", "text"))
    assert (found.kind, found.mime_type) == (kind, mime)


@pytest.mark.parametrize(("name", "data"), [
    ("photo.png", EXE), ("rapport.pdf", ELF), ("script.txt", b"#!/bin/sh\nrm -rf /\n"),
    ("lettre.docx", office(macros=True)), ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
])
def test_executables_scripts_and_macros_are_refused_whatever_their_name(name, data):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data), kinds=("image", "pdf", "office", "text"))
    assert caught.value.code == "dangerous_file"


@pytest.mark.parametrize(("name", "data"), [
    ("page.png", b"<html><script>alert(1)</script></html>"),
    ("dessin.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("photo.jpg", PDF),
])
def test_content_that_does_not_match_an_accepted_kind_is_refused(name, data):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data), kinds=("image",))
    assert caught.value.code == "invalid_file_type"
    assert "image" in caught.value.messages[0]


def test_size_is_limited_and_empty_files_refused():
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("grand.png", PNG + b"\x00" * 2048), kinds=("image",), max_size=1024)
    assert caught.value.code == "file_too_large"
    assert "trop lourd" in caught.value.messages[0] and "1,0" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("vide.pdf", b""), kinds=("pdf",))
    assert caught.value.code == "empty_file"


def test_the_validator_works_on_a_form_field():
    from django import forms

    class Form(forms.Form):
        scan = forms.FileField(validators=[UploadValidator(kinds=("pdf", "image"), max_size=1024 * 1024)])

    assert Form(files={"scan": upload("scan.pdf", PDF)}).is_valid()
    form = Form(files={"scan": upload("scan.pdf", EXE)})
    assert not form.is_valid()
    assert "refusé" in form.errors["scan"][0]


def test_the_check_leaves_the_file_ready_to_be_saved():
    file = upload("photo.png", PNG)
    file.read(3)
    check_upload(file, kinds=("image",))
    assert file.tell() == 3


def test_stored_files_are_served_with_the_type_their_bytes_say(tmp_path):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("piege.pdf", ContentFile(b"<html><script>alert(1)</script></html>"))
    response = serve_checked_file(RequestFactory().get("/"), storage.open(name), filename="piege.pdf")
    assert response["Content-Type"] == "application/octet-stream"  # HTML is never served as HTML
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    response.file_to_stream.close()
    name = storage.save("scan.pdf", ContentFile(PDF))
    response = serve_checked_file(RequestFactory().get("/"), storage.open(name), filename="scan.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    response.file_to_stream.close()


def test_detect_says_nothing_for_binary_junk():
    assert detect(b"\x00\x01\x02garbage") is None


def test_wagtail_documents_are_checked_by_content(db):
    from wagtail.documents import get_document_model
    from wagtail.documents.forms import get_document_form
    from wagtail.models import Collection

    form_class = get_document_form(get_document_model())
    assert "CheckedDocumentForm" in [k.__name__ for k in form_class.__mro__]
    root = Collection.get_first_root_node().pk
    fake = form_class(data={"title": "Compte rendu", "collection": root},
                      files={"file": upload("compte-rendu.pdf", EXE)})
    assert not fake.is_valid()
    assert "refusé" in fake.errors["file"][0]
    real = form_class(data={"title": "Compte rendu", "collection": root},
                      files={"file": upload("compte-rendu.pdf", PDF)})
    assert real.is_valid(), real.errors
