"""Search facets (docs/search.md): the library and "available now" facets read a
title's copies per library and status from this one index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_title_fts"),
        ("members", "0002_api_token"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="item",
            index=models.Index(
                fields=["title", "owning_library", "status"], name="item_title_owner_status"
            ),
        ),
    ]
