"""An index for counting a branch's floating items of a collection (float balancing).

The catalog owns the table; the index serves only the floating app's count, so it lives
here. The same SQL runs on SQLite and PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("floating", "0001_initial"),
        ("catalog", "0002_title_fts"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX item_float_count ON catalog_item "
            "(home_branch_id, collection, floating, status)",
            "DROP INDEX item_float_count",
        )
    ]
