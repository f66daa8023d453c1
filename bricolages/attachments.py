"""Attached files: a safe name, then the platform's upload checker (cms.uploads.check_upload) with
the Bricolages' list of accepted extensions, each of which must say what the content is.

Accepted: documents (PDF, OpenDocument, Office Open XML), spreadsheets and plain text (CSV, TXT,
Markdown, macro source .bas), images, and ZIP archives whose members pass the same test.
Refused: executables and scripts whatever their name, macro-enabled Office files, anything whose
content does not match its extension.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cms.uploads import check_upload

from . import conf

# Files shared as templates, by extension (cms.uploads.EXTENSIONS says what each must hold).
ALLOWED_EXTENSIONS = sorted({"pdf", "zip", "odt", "ods", "odp", "odg", "docx", "xlsx", "pptx", "csv", "txt", "md",
                             "bas", "png", "jpg", "jpeg", "gif"})
KINDS = ("pdf", "office", "text", "image", "zip")
MAX_ZIP_MEMBERS = 500


@dataclass
class CheckedFile:
    name: str
    size: int
    mime_type: str


def _safe_name(uploaded) -> str:
    raw_name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    try:
        name = get_valid_filename(raw_name)[:150]
    except Exception:  # noqa: BLE001 - SuspiciousFileOperation on an empty or dotted name
        name = ""
    if not name:
        raise ValidationError(_("Le fichier n'a pas de nom valide."), code="invalid_file_type")
    return name


def check_attachment(uploaded) -> CheckedFile:
    """Return the file's safe name, size and type, or raise ValidationError (nothing is stored)."""
    name = _safe_name(uploaded)
    found = check_upload(uploaded, kinds=KINDS, max_size=conf.attachment_max_bytes(), extensions=ALLOWED_EXTENSIONS,
                         max_members=MAX_ZIP_MEMBERS, name=name)
    return CheckedFile(name=name, size=uploaded.size, mime_type=found.mime_type)
