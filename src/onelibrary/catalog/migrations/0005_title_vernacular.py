"""Original-script fields (880) for search and display (docs/marc.md, "Original scripts").

Titles imported before this kept their 880 fields in `Title.marc` only; they are read
from there once, and those titles are indexed again.
"""

from django.db import migrations, models

CHUNK = 2000


def read_vernacular(apps, schema_editor):
    from pymarc import Record

    from onelibrary.catalog.marc import vernacular_lines
    from onelibrary.catalog.search import index_titles

    Title = apps.get_model("catalog", "Title")
    found: dict[int, str] = {}
    for pk, marc in Title.objects.values_list("pk", "marc").iterator(chunk_size=CHUNK):
        data = bytes(marc or b"")
        base = int(data[12:17]) if data[12:17].isdigit() else 0
        if b"880" not in data[24:base]:
            continue  # no 880 in the record's directory
        try:
            record = Record(data, to_unicode=True, force_utf8=True)
        except Exception:  # a record we cannot parse again keeps no vernacular
            continue
        fields: dict[str, list] = {}
        for field in record.fields:
            fields.setdefault(field.tag, []).append(field)
        if lines := vernacular_lines(fields):
            found[pk] = lines
    for pk, lines in found.items():
        Title.objects.filter(pk=pk).update(vernacular=lines)
    index_titles(found)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_item_acquired_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="title",
            name="vernacular",
            field=models.TextField(
                blank=True,
                help_text="The record's 880 fields in original script, one per line: "
                "linked tag, script code, text, tab-separated (docs/marc.md).",
            ),
        ),
        migrations.RunPython(read_vernacular, migrations.RunPython.noop),
    ]
