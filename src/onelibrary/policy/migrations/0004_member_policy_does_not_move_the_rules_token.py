"""No kept value reads member policies (the local-priority windows are read afresh by
holds routing), so writing one need not make every process reload the rules: the trigger
0003 put on policy_memberpolicy goes (tests/test_versions.py holds the triggers to what
each `Kept` declares). Backwards it is made again."""

from django.db import migrations

from onelibrary.versions import create_token_triggers, drop_token_triggers

TOKEN = "policy_rulesversion"
UNWATCHED = ("policy_memberpolicy",)


def drop(apps, schema_editor):
    # The bump function stays: the other rules tables' triggers still call it.
    drop_token_triggers(schema_editor, TOKEN, UNWATCHED, function=False)


def create(apps, schema_editor):
    create_token_triggers(schema_editor, TOKEN, UNWATCHED)


class Migration(migrations.Migration):
    dependencies = [("policy", "0003_rulesversion")]

    operations = [migrations.RunPython(drop, create)]
