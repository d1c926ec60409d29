"""Loan: what reports need, as at checkout (docs/insights.md, "What is recorded").

Loans made before: the owning library is the copy's owner now (copies rarely change
owner); the category comes from the patron where the link is still there; `by_hold` from
the checkout event, which names the hold it filled."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor) -> None:
    Loan = apps.get_model("circulation", "Loan")
    Event = apps.get_model("circulation", "Event")
    Item = apps.get_model("catalog", "Item")
    Patron = apps.get_model("patrons", "Patron")
    owner = Item.objects.filter(pk=models.OuterRef("item_id")).values("owning_library_id")
    Loan.objects.update(owning_library_id=models.Subquery(owner))
    category = Patron.objects.filter(pk=models.OuterRef("patron_id")).values("category")
    Loan.objects.filter(patron__isnull=False).update(borrower_category=models.Subquery(category))
    filled = (
        Event.objects.filter(loan_id=models.OuterRef("pk"), kind="checkout")
        .filter(detail__has_key="hold")
        .exclude(detail__hold=None)
    )
    Loan.objects.filter(models.Exists(filled)).update(by_hold=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_oai"),
        ("circulation", "0004_charge_entries_plural"),
        ("members", "0005_desk_waiver_limit"),
        ("patrons", "0005_patron_self_service"),
    ]

    operations = [
        migrations.AddField(
            model_name="loan",
            name="borrower_category",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name="loan",
            name="by_hold",
            field=models.BooleanField(default=False, help_text="The checkout filled a hold."),
        ),
        migrations.AddField(
            model_name="loan",
            name="owning_library",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.library",
            ),
        ),
        migrations.AddIndex(
            model_name="loan",
            index=models.Index(fields=["checked_out_at"], name="loan_checked_out_at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
