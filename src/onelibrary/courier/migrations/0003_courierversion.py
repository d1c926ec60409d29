"""The courier version token and the triggers that move it (onelibrary/core/versions.py)."""

from django.db import migrations, models

from onelibrary.core.versions import create_token_triggers, drop_token_triggers

TOKEN = "courier_courierversion"
WATCHED = (
    "courier_route",
    "courier_stop",
    "courier_hub",
    "courier_route_hubs",
    "members_branch",
    "members_closeddate",
)


def create(apps, schema_editor):
    create_token_triggers(schema_editor, TOKEN, WATCHED)


def drop(apps, schema_editor):
    drop_token_triggers(schema_editor, TOKEN, WATCHED)


class Migration(migrations.Migration):
    dependencies = [
        ("courier", "0002_couriersettings"),
        ("members", "0002_api_token"),
    ]

    operations = [
        migrations.CreateModel(
            name="CourierVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
