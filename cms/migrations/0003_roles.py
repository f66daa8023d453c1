"""Creates the four role groups. Their permissions are kept in step with cms.roles by the
post_migrate handler in cms.signals."""

from django.db import migrations

ROLES = ("Habitants", "Agents", "Éditeurs", "Organisateurs")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0002_mairies_pages"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
