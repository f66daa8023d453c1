"""Proposal photos leave the public MEDIA_ROOT (which nginx serves) for PRIVATE_MEDIA_ROOT, under a random
name, without their metadata (cms.images.strip_metadata); from now on occupai.views.proposal_image sends
them to those who may see the proposal. A photo whose file is already gone is unlinked (with its
description); files of the public folder that no proposal names any more (replaced photos) move to a
private folder too, where nothing serves them."""

import contextlib
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import migrations, models

import occupai.models.proposals

FOLDER = "occupai/propositions/"
UNLINKED = "occupai/propositions-sans-proposition/"
EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def _private_name(old_name):
    ext = Path(old_name).suffix.lower()
    return f"{FOLDER}{uuid.uuid4().hex}{ext if ext in EXTENSIONS else ''}"


def forwards(apps, schema_editor):
    from cms.images import strip_metadata
    from cms.storage import PrivateStorage

    Proposal = apps.get_model("occupai", "Proposal")
    public, private = Path(settings.MEDIA_ROOT), PrivateStorage()
    for pk, name in Proposal.objects.exclude(image="").values_list("pk", "image"):
        source = public / name
        if private.exists(name) and not source.is_file():
            continue  # already private
        if not source.is_file():
            Proposal.objects.filter(pk=pk).update(image="", image_alt="")
            continue
        data = source.read_bytes()
        stripped = strip_metadata(data)
        new_name = private.save(_private_name(name), ContentFile(stripped[0] if stripped else data))
        Proposal.objects.filter(pk=pk).update(image=new_name)
        source.unlink()
    folder = public / FOLDER
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            private.save(UNLINKED + path.relative_to(folder).as_posix(), ContentFile(path.read_bytes()))
            path.unlink()
        for root, _dirs, _files in sorted(os.walk(folder), key=lambda entry: -len(entry[0])):
            with contextlib.suppress(OSError):  # not empty: leave it
                Path(root).rmdir()


class Migration(migrations.Migration):
    dependencies = [("occupai", "0002_event_no_overlap_postgresql")]

    operations = [
        migrations.AlterField(
            model_name="proposal",
            name="image",
            field=models.ImageField(blank=True, storage=occupai.models.proposals.photo_storage,
                                    upload_to=occupai.models.proposals.photo_upload_to, verbose_name="image"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
