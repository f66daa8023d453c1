"""Archives are opened and checked at every depth, within bounds (cms.uploads.check_archive): an
archive holding another archive, an executable, a script, a .url or a .chm is refused, and so is a
ZIP bomb; an Office document inside is opened in turn. The Bricolages attachments use the same
check; a refused attachment leaves no file behind."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cms import uploads
from cms.uploads import check_upload

EXE = b"MZ\x90\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
URL = b"[InternetShortcut]\r\nURL=file://serveur/partage/piege.exe\r\n"
CHM = b"ITSF\x03\x00\x00\x00" + b"\x00" * 64
KINDS = ("image", "pdf", "office", "text", "zip")


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(extra=None):
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>", **(extra or {})})


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/zip")


def refused(name, data):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data), kinds=KINDS)
    return caught.value


@pytest.mark.parametrize(("label", "data"), [
    ("a ZIP in a ZIP carrying an .exe", zipped({"lisez-moi.txt": b"ok", "outils.zip": zipped({"setup.exe": EXE})})),
    ("a ZIP in a ZIP, renamed", zipped({"photos.jpg": zipped({"notes.txt": b"rien"})})),
    ("an executable renamed as a text", zipped({"notes.txt": EXE})),
    ("an executable by its name", zipped({"setup.exe": b"rien de binaire"})),
    ("a .url shortcut", zipped({"site de la mairie.url": URL})),
    ("a shortcut renamed", zipped({"adresse.txt": URL})),
    ("a .chm", zipped({"aide.chm": CHM})),
    ("a .chm renamed", zipped({"aide.pdf": CHM})),
    ("a gzip inside", zipped({"donnees.csv.gz": b"\x1f\x8b\x08\x00" + b"\x00" * 20})),
    ("a 7z renamed", zipped({"donnees.csv": b"7z\xbc\xaf\x27\x1c" + b"\x00" * 20})),
    ("an executable in a document in a ZIP", zipped({"rapport.docx": docx({"word/embeddings/x.bin": EXE})})),
    ("a document with macros in a ZIP", zipped({"budget.xlsx": zipped({"[Content_Types].xml": b"<x/>",
                                                                        "xl/workbook.xml": b"<w/>",
                                                                        "xl/vbaProject.bin": b"x"})})),
])
def test_an_archive_holding_what_we_refuse_is_refused_at_any_depth(label, data):
    error = refused("envoi.zip", data)
    assert error.code in ("dangerous_archive", "dangerous_file"), (label, error.code)
    assert "envoi.zip" in error.messages[0] or error.code == "dangerous_file"


def test_an_office_document_is_opened_too():
    error = refused("rapport.docx", docx({"word/embeddings/outil.exe": EXE}))
    assert error.code == "dangerous_archive" and "outil.exe" in error.messages[0]


def test_a_clean_archive_and_a_document_inside_one_pass():
    found = check_upload(upload("dossier.zip", zipped({"compte-rendu.pdf": PDF, "rapport.docx": docx(),
                                                       "notes/lisez-moi.txt": b"Bonjour"})), kinds=KINDS)
    assert found.kind == "zip"
    assert check_upload(upload("rapport.docx", docx()), kinds=KINDS).kind == "office"


def test_depth_is_bounded(monkeypatch):
    nested = docx()
    for _level in range(uploads.ARCHIVE_MAX_DEPTH):
        nested = docx({"word/embeddings/inclus.docx": nested})
    error = refused("profond.docx", nested)
    assert error.code == "archive_too_deep"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(uploads, "ARCHIVE_MAX_UNPACKED", 1024 * 1024)
    bomb = zipped({f"zeros-{i}.txt": b"0" * (600 * 1024) for i in range(2)})  # 1.2 MB unpacked, a few kB sent
    assert len(bomb) < 20 * 1024
    assert refused("bombe.zip", bomb).code == "archive_too_large"


def test_too_many_members_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ARCHIVE_MAX_MEMBERS", 10)
    assert refused("miettes.zip", zipped({f"{i}.txt": b"x" for i in range(11)})).code == "archive_too_large"


def test_a_top_level_shortcut_is_refused_even_where_text_is_accepted():
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("lien.txt", URL), kinds=("text",))
    assert caught.value.code == "dangerous_file"
