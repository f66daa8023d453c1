"""Uploaded files: checked by their content (magic bytes), never by the name alone, and by size;
served back with the content type the check found, `nosniff`, and as an attachment unless they
are an image or a PDF.

    from cms.uploads import UploadValidator, serve_checked_file

    scan = forms.FileField(validators=[UploadValidator(kinds=("pdf", "image"), max_size=8 * 1024 * 1024)])
    kind = check_upload(upload, kinds=("image",))      # -> DetectedType(kind, mime_type, extension)
    return serve_checked_file(request, stored_file, filename="scan.pdf")   # a permission-checked view

Wagtail documents use `cms.upload_forms.CheckedDocumentForm` (settings.WAGTAILDOCS_DOCUMENT_FORM_BASE).
Kinds: "image" (PNG, JPEG, GIF, WebP), "pdf", "office" (OpenDocument, Office Open XML without
macros), "text" (UTF-8 text with no control characters: CSV, TXT), "zip".
Always refused: executables and scripts (PE, ELF, Mach-O, Java classes, "#!"), HTML and SVG
(script carriers), legacy OLE Office files (macro carriers).
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

DEFAULT_MAX_SIZE = 10 * 1024 * 1024
HEAD = 4096

EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE
    b"\x7fELF",
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: .doc/.xls with macros, .msi
)
MARKUP_MARKERS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OFFICE_XML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}
KIND_LABELS = {
    "image": "image (PNG, JPEG, GIF, WebP)",
    "pdf": "PDF",
    "office": "document bureautique (ODT, ODS, ODP, DOCX, XLSX, PPTX)",
    "text": "texte (TXT, CSV)",
    "zip": "archive ZIP",
}


@dataclass(frozen=True)
class DetectedType:
    kind: str
    mime_type: str
    extension: str


def _read(upload) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    data = upload.read()
    upload.seek(position)
    return data


def _image(head: bytes) -> DetectedType | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return DetectedType("image", "image/png", "png")
    if head.startswith(b"\xff\xd8\xff"):
        return DetectedType("image", "image/jpeg", "jpg")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return DetectedType("image", "image/gif", "gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return DetectedType("image", "image/webp", "webp")
    return None


def _zip(data: bytes) -> DetectedType | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "mimetype" in names:
        mime = archive.read("mimetype").decode("ascii", "replace").strip()
        if mime in OPENDOCUMENT:
            return DetectedType("office", mime, OPENDOCUMENT[mime])
    if "[Content_Types].xml" in names:
        content_types = archive.read("[Content_Types].xml").lower()
        if b"macroenabled" in content_types or any(n.lower().endswith("vbaproject.bin") for n in names):
            return DetectedType("macro", "application/octet-stream", "bin")
        for folder, (ext, mime) in OFFICE_XML.items():
            if any(n.startswith(folder) for n in names):
                return DetectedType("office", mime, ext)
    return DetectedType("zip", "application/zip", "zip")


def _text(data: bytes) -> DetectedType | None:
    sample = data[:HEAD].lower()
    if any(marker in sample for marker in MARKUP_MARKERS):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text[:HEAD]):
        return None
    return DetectedType("text", "text/plain", "txt")


def detect(data: bytes) -> DetectedType | None:
    """What the bytes are, or None if nothing we accept (or something we always refuse)."""
    head = data[:HEAD]
    if any(head.startswith(magic) for magic in EXECUTABLE_MAGIC):
        return DetectedType("executable", "application/octet-stream", "bin")
    found = _image(head)
    if found:
        return found
    if head.startswith(b"%PDF-"):
        return DetectedType("pdf", "application/pdf", "pdf")
    if head.startswith(b"PK\x03\x04"):
        return _zip(data)
    return _text(data)


def check_upload(upload, *, kinds=("image", "pdf", "office"), max_size: int | None = None) -> DetectedType:
    """Validate an uploaded file (Django UploadedFile or any file object); return its real type.
    Raises ValidationError with a French message."""
    max_size = max_size or getattr(settings, "UPLOAD_MAX_SIZE", DEFAULT_MAX_SIZE)
    size = getattr(upload, "size", None)
    if size is None:
        size = len(_read(upload))
    if size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty_file")
    if size > max_size:
        raise ValidationError(_("Le fichier est trop lourd (%(size)s) : %(max)s au maximum.")
                              % {"size": filesizeformat(size), "max": filesizeformat(max_size)}, code="file_too_large")
    found = detect(_read(upload))
    if found is not None and found.kind in ("executable", "macro"):
        raise ValidationError(_("Ce type de fichier est refusé (programme, script ou document à macros)."),
                              code="dangerous_file")
    if found is None or found.kind not in kinds:
        accepted = ", ".join(KIND_LABELS.get(k, k) for k in kinds)
        raise ValidationError(_("Le contenu de ce fichier ne correspond pas à un format accepté : %(accepted)s.")
                              % {"accepted": accepted}, code="invalid_file_type")
    return found


@deconstructible
class UploadValidator:
    """A field validator: UploadValidator(kinds=("image", "pdf"), max_size=5 * 1024 * 1024)."""

    def __init__(self, kinds=("image", "pdf", "office"), max_size=None):
        self.kinds = tuple(kinds)
        self.max_size = max_size

    def __call__(self, upload):
        check_upload(upload, kinds=self.kinds, max_size=self.max_size)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.kinds, self.max_size) == (other.kinds, other.max_size)


def serve_checked_file(request, stored_file, *, filename: str, inline: bool | None = None) -> FileResponse:
    """Serve a stored file (after the caller checked permissions) with the content type its bytes
    say, `nosniff`, a sandboxing CSP, and as an attachment unless it is an image or a PDF."""
    stored_file.open("rb")
    head = stored_file.read(HEAD)
    stored_file.seek(0)
    found = detect(head if not head.startswith(b"PK") else stored_file.read())
    stored_file.seek(0)
    mime = found.mime_type if found and found.kind not in ("executable", "macro") else "application/octet-stream"
    as_inline = (mime in INLINE_TYPES) if inline is None else (inline and mime in INLINE_TYPES)
    response = FileResponse(stored_file, content_type=mime, as_attachment=not as_inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
