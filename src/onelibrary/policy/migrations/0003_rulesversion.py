"""The rules version token and the triggers that move it (see onelibrary/core/versions.py)."""

from django.db import migrations, models

from onelibrary.core.versions import create_token_triggers, drop_token_triggers

TOKEN = "policy_rulesversion"
WATCHED = (
    "policy_circulationrule",
    "policy_exemptionreason",
    "policy_grouppolicy",
    "policy_memberpolicy",
    "members_library",
)


def create(apps, schema_editor):
    create_token_triggers(schema_editor, TOKEN, WATCHED)


def drop(apps, schema_editor):
    drop_token_triggers(schema_editor, TOKEN, WATCHED)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("policy", "0002_circulationrule_max_holds_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="RulesVersion",
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
