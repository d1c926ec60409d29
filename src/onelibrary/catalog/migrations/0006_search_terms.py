"""The vocabulary "Did you mean" picks from (catalog/terms.py).

A table of the index's words with the number of titles having each, on both databases.
On SQLite, an fts5vocab table reads the words straight from the FTS5 index, so that a
refresh is one INSERT … SELECT; PostgreSQL's ts_stat() does the same without a table.
"""

from django.db import migrations, models

VOCAB = {
    "sqlite": (
        "CREATE VIRTUAL TABLE catalog_title_fts_vocab"
        " USING fts5vocab('catalog_title_fts', 'col')",
        "DROP TABLE IF EXISTS catalog_title_fts_vocab",
    ),
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor in VOCAB:
        schema_editor.execute(VOCAB[schema_editor.connection.vendor][0])


def backward(apps, schema_editor):
    if schema_editor.connection.vendor in VOCAB:
        schema_editor.execute(VOCAB[schema_editor.connection.vendor][1])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_title_vernacular"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=64, unique=True)),
                ("titles", models.PositiveIntegerField(default=1)),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
