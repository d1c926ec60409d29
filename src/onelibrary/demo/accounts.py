"""The demo group's accounts between members: a year of losses, damages and patrons'
payments, two disputed damage reports (one still open, one decided) and the entries they
book, ready to settle (docs/ledger.md).

Everything goes through the real actions — checkouts, the item desk's lost and damaged,
money at the desk, damage reports with photos, the poster — at dates spread over the last
year, so the pages show what the desk would have made. About thirty loans: a second or two.
The entries are booked when the demo is loaded (`booked_at` is today; `occurred_at` is
when each loss happened), so this month's settlement nets the whole year.
"""

from __future__ import annotations

import datetime as dt
import random
from io import BytesIO

from django.contrib.auth.models import User
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions, item_desk, money
from onelibrary.circulation.models import Charge
from onelibrary.core.refusals import Refusal
from onelibrary.ledger import disputes, policies, posting
from onelibrary.members.models import Branch, Library
from onelibrary.patrons.models import Patron

LOANS = 30
DAY = dt.timedelta(days=1)


def damage_photo(rng: random.Random) -> bytes:
    """A small picture of a stained page: a demo photo made here, not downloaded."""
    image = Image.new("RGB", (320, 240), (238, 232, 214))
    draw = ImageDraw.Draw(image)
    for line in range(20, 220, 14):
        draw.line((24, line, 296, line), fill=(120, 120, 120), width=2)
    x, y = rng.randrange(60, 200), rng.randrange(50, 150)
    draw.ellipse((x, y, x + 110, y + 80), fill=(150, 120, 70))
    out = BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class Members:
    """Each active member with a branch, its desk account and a few of its patrons."""

    def __init__(self) -> None:
        libraries = list(Library.objects.filter(status=Library.Status.ACTIVE).order_by("code"))
        desks = {u.username: u for u in User.objects.filter(username__startswith="desk.")}
        self.branch: dict[int, Branch] = {}
        self.desk: dict[int, User] = {}
        self.patrons: dict[int, list[Patron]] = {}
        for lib in libraries:
            branch = Branch.objects.filter(library=lib).order_by("pk").first()
            desk = desks.get(f"desk.{lib.code.lower()}")
            patrons = list(Patron.objects.filter(home_library=lib).order_by("pk")[:8])
            if branch is not None and desk is not None and patrons:
                self.branch[lib.pk], self.desk[lib.pk], self.patrons[lib.pk] = branch, desk, patrons
        self.libraries = [lib for lib in libraries if lib.pk in self.branch]
        self.central = User.objects.filter(username="central").first()

    def two(self, rng: random.Random) -> tuple[Library, Library]:
        owner, borrower = rng.sample(self.libraries, 2)
        return owner, borrower


def _copy(owner: Library, used: set[int]) -> Item | None:
    item = (
        Item.objects.filter(owning_library=owner, status=Item.Status.AVAILABLE)
        .exclude(pk__in=used)
        .exclude(price__isnull=True)
        .order_by("pk")
        .first()
    )
    if item is not None:
        used.add(item.pk)
    return item


def _lend(m: Members, owner: Library, borrower: Library, item: Item, when: dt.datetime) -> None:
    patron = m.patrons[borrower.pk][item.pk % len(m.patrons[borrower.pk])]
    actions.check_out(m.desk[owner.pk], m.branch[owner.pk], patron, item, now=when)


def _year(rng: random.Random, m: Members, start: dt.datetime, used: set[int]) -> int:
    """Loans over the year: some lost (some paid for, some in part), some damaged."""
    done = 0
    for n in range(LOANS):
        owner, borrower = m.two(rng)
        item = _copy(owner, used)
        if item is None:
            continue
        when = start + dt.timedelta(days=11 * n + rng.randrange(0, 5))
        try:
            _lend(m, owner, borrower, item, when)
            fate = rng.random()
            if fate < 0.45:
                item_desk.declare_lost(
                    m.desk[borrower.pk], m.branch[borrower.pk], item, note="", now=when + 35 * DAY
                )
                _pay(rng, m, owner, item, when + 50 * DAY)
            else:
                actions.check_in(m.desk[owner.pk], m.branch[owner.pk], item, now=when + 18 * DAY)
                if fate < 0.8:
                    item_desk.declare_damaged(
                        m.desk[owner.pk],
                        m.branch[owner.pk],
                        item,
                        note=rng.choice(("Water damage", "Torn pages", "Broken spine")),
                        now=when + 19 * DAY,
                    )
        except Refusal:
            continue  # a copy the rules keep from lending: the demo skips it
        done += 1
    return done


def _pay(rng: random.Random, m: Members, owner: Library, item: Item, when: dt.datetime) -> None:
    charge = Charge.objects.filter(item=item, kind=Charge.Kind.LOST).order_by("-pk").first()
    if charge is None or rng.random() < 0.4:
        return  # not paid (yet)
    part = charge.amount if rng.random() < 0.7 else (charge.amount / 2).quantize(charge.amount)
    money.take_payment(m.desk[owner.pk], m.branch[owner.pk], charge.patron, part, "cash", now=when)


def _disputes(rng: random.Random, m: Members, today: dt.datetime, used: set[int]) -> int:
    """Two damage reports disputed by the borrower: one decided, one still open."""
    made = 0
    for decided in (True, False):
        owner, borrower = m.two(rng)
        item = _copy(owner, used)
        if item is None or m.central is None:
            continue
        back = today - (28 if decided else 9) * DAY
        for _ in range(10):  # a patron with a block or a copy the rules keep: another
            try:
                _lend(m, owner, borrower, item, back - 20 * DAY)
                break
            except Refusal:
                owner, borrower = m.two(rng)
                item = _copy(owner, used)
                if item is None:
                    return made
        else:
            continue
        actions.check_in(m.desk[owner.pk], m.branch[owner.pk], item, now=back)
        photo = ("damage.jpg", BytesIO(damage_photo(rng)))
        report = disputes.report_damage(
            m.desk[owner.pk],
            item,
            "checkin",
            note="Came back with coffee stains through the first chapters.",
            photos=[photo],
            now=back + DAY,
        )
        disputes.dispute(
            m.desk[borrower.pk],
            report,
            body="Our patron says the stains were there at checkout.",
            photos=[("at-checkout.jpg", BytesIO(damage_photo(rng)))],
            now=back + 3 * DAY,
        )
        disputes.post_message(
            m.desk[owner.pk],
            report,
            body="The copy was new in the spring; our last checkin note says clean.",
            photos=[],
            now=back + 4 * DAY,
        )
        if decided:
            disputes.decide(
                m.central,
                report,
                outcome="charge",
                debtor=borrower,
                creditor=owner,
                amount=(report.amount / 2).quantize(report.amount),
                reason="Stains older than this loan are likely; the borrower pays half.",
                now=back + 10 * DAY,
            )
        made += 1
    return made


def write_accounts(seed: int, today: dt.date) -> int:
    """The year's accounts; returns the number of loans and reports written."""
    rng = random.Random(f"onelibrary-demo:{seed}:accounts")
    policies.create(
        "Group replacement policy", policies.usual_terms(), adopt=True, note="The demo's policy."
    )
    m = Members()
    if len(m.libraries) < 2:
        return 0
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(11)))
    used: set[int] = set()
    # Nobody is emailed by a demo: the notices of the reports go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        count = _year(rng, m, now - 365 * DAY, used)
        count += _disputes(rng, m, now, used)
    posting.catch_up()
    return count
