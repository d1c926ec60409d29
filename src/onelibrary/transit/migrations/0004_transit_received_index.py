"""Transit: an index for insights, which reads the transits received on a day."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("transit", "0003_crate_scan_undone"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="transit",
            index=models.Index(fields=["received_at"], name="transit_received_at"),
        ),
    ]
