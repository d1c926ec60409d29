"""The members version token and the triggers that move it (onelibrary/core/versions.py)."""

from django.db import migrations, models

from onelibrary.core.versions import create_token_triggers, drop_token_triggers

TOKEN = "members_membersversion"
WATCHED = ("members_staffrole", "members_closeddate")


def create(apps, schema_editor):
    create_token_triggers(schema_editor, TOKEN, WATCHED)


def drop(apps, schema_editor):
    drop_token_triggers(schema_editor, TOKEN, WATCHED)


class Migration(migrations.Migration):
    dependencies = [("members", "0002_api_token")]

    operations = [
        migrations.CreateModel(
            name="MembersVersion",
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
