"""Files at rest (cms.storage, cms.images): Wagtail images' files move from the public MEDIA_ROOT to
PRIVATE_MEDIA_ROOT/images/, each original loses its metadata (its renditions are deleted, to be made
again from the stripped original), and every private file becomes owner-only (0600, folders 0700)."""

import hashlib
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations


def _owner_only(root: Path):
    if not root.exists():
        return
    root.chmod(0o700)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            Path(folder, name).chmod(0o700)
        for name in files:
            Path(folder, name).chmod(0o600)


def forwards(apps, schema_editor):
    from cms.images import strip_metadata

    public = Path(settings.MEDIA_ROOT)
    private = Path(settings.PRIVATE_MEDIA_ROOT) / "images"
    for folder in ("original_images", "images"):
        source = public / folder
        if not source.is_dir():
            continue
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            target = private / path.relative_to(public)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not target.exists():
                shutil.move(str(path), str(target))
        shutil.rmtree(source, ignore_errors=True)
    Image = apps.get_model("wagtailimages", "Image")
    Rendition = apps.get_model("wagtailimages", "Rendition")
    for image in Image.objects.all().only("pk", "file"):
        path = private / image.file.name
        if not path.is_file():
            continue
        stripped = strip_metadata(path.read_bytes())
        if stripped is None:
            continue
        data, width, height = stripped
        path.write_bytes(data)
        Image.objects.filter(pk=image.pk).update(width=width, height=height, file_size=len(data),
                                                 file_hash=hashlib.sha1(data).hexdigest())  # noqa: S324 -- Wagtail's
        for rendition in Rendition.objects.filter(image_id=image.pk):
            (private / rendition.file.name).unlink(missing_ok=True)
            rendition.delete()
    _owner_only(Path(settings.PRIVATE_MEDIA_ROOT))


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_roles"), ("wagtailimages", "0027_image_description")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
