"""The demo's year of history (demo/history.py): every insights page has something to
show, none of it names a patron, and the summaries agree with the records."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from onelibrary.circulation.models import Loan
from onelibrary.holds.models import Hold
from onelibrary.insights import figures, tables
from onelibrary.insights.build import loan_counts
from onelibrary.insights.models import BuiltDay
from onelibrary.members.models import StaffRole


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = tmp_path
    quick = ("--titles", "300", "--patrons", "600", "--no-marc")  # each test loads it: keep small
    call_command("load_demo", *quick, stdout=io.StringIO())
    today = timezone.localdate()
    return today - dt.timedelta(days=365), today - dt.timedelta(days=1)


def test_every_table_has_something_to_show_from_records_that_name_no_patron(demo):
    start, end = demo
    assert BuiltDay.objects.filter(day__gte=start, day__lte=end).count() == 365
    for slug in tables.GROUP_TABLES:
        assert tables.build(slug, start, end).rows, slug
    group = figures.group(start, end)
    assert group.lent > 0 and group.loans > 10 * group.lent / 4
    assert 0 < group.gini_net_lending < 1
    picking = {r[0]: r[3] for r in tables.build("picking", start, end).rows}
    assert min(v for v in picking.values() if v is not None) < 1  # not every copy found

    # None of it names a patron.
    history = Loan.objects.filter(state=Loan.State.RETURNED)
    assert history.exists() and not history.filter(patron__isnull=False).exists()
    assert not Hold.objects.filter(placed_at__date__gte=start, patron__isnull=False).exists()

    # The summaries agree with the loans themselves.
    counts = loan_counts(
        *(
            timezone.make_aware(dt.datetime.combine(d, dt.time.min))
            for d in (start, end + dt.timedelta(days=1))
        )
    )
    got = sum(m.lent for m in figures.members(start, end))
    assert got == sum(counts.by_hold.values()) + sum(counts.walkin.values())


def test_every_active_member_has_a_board_account_that_sees_its_page(demo):
    role = StaffRole.objects.filter(role=StaffRole.Role.BOARD).select_related("user", "library")[0]
    client = Client()
    client.force_login(role.user)
    page = client.get(f"/insights/{role.library.code}/board/")
    assert page.status_code == 200
    assert "Your patrons borrowed" in page.content.decode()
