"""What desk staff may do with money, set by each library (docs/circulation/money.md).

SQLite adds the columns by rebuilding the table, which drops its triggers: the rules
token's triggers on members_library are made again afterwards (onelibrary/core/versions.py).
"""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

from onelibrary.core.versions import create_token_triggers, drop_token_triggers

TOKEN = "policy_rulesversion"
REBUILT = ("members_library",)


def remake_triggers(apps, schema_editor):
    drop_token_triggers(schema_editor, TOKEN, REBUILT, function=False)
    create_token_triggers(schema_editor, TOKEN, REBUILT)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_slip_settings"),
        ("policy", "0003_rulesversion"),  # made the triggers this remakes
    ]

    operations = [
        migrations.AddField(
            model_name="library",
            name="desk_may_override_fines",
            field=models.BooleanField(
                default=False,
                help_text="Desk staff may lend to a patron blocked for fines, with a reason "
                "(MONEY-11).",
            ),
        ),
        migrations.AddField(
            model_name="library",
            name="desk_waiver_limit",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                help_text="How much of one charge owed to this library desk staff may waive; "
                "more needs a library admin (MONEY-7). 0: desk staff waive nothing.",
                max_digits=8,
                validators=[django.core.validators.MinValueValidator(Decimal("0.00"))],
            ),
        ),
        migrations.RunPython(remake_triggers, remake_triggers),
    ]
