"""GroupPolicy.closed_hold_days: how long a closed hold keeps its patron (holds/retention.py).

SQLite adds the column by rebuilding the table, which drops its triggers: the rules
token's triggers on policy_grouppolicy are made again afterwards (onelibrary/versions.py).
"""

from django.db import migrations, models

from onelibrary.versions import create_token_triggers, drop_token_triggers

TOKEN = "policy_rulesversion"
REBUILT = ("policy_grouppolicy",)


def remake_triggers(apps, schema_editor):
    drop_token_triggers(schema_editor, TOKEN, REBUILT, function=False)
    create_token_triggers(schema_editor, TOKEN, REBUILT)


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0004_member_policy_does_not_move_the_rules_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="grouppolicy",
            name="closed_hold_days",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text="Days a closed hold (picked up, cancelled, expired) keeps who held "
                "it; then only the title and dates stay, unless the patron keeps their history.",
            ),
        ),
        migrations.RunPython(remake_triggers, remake_triggers),
    ]
