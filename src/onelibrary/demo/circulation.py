"""The demo group's circulation rules and the loans behind its checked-out copies.

Rules: a group default (three weeks, two renewals, fine-free), a locked group rule for
DVDs (one week), and member overrides drawn from the seed — some members fine, some
lend DVDs for two weeks, one keeps DVDs from group holds — so the policy differences
report has real differences to show. Loans: every copy the generator marked checked
out gets an open loan to a patron, so the desk pages have something to check in.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.core.duedates import due_date
from onelibrary.members.models import Branch, Library
from onelibrary.patrons.models import Patron
from onelibrary.policy.models import CirculationRule, ExemptionReason
from onelibrary.policy.resolve import Situation, resolve

EXEMPTION_REASONS = (
    ("reference", "Reference or non-circulating collection"),
    ("local-history", "Local history or special collection"),
    ("licence", "Licensing restriction"),
    ("new-local", "New purchase kept for local patrons first"),
)


def write_rules(seed: int, libraries: dict[str, Library]) -> int:
    rng = random.Random(f"{seed}-rules")
    reasons = {
        code: ExemptionReason.objects.create(code=code, label=label)
        for code, label in EXEMPTION_REASONS
    }
    rules = [
        CirculationRule(
            name="Group default",
            loan_days=21,
            renewals_allowed=2,
            max_items_out=50,
            fine_block_threshold=Decimal("10.00"),
            holdable=True,
        ),
        CirculationRule(name="Group: DVDs", item_type="dvd", loan_days=7, renewals_allowed=1),
        CirculationRule(
            name="Group: reference",
            collection="REF",
            holdable=False,
            exempt_reason=reasons["reference"],
            locked=True,
        ),
        CirculationRule(name="Group: children", patron_category="child", max_items_out=20),
    ]
    members = sorted(libraries.values(), key=lambda lib: lib.code)
    for lib in members:
        roll = rng.random()
        if roll < 0.30:
            rules.append(
                CirculationRule(
                    name=f"{lib.code}: fines",
                    library=lib,
                    fine_per_day=rng.choice([Decimal("0.10"), Decimal("0.25")]),
                    fine_cap=Decimal("5.00"),
                )
            )
        if rng.random() < 0.25:
            rules.append(
                CirculationRule(
                    name=f"{lib.code}: DVDs for two weeks",
                    library=lib,
                    item_type="dvd",
                    loan_days=14,
                )
            )
    keeper = rng.choice(members)
    rules.append(
        CirculationRule(
            name=f"{keeper.code}: DVDs stay local",
            library=keeper,
            item_type="dvd",
            holdable=False,
            exempt_reason=reasons["licence"],
        )
    )
    CirculationRule.objects.bulk_create(rules)
    return len(rules)


def write_open_loans(seed: int, today: dt.date) -> int:
    """An open loan for every copy marked checked out, due by the rules that govern it."""
    rng = random.Random(f"{seed}-loans")
    patron_ids = list(Patron.objects.order_by("pk").values_list("pk", "category"))
    if not patron_ids:
        return 0
    rules = [
        rule.as_rule()
        for rule in CirculationRule.objects.select_related("library", "exempt_reason")
    ]
    branches = {b.pk: b for b in Branch.objects.all()}
    codes = dict(Library.objects.values_list("pk", "code"))
    loans = []
    # A loan made today is made before now: 14:00 on a morning would be in the future.
    latest = timezone.now() - dt.timedelta(minutes=1)
    for item in Item.objects.filter(status=Item.Status.CHECKED_OUT).order_by("pk"):
        patron_id, category = rng.choice(patron_ids)
        policy = resolve(
            rules,
            Situation(codes[item.owning_library_id], category, item.item_type, item.collection),
        )
        branch = branches[item.current_branch_id]
        start = today - dt.timedelta(days=rng.randrange(0, 30))
        due = due_date(start, policy.loan_days, branch.open_days, set())
        loans.append(
            Loan(
                item=item,
                patron_id=patron_id,
                checkout_branch=branch,
                due_date=due,
                checked_out_at=min(
                    timezone.make_aware(dt.datetime.combine(start, dt.time(14))), latest
                ),
                rule=policy.as_dict(),
            )
        )
    Loan.objects.bulk_create(loans, batch_size=2000)
    return len(loans)
