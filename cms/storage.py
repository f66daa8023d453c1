"""Where uploaded files live on disk, and who may reach them.

- `MEDIA_ROOT` (public): served by nginx at `MEDIA_URL` in production, by Django only under DEBUG.
- `PRIVATE_MEDIA_ROOT` (private): no web server exposes it; its files are sent only by Django views
  that check permissions first (complaint scans, bricolage attachments, Wagtail images). Files are
  owner-only, 0600 in 0700 folders, so that another account on the machine cannot read them either.

Wagtail keeps every image's original under `original_images/` and its renditions under `images/` of
the default storage; `MediaStorage` (the default storage) sends those two folders to `ImageStorage`,
under `PRIVATE_MEDIA_ROOT/images/`, served by `cms.views.image_file` only to those who may see what
the picture illustrates (`cms.images.user_can_view_image`). Wagtail offers no setting for the
originals' storage short of a custom image model, whose migration would touch every app's image
references; routing its two folders keeps `wagtailimages.Image`.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
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


@deconstructible
class MediaStorage(Storage):
    """The default storage: the public MEDIA_ROOT, except Wagtail's image folders (`ImageStorage`).
    Every file operation goes to the storage holding that file (the methods set below the class)."""

    def __init__(self):
        self.public = FileSystemStorage()
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
