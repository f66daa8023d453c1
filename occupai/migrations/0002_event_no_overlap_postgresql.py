"""On PostgreSQL, the database itself refuses two events in one space at overlapping times
(an exclusion constraint over the space and the [start, end) range, with btree_gist).
Other databases rely on the locked check in occupai.services.proposal_schedule."""

from django.db import migrations

CONSTRAINT = "occupai_event_no_overlap"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE occupai_event ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE occupai_event DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("occupai", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
