"""Float rules and groups move the rules token (onelibrary/core/versions.py), so checkin keeps
them in memory like the circulation rules."""

from django.db import migrations

from onelibrary.core.versions import create_token_triggers, drop_token_triggers

TOKEN = "policy_rulesversion"
WATCHED = ("floating_floatrule", "floating_floatgroup", "floating_floatgroup_libraries")


def create(apps, schema_editor):
    create_token_triggers(schema_editor, TOKEN, WATCHED)


def drop(apps, schema_editor):
    drop_token_triggers(schema_editor, TOKEN, WATCHED, function=False)


class Migration(migrations.Migration):
    dependencies = [
        ("floating", "0002_item_float_count_index"),
        ("policy", "0003_rulesversion"),
    ]

    operations = [migrations.RunPython(create, drop)]
