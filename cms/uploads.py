"""Uploaded files: the platform's one upload checker. Files are judged by their content (magic
bytes), never by the name alone, and by size; served back with the content type the check found,
`nosniff`, and as an attachment unless they are an image or a PDF.

    from cms.uploads import UploadValidator, serve_checked_file

    scan = forms.FileField(validators=[UploadValidator(kinds=("pdf", "image"), max_size=8 * 1024 * 1024)])
    kind = check_upload(upload, kinds=("image",))      # -> DetectedType(kind, mime_type, extension)
    return serve_checked_file(request, stored_file, filename="scan.pdf")   # a permission-checked view

Used by Wagtail documents (`cms.upload_forms.CheckedDocumentForm`, settings.WAGTAILDOCS_DOCUMENT_FORM_BASE),
the Service lab's scans (`image_formats`: pictures Pillow opens and verifies) and the Bricolages'
attachments (`extensions`: the name's extension must be one accepted, and say what the content is)
and step pictures. Kinds: "image" (PNG, JPEG, GIF, WebP), "pdf", "office" (OpenDocument, Office
Open XML without macros), "text" (UTF-8 or Windows-1252 text with no control characters: CSV, TXT),
"zip".
Always refused: executables and scripts (PE, ELF, Mach-O, Java classes, "#!"), HTML and SVG
(script carriers), legacy OLE Office files (macro carriers), Windows shortcuts (.lnk, .url) and
compiled help (.chm).

Archives (ZIP, and the ZIP inside every Office or OpenDocument file) are opened and checked at
every depth, within bounds (`check_archive`): a member that is an executable, a script, a shortcut,
a .chm or another plain archive is refused, whatever its name; an Office document inside is opened
in turn, down to ARCHIVE_MAX_DEPTH; too many members or too many unpacked bytes (a ZIP bomb) are
refused, as are encrypted members (they cannot be read, hence not checked).
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
    b"L\x00\x00\x00\x01\x14\x02\x00",  # Windows shortcut (.lnk)
    b"ITSF",  # compiled HTML help (.chm)
)
SHORTCUT_MARKERS = (b"[internetshortcut]", b"[shell]")  # .url, .scf: text that opens a link or runs a command
# Archives other than ZIP: never accepted, never looked into.
OTHER_ARCHIVE_MAGIC = (b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"MSCF",
                       b"\x28\xb5\x2f\xfd", b"xar!")
# Refused inside an archive by their name alone (the bytes are checked too).
DANGEROUS_EXTENSIONS = {
    "exe", "dll", "com", "bat", "cmd", "msi", "msp", "scr", "pif", "cpl", "jar", "js", "jse", "vbs", "vbe", "wsf",
    "wsh", "ps1", "psm1", "sh", "bash", "py", "pl", "rb", "php", "apk", "app", "dmg", "deb", "rpm", "elf", "run",
    "lnk", "url", "scf", "chm", "hlp", "hta", "reg", "inf", "msc", "gadget", "application", "appref-ms", "iso",
    "img", "vhd", "vhdx", "docm", "xlsm", "pptm", "dotm", "xltm", "xlam", "ppam", "potm", "svg", "html", "htm",
    "xhtml", "mht", "mhtml",
}
ARCHIVE_EXTENSIONS = {"zip", "7z", "rar", "tar", "gz", "tgz", "bz2", "tbz2", "xz", "txz", "zst", "cab", "arj", "lzh",
                      "lz", "lzma", "z", "war", "ear", "xar", "cpio"}
ARCHIVE_MAX_DEPTH = 3  # an Office file in a ZIP in an Office file...: deeper is refused
ARCHIVE_MAX_MEMBERS = 2000  # in all, at every depth
ARCHIVE_MAX_UNPACKED = 100 * 1024 * 1024  # bytes unpacked in all, at every depth
MARKUP_MARKERS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.graphics": "odg",
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
# What a file name's extension promises, for the checks given `extensions`: (kind, MIME type).
# Images and office files must be of that very format; text gets the extension's MIME type.
EXTENSIONS = {
    "pdf": ("pdf", "application/pdf"),
    "png": ("image", "image/png"), "jpg": ("image", "image/jpeg"), "jpeg": ("image", "image/jpeg"),
    "gif": ("image", "image/gif"), "webp": ("image", "image/webp"),
    **{ext: ("office", mime) for mime, ext in OPENDOCUMENT.items()},
    **{ext: ("office", mime) for ext, mime in OFFICE_XML.values()},
    "csv": ("text", "text/csv"), "txt": ("text", "text/plain"), "md": ("text", "text/markdown"),
    "bas": ("text", "text/plain"),  # macro source, shared as text
    "zip": ("zip", "application/zip"),
}
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


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
        try:
            text = data.decode("cp1252")  # a spreadsheet's CSV export on Windows
        except UnicodeDecodeError:
            return None
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text[:HEAD]):
        return None
    return DetectedType("text", "text/plain", "txt")


def detect(data: bytes) -> DetectedType | None:
    """What the bytes are, or None if nothing we accept (or something we always refuse)."""
    head = data[:HEAD]
    if any(head.startswith(magic) for magic in EXECUTABLE_MAGIC) or head.lstrip().lower().startswith(
            SHORTCUT_MARKERS):
        return DetectedType("executable", "application/octet-stream", "bin")
    if any(head.startswith(magic) for magic in OTHER_ARCHIVE_MAGIC) or head[257:262] == b"ustar":
        return DetectedType("archive", "application/octet-stream", "bin")
    found = _image(head)
    if found:
        return found
    if head.startswith(b"%PDF-"):
        return DetectedType("pdf", "application/pdf", "pdf")
    if head.startswith(b"PK\x03\x04"):
        return _zip(data)
    return _text(data)


def _name(upload, name):
    name = name or (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name or _("fichier sans nom")


def _check_size(upload, name, max_size):
    size = getattr(upload, "size", None)
    if size is None:
        size = len(_read(upload))
    if size == 0:
        raise ValidationError(_("« %(name)s » est vide.") % {"name": name}, code="empty_file")
    if size > max_size:
        raise ValidationError(_("« %(name)s » est trop lourd (%(size)s) : il dépasse le maximum de %(max)s.")
                              % {"name": name, "size": filesizeformat(size), "max": filesizeformat(max_size)},
                              code="file_too_large")


def _refuse_dangerous(name):
    raise ValidationError(_("« %(name)s » est un programme, un script, un raccourci ou un document à macros : "
                            "les fichiers exécutables sont refusés.") % {"name": name}, code="dangerous_file")


def _accepted_extension(name, extensions):
    extension = _extension(name)
    if extension not in extensions:
        raise ValidationError(_("Le type de « %(name)s » n'est pas accepté. Types acceptés : %(types)s.")
                              % {"name": name, "types": ", ".join(sorted(extensions))}, code="invalid_file_type")
    return extension


def _mismatch(name, extension):
    """The content is not what the name's extension says."""
    kind = EXTENSIONS[extension][0]
    values = {"name": name, "ext": extension.upper()}
    if kind == "pdf":
        message = _("« %(name)s » n'est pas un PDF valide.") % values
    elif kind == "image":
        message = _("« %(name)s » n'est pas une image %(ext)s valide.") % values
    elif kind == "text":
        message = _("« %(name)s » n'est pas un fichier texte.") % values
    else:
        message = _("« %(name)s » n'est pas un fichier %(ext)s valide.") % values
    return ValidationError(message, code="invalid_file_type")


def _agrees(found, extension):
    kind, mime = EXTENSIONS[extension]
    return found is not None and found.kind == kind and (kind in ("pdf", "text", "zip") or found.mime_type == mime)


def _verify_image(data, name, image_formats, accepted):
    """The picture opens and verifies with Pillow, in one of `image_formats`."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_("« %(name)s » n'est pas une image lisible (formats acceptés : %(accepted)s).")
                              % {"name": name, "accepted": accepted}, code="invalid_file_type") from exc
    if found not in image_formats:
        raise ValidationError(_("« %(name)s » ne correspond pas à un format accepté : %(accepted)s.")
                              % {"name": name, "accepted": accepted}, code="invalid_file_type")
    return DetectedType("image", IMAGE_FORMATS[found], "jpg" if found == "JPEG" else found.lower())


def check_upload(upload, *, kinds=("image", "pdf", "office"), max_size: int | None = None,
                 extensions=None, image_formats=None, max_members: int | None = None,
                 name: str = "") -> DetectedType:
    """Validate an uploaded file (Django UploadedFile or any file object); return its real type.
    Raises ValidationError with a French message naming the file (`name`, or the upload's own).

    `extensions`: the accepted extensions of the file's name (keys of EXTENSIONS); the content must
    be what its extension says, and the MIME type returned is the extension's. `image_formats`:
    Pillow's names of the accepted pictures ("JPEG", "PNG"...); an image must open and verify.
    `max_members`: the most members an archive may hold, at every depth (ARCHIVE_MAX_MEMBERS)."""
    name = _name(upload, name)
    _check_size(upload, name, max_size or getattr(settings, "UPLOAD_MAX_SIZE", DEFAULT_MAX_SIZE))
    if extensions is not None and _extension(name) in DANGEROUS_EXTENSIONS:
        _refuse_dangerous(name)
    data = _read(upload)
    found = detect(data)
    if found is not None and found.kind == "executable":
        _refuse_dangerous(name)
    if found is not None and found.kind == "macro":
        raise ValidationError(_("« %(name)s » contient des macros : les documents à macros sont refusés (joignez "
                                "plutôt leur code dans un fichier .bas ou .txt).") % {"name": name},
                              code="dangerous_file")
    extension = _accepted_extension(name, extensions) if extensions is not None else None
    accepted = ", ".join(
        f"image ({', '.join(sorted(image_formats))})" if k == "image" and image_formats else KIND_LABELS.get(k, k)
        for k in kinds)
    if extension is not None and not _agrees(found, extension):
        raise _mismatch(name, extension)
    if found is None or found.kind not in kinds:
        raise ValidationError(_("« %(name)s » ne correspond pas à un format accepté : %(accepted)s.")
                              % {"name": name, "accepted": accepted}, code="invalid_file_type")
    if found.kind == "image" and image_formats:
        found = _verify_image(data, name, image_formats, accepted)
    if found.kind in ("zip", "office"):
        check_archive(data, name=name, max_members=max_members)
    if extension is not None:
        found = DetectedType(found.kind, EXTENSIONS[extension][1], extension)
    return found


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""


def _refuse_member(name, member, message, code="dangerous_archive"):
    raise ValidationError(message % {"name": name or _("l'archive"), "member": member}, code=code)


def check_archive(data: bytes, *, name: str = "", max_members: int | None = None) -> None:
    """Open a ZIP (or an Office/OpenDocument file) and check what it holds, at every depth, within
    bounds (`max_members`, default ARCHIVE_MAX_MEMBERS; ARCHIVE_MAX_UNPACKED); raise ValidationError
    with a French message naming the refused member."""
    budget = {"members": max_members or ARCHIVE_MAX_MEMBERS, "bytes": ARCHIVE_MAX_UNPACKED}
    _walk_archive(data, name=name.rsplit("/", 1)[-1], depth=1, budget=budget)


def _walk_archive(data, *, name, depth, budget):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        _refuse_member(name, "", _("« %(name)s » est une archive illisible."), code="invalid_archive")
    for member in members:
        if member.is_dir():
            continue
        _check_member(archive, member, name=name, depth=depth, budget=budget)


def _check_member(archive, member, *, name, depth, budget):
    label = member.filename
    budget["members"] -= 1
    budget["bytes"] -= member.file_size
    if budget["members"] < 0 or budget["bytes"] < 0:
        _refuse_member(name, label, _("« %(name)s » contient trop de fichiers, ou trop volumineux une fois "
                                      "décompressés."), code="archive_too_large")
    if member.flag_bits & 0x1:
        _refuse_member(name, label, _("« %(name)s » contient un fichier chiffré (%(member)s) : il ne peut pas "
                                      "être vérifié."), code="encrypted_archive")
    extension = _extension(label)
    if extension in DANGEROUS_EXTENSIONS:
        _refuse_member(name, label, _("« %(name)s » contient un programme, un script ou un raccourci "
                                      "(%(member)s) : refusé."))
    if extension in ARCHIVE_EXTENSIONS:
        _refuse_member(name, label, _("« %(name)s » contient une autre archive (%(member)s) : envoyez les "
                                      "fichiers eux-mêmes."))
    try:
        with archive.open(member) as handle:
            content = handle.read(member.file_size + 1)
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, RuntimeError):
        _refuse_member(name, label, _("« %(name)s » contient un fichier illisible (%(member)s)."),
                       code="invalid_archive")
    found = detect(content)
    kind = found.kind if found else None
    if kind in ("executable", "macro"):
        _refuse_member(name, label, _("« %(name)s » contient un programme, un script ou un raccourci "
                                      "(%(member)s) : refusé."))
    if kind in ("zip", "archive"):
        _refuse_member(name, label, _("« %(name)s » contient une autre archive (%(member)s) : envoyez les "
                                      "fichiers eux-mêmes."))
    if kind == "office":
        if depth >= ARCHIVE_MAX_DEPTH:
            _refuse_member(name, label, _("« %(name)s » contient des fichiers imbriqués trop profondément "
                                          "(%(member)s)."), code="archive_too_deep")
        _walk_archive(content, name=name, depth=depth + 1, budget=budget)


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
