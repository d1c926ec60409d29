"""Loan.borrower_library: the patron's home library at checkout, kept after return.

Loans made before it existed get it from their patron where the link is still there (open
loans, and returned loans of patrons who keep their history); the others stay empty."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor) -> None:
    Loan = apps.get_model("circulation", "Loan")
    Patron = apps.get_model("patrons", "Patron")
    home = Patron.objects.filter(pk=models.OuterRef("patron_id")).values("home_library_id")
    Loan.objects.filter(patron__isnull=False).update(borrower_library_id=models.Subquery(home))


class Migration(migrations.Migration):
    dependencies = [
        ("circulation", "0001_initial"),
        ("members", "0003_membersversion"),
        ("patrons", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="loan",
            name="borrower_library",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.library",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
