"""The full-text side of the database backend, per database vendor (the SQL is written out here,
so that this migration keeps doing what it did when search/backends/database.py changes):
SQLite: the FTS5 tables `search_fts` (stems of title, keywords, body; rowid = SearchEntry.id) and
`search_suggest_fts` (folded title words, prefix-indexed);
PostgreSQL: the unaccent extension, the `french_unaccent` text search configuration (unaccent,
then the French Snowball stemmer), two tsvector columns on search_searchentry and their GIN indexes."""

from django.db import migrations

SQL = {
    "sqlite": [
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
        "title, keywords, body, tokenize = 'unicode61 remove_diacritics 0')",
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_suggest_fts USING fts5("
        "words, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        """DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
                CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = pg_catalog.french);
                ALTER TEXT SEARCH CONFIGURATION french_unaccent
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
            END IF;
        END $$""",
        "ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS document tsvector",
        "ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS suggest tsvector",
        "CREATE INDEX IF NOT EXISTS search_entry_document_gin ON search_searchentry USING gin (document)",
        "CREATE INDEX IF NOT EXISTS search_entry_suggest_gin ON search_searchentry USING gin (suggest)",
    ],
}

REVERSE = {
    "sqlite": ["DROP TABLE IF EXISTS search_suggest_fts", "DROP TABLE IF EXISTS search_fts"],
    "postgresql": [
        "DROP INDEX IF EXISTS search_entry_suggest_gin",
        "DROP INDEX IF EXISTS search_entry_document_gin",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS suggest",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
    ],
}


def create(apps, schema_editor):
    for statement in SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in REVERSE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
