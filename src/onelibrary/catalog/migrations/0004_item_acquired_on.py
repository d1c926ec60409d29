"""A copy's acquisition date (docs/marc.md, "Acquisition dates"). Existing copies keep it
empty, which means the day they were added: their local-priority window is unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_search_facets"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="acquired_on",
            field=models.DateField(
                blank=True,
                help_text="When the library acquired the copy; empty: the day it was added "
                "here. Its local-priority window starts on this day.",
                null=True,
            ),
        ),
    ]
