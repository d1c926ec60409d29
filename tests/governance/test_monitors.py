"""Each compliance monitor finds a planted violation, and nothing on a clean group; the
`monitors --json` command; the daily run's training suggestions and mail."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Event, UnprocessedScan
from onelibrary.governance import monitors, tasks
from onelibrary.governance.models import MonitorSettings, TrainingModule, TrainingSuggestion
from onelibrary.holds import actions as holds
from onelibrary.holds.models import Hold
from onelibrary.policy.models import CirculationRule, GroupPolicy, MemberPolicy
from onelibrary.transit.models import Crate, Transit

pytestmark = pytest.mark.django_db


def found(name: str) -> list[monitors.Finding]:
    return monitors.run(only=name)


def test_a_clean_group_has_no_findings(hw):
    assert monitors.run() == []


def test_hidden_finds_a_copy_and_a_rule_kept_from_holds_without_a_reason(hw, reference):
    Item.objects.filter(pk=hw.dune_pine.pk).update(holdable=False)
    CirculationRule.objects.create(name="Ours", library=hw.elk, collection="LOCAL", holdable=False)
    CirculationRule.objects.create(
        name="Allowed", library=hw.riverton, holdable=False, exempt_reason=reference
    )
    got = found("hidden")
    assert [(f.member, f.url) for f in got][0] == ("PINE", f"/items/{hw.dune_pine.barcode}/edit/")
    assert {f.member for f in got} == {"PINE", "ELK"}


def test_pick_lists_finds_a_copy_not_pulled_by_the_deadline(hw):
    hw.dune_riv.status = "checked_out"
    hw.dune_riv.save(update_fields=["status"])
    hold = holds.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    assert hold.state == Hold.State.ROUTED
    Hold.objects.filter(pk=hold.pk).update(routed_at=timezone.now() - dt.timedelta(days=5))
    got = found("pick_lists")
    assert [f.member for f in got] == ["PINE"]
    assert got[0].url == "/holds/pick/"


def test_crates_finds_one_not_unpacked_in_time(hw):
    Crate.objects.create(
        label="C-1",
        origin=hw.pine_main,
        destination=hw.riv_main,
        opened_by=hw.desk_pine,
        state=Crate.State.RECEIVED,
        received_at=timezone.now() - dt.timedelta(days=4),
        received_branch=hw.riv_main,
    )
    Crate.objects.create(
        label="C-2",
        origin=hw.pine_main,
        destination=hw.elk_main,
        opened_by=hw.desk_pine,
        state=Crate.State.RECEIVED,
        received_at=timezone.now() - dt.timedelta(hours=3),
        received_branch=hw.elk_main,
    )
    got = found("crates")
    assert [(f.member, f.url) for f in got] == [("RIV", "/transit/crates/C-1/")]


def test_transits_finds_the_overdue_by_member(hw):
    Transit.objects.create(
        item=hw.dune_pine,
        sender=hw.pine_main,
        receiver=hw.riv_main,
        reason=Transit.Reason.RETURN_HOME,
        state=Transit.State.SHIPPED,
        shipped_at=timezone.now() - dt.timedelta(days=20),
        expected_on=dt.date.today() - dt.timedelta(days=10),
    )
    got = found("transits")
    assert [f.member for f in got] == ["PINE"]
    assert "1 items it sent are overdue" in got[0].what


def test_member_rules_finds_an_override_of_a_locked_setting_and_a_long_window(hw):
    CirculationRule.objects.create(name="Group DVDs", item_type="dvd", loan_days=7, locked=True)
    CirculationRule.objects.create(name="Our DVDs", library=hw.elk, item_type="dvd", loan_days=21)
    CirculationRule.objects.create(
        name="Our fines", library=hw.pine, item_type="dvd", fine_per_day=1
    )
    MemberPolicy.objects.create(library=hw.riverton, local_priority_days=90)
    got = found("member_rules")
    assert {f.member for f in got} == {"ELK", "RIV"}
    assert GroupPolicy.current().local_priority_days < 90


def test_staff_finds_repeated_overrides_and_refused_scans(hw):
    for _ in range(5):
        Event.objects.create(
            kind="checkout", staff=hw.admin_riv, branch=hw.riv_main, decision="CHECKOUT-9"
        )
    for _ in range(10):
        UnprocessedScan.objects.create(
            staff=hw.desk_pine, branch=hw.pine_main, screen="checkin", code="x", message="x"
        )
    UnprocessedScan.objects.create(
        staff=hw.desk_riv, branch=hw.riv_main, screen="checkin", code="x", message="x"
    )
    got = found("staff")
    assert [(f.member, "overrode" in f.what) for f in got] == [("PINE", False), ("RIV", True)]


def test_the_daily_run_suggests_training_and_mails(hw):
    MonitorSettings.objects.create(email_to="office@example.org")
    module = TrainingModule.objects.create(
        code="scans", title="Scanning at the desk", suggested_for="refused_scans"
    )
    for _ in range(10):
        UnprocessedScan.objects.create(
            staff=hw.desk_pine, branch=hw.pine_main, screen="checkin", code="x", message="x"
        )
    tasks.daily()
    tasks.daily()  # once is enough: one open suggestion
    suggestion = TrainingSuggestion.objects.get()
    assert (suggestion.user, suggestion.module) == (hw.desk_pine, module)
    assert "Scanning at the desk" in found("staff")[0].what
    assert len(mail.outbox) == 2 and "[staff] PINE" in mail.outbox[0].body


def test_the_command_prints_the_findings_as_json(hw):
    Item.objects.filter(pk=hw.dune_pine.pk).update(holdable=False)
    out = StringIO()
    call_command("monitors", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == [
        {
            "monitor": "hidden",
            "member": "PINE",
            "what": printed[0]["what"],
            "url": f"/items/{hw.dune_pine.barcode}/edit/",
        }
    ]
    assert set(printed[0]) == {"monitor", "member", "what", "url"}


def test_a_finding_opens_a_ticket_to_the_member_filled_in(hw, client):
    """Issue 16: each finding links to what to do and can open a ticket."""
    from onelibrary.directory.models import Ticket

    Crate.objects.create(
        label="C-1",
        origin=hw.pine_main,
        destination=hw.riv_main,
        opened_by=hw.desk_pine,
        state=Crate.State.RECEIVED,
        received_at=timezone.now() - dt.timedelta(days=4),
        received_branch=hw.riv_main,
    )
    (finding,) = found("crates")
    client.force_login(hw.central)
    page = client.get("/governance/monitors/").content.decode()
    assert finding.ticket_url().replace("&", "&amp;") in page
    form = client.get(finding.ticket_url()).content.decode()
    assert 'value="courier" selected' in form and 'value="RIV" selected' in form
    assert 'name="link" value="/transit/crates/C-1/"' in form
    sent = client.post(
        "/tickets/new/",
        {
            "category": "courier",
            "to": "RIV",
            "subject": finding.what[:200],
            "message": "Please unpack crate C-1.",
            "link": finding.url,
        },
    )
    assert sent.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.to_library, ticket.category.code) == (hw.riverton, "courier")
