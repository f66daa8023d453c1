"""One Wagtail locale per content language (WAGTAIL_CONTENT_LANGUAGES), so that every environment can
translate pages into each of them. Existing pages keep the default locale (French), which Wagtail
gave them when its locales were introduced: no page moves."""

from django.conf import settings
from django.db import migrations


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0008_pages_reviewed_help"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(add_locales, migrations.RunPython.noop),
    ]
