"""Residents' project photos move into their private collection (cms.images): a draft's photo is
seen only by those who may see the draft."""

from django.db import migrations


def forwards(apps, schema_editor):
    from wagtail.images import get_image_model

    from cms.images import private_collection
    from participation.bureau.models import IMAGE_COLLECTION

    Project = apps.get_model("bureau", "Project")
    ids = list(Project.objects.exclude(image=None).values_list("image_id", flat=True))
    if ids:
        get_image_model().objects.filter(pk__in=ids).update(collection=private_collection(IMAGE_COLLECTION))


class Migration(migrations.Migration):
    dependencies = [("bureau", "0002_project_list_sort_indexes"), ("cms", "0004_files_at_rest")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
