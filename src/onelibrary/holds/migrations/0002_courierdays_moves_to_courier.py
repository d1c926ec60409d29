"""CourierDays moves to the courier app (one courier-days service, docs/decisions.md).

The rows are copied into courier's table with one INSERT ... SELECT, then the holds table
is dropped. Backwards, Django first recreates the holds table (the reverse of DeleteModel)
and then copies the rows back, so no row is lost either way. Plain SQL, the same on SQLite
and PostgreSQL; the table names come from the historical models.
"""

from django.db import migrations


def _copy(apps, schema_editor, source: str, target: str) -> None:
    tables = {
        "holds": apps.get_model("holds", "CourierDays")._meta.db_table,
        "courier": apps.get_model("courier", "CourierDays")._meta.db_table,
    }
    quote = schema_editor.quote_name
    columns = ", ".join(quote(c) for c in ("origin_id", "destination_id", "days"))
    schema_editor.execute(
        f"INSERT INTO {quote(tables[target])} ({columns}) "  # noqa: S608 - names, not input
        f"SELECT {columns} FROM {quote(tables[source])}"
    )


def to_courier(apps, schema_editor):
    _copy(apps, schema_editor, "holds", "courier")


def to_holds(apps, schema_editor):
    _copy(apps, schema_editor, "courier", "holds")


class Migration(migrations.Migration):
    dependencies = [
        ("holds", "0001_initial"),
        ("courier", "0004_courierdays_and_trips"),
    ]

    operations = [
        migrations.RunPython(to_courier, to_holds),
        migrations.DeleteModel(name="CourierDays"),
    ]
