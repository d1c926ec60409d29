"""Hold: what reports need, kept when the patron goes (docs/insights.md, "What is
recorded").

Holds placed before: the patron's library and category from the patron where the link is
still there, else the library from the hold's events (they name the borrower's library);
the owner of a filled hold's copy from the copy; the lending branch from the transit that
carried the copy for it, else the pickup branch for one that reached the shelf
(captured there)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor) -> None:
    Hold = apps.get_model("holds", "Hold")
    HoldEvent = apps.get_model("holds", "HoldEvent")
    Patron = apps.get_model("patrons", "Patron")
    Library = apps.get_model("members", "Library")
    Item = apps.get_model("catalog", "Item")
    Transit = apps.get_model("transit", "Transit")
    patron = Patron.objects.filter(pk=models.OuterRef("patron_id"))
    Hold.objects.filter(patron__isnull=False).update(
        borrower_library_id=models.Subquery(patron.values("home_library_id")),
        borrower_category=models.Subquery(patron.values("category")),
    )
    code = HoldEvent.objects.filter(hold_id=models.OuterRef(models.OuterRef("pk"))).exclude(
        borrower=""
    )
    library = Library.objects.filter(code=models.Subquery(code.values("borrower")[:1]))
    Hold.objects.filter(patron__isnull=True).update(
        borrower_library_id=models.Subquery(library.values("pk")[:1])
    )
    owner = Item.objects.filter(pk=models.OuterRef("assigned_item_id")).values("owning_library_id")
    filled = Hold.objects.filter(state="fulfilled", assigned_item__isnull=False)
    filled.update(owning_library_id=models.Subquery(owner))
    sender = (
        Transit.objects.filter(hold_id=models.OuterRef("pk"), reason="hold")
        .order_by("-created_at")
        .values("sender_id")[:1]
    )
    started = Hold.objects.filter(assigned_item__isnull=False)
    started.update(lending_branch_id=models.Subquery(sender))
    shelved = started.filter(lending_branch__isnull=True, shelf_since__isnull=False)
    shelved.update(lending_branch_id=models.F("pickup_branch_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_oai"),
        ("holds", "0004_hold_expected"),
        ("members", "0005_desk_waiver_limit"),
        ("patrons", "0005_patron_self_service"),
        ("transit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="hold",
            name="borrower_category",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name="hold",
            name="borrower_library",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.library",
            ),
        ),
        migrations.AddField(
            model_name="hold",
            name="lending_branch",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.branch",
            ),
        ),
        migrations.AddField(
            model_name="hold",
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
            model_name="hold",
            index=models.Index(fields=["placed_at"], name="hold_placed_at"),
        ),
        migrations.AddIndex(
            model_name="hold",
            index=models.Index(fields=["closed_at"], name="hold_closed_at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
