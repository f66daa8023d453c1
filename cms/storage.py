"""Where uploaded files live, and who may reach them.

- `MEDIA_ROOT` (public): served by nginx at `MEDIA_URL` in production, by Django only under DEBUG;
  or, when AWS_STORAGE_BUCKET_NAME is set, an S3-compatible store that serves them itself (cms/s3.py).
- `PRIVATE_MEDIA_ROOT` (private): no web server exposes it; its files are sent only by Django views
  that check permissions first (complaint scans, bricolage attachments, Wagtail images). Files are
  owner-only, 0600 in 0700 folders, so that another account on the machine cannot read them either.
  With PRIVATE_MEDIA_ACCEL_PREFIX set, `PrivateFileAccelMiddleware` hands the sending to nginx
  (`X-Accel-Redirect` to an `internal` location) once the view has checked permissions.

Wagtail keeps every image's original under `original_images/` and its renditions under `images/` of
the default storage; `MediaStorage` (the default storage) sends those two folders to `ImageStorage`,
under `PRIVATE_MEDIA_ROOT/images/`, served by `cms.views.image_file` only to those who may see what
the picture illustrates (`cms.images.user_can_view_image`). Wagtail offers no setting for the
originals' storage short of a custom image model, whose migration would touch every app's image
references; routing its two folders keeps `wagtailimages.Image`.
"""

import os
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.deconstruct import deconstructible

PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
IMAGE_FOLDERS = ("original_images/", "images/")


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT (read at each use), owner-only, with no URL."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def file_permissions_mode(self):
        return PRIVATE_FILE_MODE

    @property
    def directory_permissions_mode(self):
        return PRIVATE_FOLDER_MODE

    def url(self, name):
        raise ValueError("Private files have no public URL.")


class ImageStorage(PrivateStorage):
    """Wagtail images' originals and renditions, under PRIVATE_MEDIA_ROOT/images/; their URL is the
    permission-checked view's."""

    @property
    def base_location(self):
        return os.path.join(str(settings.PRIVATE_MEDIA_ROOT), "images")

    def url(self, name):
        return reverse("image-file", args=[name])


def public_storage() -> Storage:
    """Where public media live: MEDIA_ROOT, or the S3-compatible store when AWS_STORAGE_BUCKET_NAME is set."""
    if not settings.AWS_STORAGE_BUCKET_NAME:
        return FileSystemStorage()
    from cms.s3 import PublicS3Storage  # boto3 is imported only by deployments that use it

    return PublicS3Storage()


@deconstructible
class MediaStorage(Storage):
    """The default storage: the public MEDIA_ROOT, except Wagtail's image folders (`ImageStorage`).
    Every file operation goes to the storage holding that file (the methods set below the class)."""

    def __init__(self):
        self.public = public_storage()
        self.images = ImageStorage()

    def backend(self, name) -> Storage:
        return self.images if str(name).replace("\\", "/").startswith(IMAGE_FOLDERS) else self.public


def _to_backend(method):
    """MediaStorage's `method`: that of the storage holding the file (or folder) named first."""
    def delegated(self, name, *args, **kwargs):
        return getattr(self.backend(name), method)(name, *args, **kwargs)
    delegated.__name__ = delegated.__qualname__ = method
    return delegated


for _method in ("_open", "_save", "delete", "exists", "listdir", "path", "size", "url", "get_accessed_time",
                "get_created_time", "get_modified_time"):
    setattr(MediaStorage, _method, _to_backend(_method))


def _local_path(filelike) -> str | None:
    """The absolute path of a file a FileResponse streams, when it is on this machine's disk."""
    try:
        path = getattr(filelike, "path", None)  # a model's FieldFile
    except (NotImplementedError, ValueError):
        path = None
    if not isinstance(path, str):
        path = getattr(getattr(filelike, "file", filelike), "name", None)  # storage.open()'s File
    return path if isinstance(path, str) and os.path.isabs(path) else None


def private_relative_path(filelike) -> str | None:
    """The file's path inside PRIVATE_MEDIA_ROOT, or None when it is not a private file."""
    path = _local_path(filelike)
    if path is None:
        return None
    root = os.path.realpath(settings.PRIVATE_MEDIA_ROOT)
    real = os.path.realpath(path)
    if os.path.commonpath([root, real]) != root or real == root:
        return None
    return os.path.relpath(real, root).replace(os.sep, "/")


class PrivateFileAccelMiddleware:
    """With PRIVATE_MEDIA_ACCEL_PREFIX set (nginx in front), a private file that a view answers with
    (a FileResponse of a file under PRIVATE_MEDIA_ROOT, after its permission check) is sent by nginx:
    the response keeps its status and headers, loses its body and gains `X-Accel-Redirect:
    <prefix><path>`, which nginx maps to PRIVATE_MEDIA_ROOT in an `internal` location (deploy/nginx/).
    nginx keeps Content-Type, Content-Disposition and Cache-Control from this response and adds the
    file's own security headers itself (nosniff, sandboxing CSP). Without the setting, Django streams."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
        if not prefix or not isinstance(response, FileResponse):
            return response
        relative = private_relative_path(response.file_to_stream)
        if relative is None:
            return response
        accel = HttpResponse(status=response.status_code)
        for header, value in response.items():
            if header.lower() != "content-length":  # nginx sets the file's
                accel[header] = value
        accel["X-Accel-Redirect"] = f"/{prefix.strip('/')}/{quote(relative)}"
        response.file_to_stream.close()  # the file only: response.close() would end the request early
        return accel
