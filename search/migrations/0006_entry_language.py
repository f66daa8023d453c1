"""Each entry's language and the key its page's translations share (a search finds the reader's
language, and French for the pages not translated into it); on PostgreSQL the `simple_unaccent`
text search configuration (unaccent, no stemming) for the documents that are not in French."""

from django.db import migrations, models


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'simple_unaccent') THEN
                CREATE TEXT SEARCH CONFIGURATION simple_unaccent (COPY = pg_catalog.simple);
                ALTER TEXT SEARCH CONFIGURATION simple_unaccent
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
            END IF;
        END $$""")


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS simple_unaccent")


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0005_versions'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchentry',
            name='language',
            field=models.CharField(default='fr', max_length=10, verbose_name='langue'),
        ),
        migrations.AddField(
            model_name='searchentry',
            name='translation_key',
            field=models.CharField(blank=True, default='', max_length=36, verbose_name='clé de traduction'),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(fields=['translation_key', 'language'], name='search_entry_translation'),
        ),
        migrations.RunPython(create_config, drop_config, elidable=False),
    ]
