"""The full-text index of titles, one table per database vendor (see catalog/search.py).

SQLite: an FTS5 table whose rowid is the title id. PostgreSQL: a weighted tsvector per
title with a GIN index. Neither has a foreign key to catalog_title: Django's test
teardown truncates catalog_title without CASCADE, which PostgreSQL refuses when another
table references it. Instead `index_titles` drops the rows of ids that no longer exist,
and searches join to catalog_title, so a row left behind is never shown (title ids are
never reused: AUTOINCREMENT on SQLite, a sequence on PostgreSQL).
"""

from django.db import migrations

FORWARD = {
    "sqlite": [
        """
        CREATE VIRTUAL TABLE catalog_title_fts USING fts5(
            title, author, subjects, identifiers,
            tokenize = 'unicode61 remove_diacritics 2'
        )
        """,
    ],
    "postgresql": [
        """
        CREATE TABLE catalog_title_fts (
            title_id bigint PRIMARY KEY,
            document tsvector NOT NULL
        )
        """,
        "CREATE INDEX catalog_title_fts_document ON catalog_title_fts USING gin (document)",
    ],
}
BACKWARD = {
    "sqlite": ["DROP TABLE IF EXISTS catalog_title_fts"],
    "postgresql": ["DROP TABLE IF EXISTS catalog_title_fts"],
}


def forward(apps, schema_editor):
    for statement in FORWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    for statement in BACKWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
