"""Checks on attached files: size, and type decided by the content, never by the name alone.

Accepted: documents (PDF, OpenDocument, Office Open XML), spreadsheets and plain text (CSV, TXT,
Markdown, macro source .bas), images, and ZIP archives whose members pass the same test.
Refused: executables and scripts whatever their name (PE "MZ", ELF, Mach-O, "#!" scripts),
macro-enabled Office files, anything whose content does not match its extension.
"""

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cms.uploads import check_archive

from . import conf

EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE (.exe, .dll, .scr)
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # shell, Python... scripts
)
EXECUTABLE_EXTENSIONS = {
    "exe", "dll", "com", "bat", "cmd", "msi", "scr", "pif", "cpl", "jar", "js", "jse", "vbs", "vbe", "wsf", "wsh",
    "ps1", "psm1", "sh", "bash", "py", "pl", "rb", "php", "apk", "app", "dmg", "deb", "rpm", "elf", "bin", "run",
    "lnk", "hta", "reg", "docm", "xlsm", "pptm", "dotm", "xltm", "xlam", "svg", "html", "htm",
}
ZIP_MAGIC = b"PK\x03\x04"
OPENDOCUMENT = {"odt": "application/vnd.oasis.opendocument.text",
                "ods": "application/vnd.oasis.opendocument.spreadsheet",
                "odp": "application/vnd.oasis.opendocument.presentation",
                "odg": "application/vnd.oasis.opendocument.graphics"}
OFFICE_XML = {"docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
              "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              "pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation")}
TEXT = {"csv": "text/csv", "txt": "text/plain", "md": "text/markdown", "bas": "text/plain"}
IMAGES = {"png": (b"\x89PNG\r\n\x1a\n", "image/png"), "jpg": (b"\xff\xd8\xff", "image/jpeg"),
          "jpeg": (b"\xff\xd8\xff", "image/jpeg"), "gif": (b"GIF8", "image/gif")}
ALLOWED_EXTENSIONS = sorted({"pdf", "zip", *OPENDOCUMENT, *OFFICE_XML, *TEXT, *IMAGES})
MAX_ZIP_MEMBERS = 500


@dataclass
class CheckedFile:
    name: str
    size: int
    mime_type: str


def _extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _refuse(message):
    raise ValidationError(message, code="invalid_attachment")


def _looks_executable(head: bytes) -> bool:
    return any(head.startswith(magic) for magic in EXECUTABLE_MAGIC)


def _check_zip(data: bytes, ext: str, name: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse(_("« %(name)s » n'est pas un fichier %(ext)s valide.") % {"name": name, "ext": ext.upper()})
    if len(members) > MAX_ZIP_MEMBERS:
        _refuse(_("L'archive « %(name)s » contient trop de fichiers.") % {"name": name})
    names = {member.filename for member in members}
    mime = "application/zip"
    if ext in OPENDOCUMENT:
        if "mimetype" not in names or archive.read("mimetype").decode("ascii", "replace").strip() != OPENDOCUMENT[ext]:
            _refuse(_("« %(name)s » n'est pas un document %(ext)s valide.") % {"name": name, "ext": ext.upper()})
        mime = OPENDOCUMENT[ext]
    elif ext in OFFICE_XML:
        folder, mime = OFFICE_XML[ext]
        if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
            _refuse(_("« %(name)s » n'est pas un document %(ext)s valide.") % {"name": name, "ext": ext.upper()})
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            _refuse(_("« %(name)s » contient des macros : joignez plutôt leur code dans un fichier .bas ou .txt.")
                    % {"name": name})
    # What it holds, at every depth: the platform's one archive check.
    check_archive(data, name=name)
    return mime


def _check_text(data: bytes, ext: str, name: str) -> str:
    if b"\x00" in data:
        _refuse(_("« %(name)s » n'est pas un fichier texte.") % {"name": name})
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            _refuse(_("« %(name)s » n'est pas un fichier texte lisible.") % {"name": name})
    return TEXT[ext]


def _safe_name(uploaded) -> str:
    raw_name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    try:
        name = get_valid_filename(raw_name)[:150]
    except Exception:  # noqa: BLE001 - SuspiciousFileOperation on an empty or dotted name
        name = ""
    if not name:
        _refuse(_("Le fichier n'a pas de nom valide."))
    return name


def _read_within_limit(uploaded, name) -> bytes:
    size = getattr(uploaded, "size", None)
    limit = conf.attachment_max_bytes()
    if size is None or size > limit:
        _refuse(_("« %(name)s » est trop lourd (%(size)s) : %(limit)s au plus.")
                % {"name": name, "size": filesizeformat(size or 0), "limit": filesizeformat(limit)})
    if size == 0:
        _refuse(_("« %(name)s » est vide.") % {"name": name})
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    uploaded.seek(0)
    if len(data) > limit:
        _refuse(_("« %(name)s » est trop lourd : %(limit)s au plus.") % {"name": name, "limit": filesizeformat(limit)})
    return data


def _mime_type(data: bytes, ext: str, name: str) -> str:
    if ext == "pdf":
        if not data.startswith(b"%PDF-"):
            _refuse(_("« %(name)s » n'est pas un PDF valide.") % {"name": name})
        return "application/pdf"
    if ext in IMAGES:
        magic, mime = IMAGES[ext]
        if not data.startswith(magic):
            _refuse(_("« %(name)s » n'est pas une image %(ext)s valide.") % {"name": name, "ext": ext.upper()})
        return mime
    if ext in TEXT:
        return _check_text(data, ext, name)
    # zip, OpenDocument, Office Open XML
    if not data.startswith(ZIP_MAGIC):
        _refuse(_("« %(name)s » n'est pas un fichier %(ext)s valide.") % {"name": name, "ext": ext.upper()})
    return _check_zip(data, ext, name)


def check_attachment(uploaded) -> CheckedFile:
    """Return the file's safe name, size and type, or raise ValidationError (nothing is stored)."""
    name = _safe_name(uploaded)
    data = _read_within_limit(uploaded, name)
    ext = _extension(name)
    if _looks_executable(data[:4]) or ext in EXECUTABLE_EXTENSIONS:
        _refuse(_("« %(name)s » est un programme ou un script : les fichiers exécutables sont refusés.")
                % {"name": name})
    if ext not in ALLOWED_EXTENSIONS:
        _refuse(_("Le type de « %(name)s » n'est pas accepté. Types acceptés : %(types)s.")
                % {"name": name, "types": ", ".join(ALLOWED_EXTENSIONS)})
    return CheckedFile(name=name, size=len(data), mime_type=_mime_type(data, ext, name))
