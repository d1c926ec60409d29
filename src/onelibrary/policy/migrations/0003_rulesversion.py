"""The rules version token and the triggers that move it (see policy.models.RulesVersion)."""

from django.db import migrations, models

WATCHED = (
    "policy_circulationrule",
    "policy_exemptionreason",
    "policy_grouppolicy",
    "policy_memberpolicy",
    "members_library",
)
EVENTS = ("INSERT", "UPDATE", "DELETE")

SQLITE_BUMP = (
    "INSERT INTO policy_rulesversion (id, token) VALUES (1, lower(hex(randomblob(16)))) "
    "ON CONFLICT(id) DO UPDATE SET token = excluded.token;"
)
POSTGRES_BUMP = (
    "INSERT INTO policy_rulesversion (id, token) "
    "VALUES (1, md5(random()::text || clock_timestamp()::text)) "
    "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;"
)
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION policy_rules_changed() RETURNS trigger AS $$
BEGIN
    """ + POSTGRES_BUMP + """
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(POSTGRES_FUNCTION)
        for table in WATCHED:
            run(
                f"CREATE TRIGGER {table}_rules_version AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION policy_rules_changed()"
            )
    else:
        for table in WATCHED:
            for event in EVENTS:
                run(
                    f"CREATE TRIGGER {table}_rules_version_{event.lower()} AFTER {event} "
                    f"ON {table} BEGIN {SQLITE_BUMP} END"
                )
    # A first token, random like every later one.
    run(SQLITE_BUMP if schema_editor.connection.vendor != "postgresql" else POSTGRES_BUMP)


def drop_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in WATCHED:
            run(f"DROP TRIGGER IF EXISTS {table}_rules_version ON {table}")
        run("DROP FUNCTION IF EXISTS policy_rules_changed()")
    else:
        for table in WATCHED:
            for event in EVENTS:
                run(f"DROP TRIGGER IF EXISTS {table}_rules_version_{event.lower()}")


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
        migrations.RunPython(create_triggers, drop_triggers),
    ]
