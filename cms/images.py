"""Pictures: as private as what they illustrate, and without what the camera wrote into them.

**Who sees a picture.** Every Wagtail image file is stored privately (`cms.storage.ImageStorage`)
and sent by one view, `cms.views.image_file`, which asks `user_can_view_image`. An app whose pictures
illustrate non-public things keeps them in its own collection and says who may see each one:

    register_private_collection("Bricolages", may_view=lambda user, image: ..., groups=(roles.AGENTS, ...))
    collection = private_collection("Bricolages")     # created with its view restriction if missing

Such a collection carries a Wagtail `CollectionViewRestriction` (for the groups given, or nobody but
superusers), so that Wagtail's own screens treat it as restricted; the public images API
(`/api/v2/images/`, `cms.api.wagtail`) lists only `public_images()`: images in no restricted
collection, the ones an anonymous visitor may see. Images of other collections are public unless an
editor restricted their collection (login or groups; a password restriction refuses everyone here).

**Metadata.** `strip_image_file` (pre_save of the image model, connected in `CmsConfig.ready`)
re-encodes every new original without EXIF (GPS position, camera make and model, dates), XMP, IPTC,
comments or text chunks, after turning it upright by its EXIF orientation; renditions are made from
that stripped original, so none carries them either.
"""

import io
import os
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import Q
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence, UnidentifiedImageError

ORIENTATION = 0x0112
# How each accepted format is written back (WAGTAILIMAGES_EXTENSIONS: gif, jpg, jpeg, png, webp).
SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
    "GIF": {},
}


# --- metadata --------------------------------------------------------------------------------


def _clean_frame(frame):
    copy = frame.copy()
    copy.info = {key: value for key, value in frame.info.items() if key in ("transparency", "duration")}
    return copy


def strip_metadata(data: bytes) -> tuple[bytes, int, int] | None:
    """The picture written again with nothing but its pixels (and colour profile); with its width
    and height. None when the bytes are not an image format we accept."""
    try:
        picture = PILImage.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, ValueError, PILImage.DecompressionBombError):
        return None
    fmt = picture.format
    if fmt not in SAVE_OPTIONS:
        return None
    options = dict(SAVE_OPTIONS[fmt])
    if picture.info.get("icc_profile"):
        options["icc_profile"] = picture.info["icc_profile"]
    out = io.BytesIO()
    if getattr(picture, "n_frames", 1) > 1:
        frames = [_clean_frame(frame) for frame in ImageSequence.Iterator(picture)]
        options.update(save_all=True, append_images=frames[1:], loop=picture.info.get("loop", 0),
                       duration=[frame.info.get("duration", 100) for frame in frames])
        frames[0].save(out, format=fmt, **options)
        width, height = frames[0].size
    else:
        if picture.getexif().get(ORIENTATION, 1) != 1:
            picture = ImageOps.exif_transpose(picture)
        clean = _clean_frame(picture)
        if fmt == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        clean.save(out, format=fmt, **options)
        width, height = clean.size
    return out.getvalue(), width, height


def strip_image_file(sender, instance, **kwargs):
    """pre_save of the image model: a new original is stored without its metadata."""
    file = instance.file
    if not file or getattr(file, "_committed", True):
        return
    file.open("rb")
    file.seek(0)
    stripped = strip_metadata(file.read())
    if stripped is None:
        file.seek(0)
        return
    data, width, height = stripped
    instance.file = ContentFile(data, name=os.path.basename(file.name))
    instance.width, instance.height = width, height
    instance._set_image_file_metadata()  # size and hash of what is stored


# --- who sees a picture ----------------------------------------------------------------------


@dataclass(frozen=True)
class PrivateCollection:
    name: str
    # may_view(user, image) -> bool: the app's rule, usually "may see what the picture illustrates".
    may_view: Callable
    groups: tuple[str, ...] = ()  # let through by the collection's Wagtail view restriction


_private: dict[str, PrivateCollection] = {}


def register_private_collection(name: str, *, may_view: Callable, groups=()) -> None:
    _private[name] = PrivateCollection(name=name, may_view=may_view, groups=tuple(groups))


def private_collection(name: str):
    """The registered collection `name` (a child of the root), created with its view restriction if missing."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, CollectionViewRestriction

    entry = _private[name]
    collection = Collection.objects.filter(name=name, depth=2).first()
    if collection is not None:
        return collection
    # Wagtail's migrations create the root collection; a flushed database may lack it.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = root.add_child(name=name)
    restriction = CollectionViewRestriction.objects.create(collection=collection,
                                                           restriction_type=CollectionViewRestriction.GROUPS)
    restriction.groups.set(Group.objects.filter(name__in=entry.groups))
    return collection


def ensure_private_collections(**kwargs):
    """post_migrate: every registered collection exists and is restricted (older databases made
    some of them without a restriction)."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, CollectionViewRestriction

    if not Collection.get_first_root_node():
        return
    for entry in _private.values():
        collection = private_collection(entry.name)
        if not CollectionViewRestriction.objects.filter(collection=collection).exists():
            restriction = CollectionViewRestriction.objects.create(
                collection=collection, restriction_type=CollectionViewRestriction.GROUPS)
            restriction.groups.set(Group.objects.filter(name__in=entry.groups))


def _restriction_accepts(restriction, user) -> bool:
    if restriction.restriction_type == restriction.LOGIN:
        return getattr(user, "is_authenticated", False)
    if restriction.restriction_type == restriction.GROUPS:
        if not getattr(user, "is_authenticated", False):
            return False
        return user.is_superuser or restriction.groups.filter(pk__in=user.groups.values("pk")).exists()
    return restriction.restriction_type == restriction.NONE  # a password: no way to give it here


def user_can_view_image(user, image) -> bool:
    collection = image.collection
    entry = _private.get(collection.name) if collection.depth == 2 else None
    if entry is not None:
        return bool(entry.may_view(user, image))
    return all(_restriction_accepts(r, user) for r in collection.get_view_restrictions())


def restricted_collection_ids() -> set[int]:
    """Collections an anonymous visitor may not see: every restricted one and those below it."""
    from wagtail.models import Collection

    paths = Collection.objects.filter(view_restrictions__isnull=False).values_list("path", flat=True).distinct()
    if not paths:
        return set()
    below = Q()
    for path in paths:
        below |= Q(path__startswith=path)
    return set(Collection.objects.filter(below).values_list("pk", flat=True))


def public_images(queryset=None):
    from wagtail.images import get_image_model

    queryset = get_image_model().objects.all() if queryset is None else queryset
    return queryset.exclude(collection__in=restricted_collection_ids()).exclude(
        collection__name__in=list(_private), collection__depth=2)


def image_for_file(name: str):
    """The image whose original or one of whose renditions is stored under `name`, or None."""
    from wagtail.images import get_image_model

    model = get_image_model()
    image = model.objects.filter(file=name).select_related("collection").first()
    if image is None:
        rendition = (model.get_rendition_model().objects.filter(file=name)
                     .select_related("image", "image__collection").first())
        image = rendition.image if rendition is not None else None
    return image
