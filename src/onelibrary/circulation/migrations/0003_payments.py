"""Payments, and the history of each charge (docs/circulation/money.md)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("circulation", "0002_loan_borrower_library"),
        ("members", "0003_membersversion"),
        ("patrons", "0005_patron_self_service"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Payment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=8)),
                (
                    "method",
                    models.CharField(
                        choices=[("cash", "Cash"), ("card", "Card"), ("other", "Other")],
                        max_length=8,
                    ),
                ),
                (
                    "reference",
                    models.CharField(
                        blank=True,
                        help_text="A card slip or cheque number, if any.",
                        max_length=100,
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "owed_after",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="What the patron still owed once it was taken.",
                        max_digits=9,
                    ),
                ),
                ("token", models.CharField(blank=True, max_length=64, null=True, unique=True)),
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="members.branch",
                    ),
                ),
                (
                    "patron",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payments",
                        to="patrons.patron",
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ChargeEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("payment", "Paid"),
                            ("waiver", "Waived"),
                            ("refund", "Refunded"),
                            ("cancel", "Cancelled"),
                        ],
                        max_length=8,
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=8)),
                (
                    "method",
                    models.CharField(
                        blank=True,
                        choices=[("cash", "Cash"), ("card", "Card"), ("other", "Other")],
                        max_length=8,
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=300)),
                (
                    "decision",
                    models.CharField(help_text="Decision-table id (MONEY-…).", max_length=16),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("owed_after", models.DecimalField(decimal_places=2, max_digits=8)),
                ("token", models.CharField(blank=True, max_length=64, null=True, unique=True)),
                (
                    "branch",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="members.branch",
                    ),
                ),
                (
                    "charge",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="circulation.charge",
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "payment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="circulation.payment",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="charge_entry_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("owed_after__gte", 0)),
                        name="charge_entry_never_overpaid",
                    ),
                ],
            },
        ),
    ]
