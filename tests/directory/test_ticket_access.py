"""Who sees a ticket: the staff of its two parties and the central office; to anyone else
its id answers like one that does not exist, and nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client

from onelibrary.directory import tickets
from onelibrary.directory.models import Ticket, TicketMessage
from onelibrary.patrons.models import PatronAudit
from tests.conftest import make_staff
from tests.web.conftest import client_for


@pytest.fixture
def asked(world) -> Ticket:
    """Pine Creek asks Riverton about Ada's loan of Dune."""
    return tickets.open_ticket(
        world.desk_pine,
        category="patron",
        subject="Ada's loan",
        message="Ada says she returned Dune here.",
        to_library=world.riverton,
        concerning=tickets.Concerning(patron_card=world.ada.card, item_barcode="31000000000011"),
    )


def test_both_parties_and_the_central_office_see_it(world, asked):
    for user in (world.desk_pine, world.desk_riv, world.admin_riv, world.central):
        response = client_for(user).get(f"/tickets/{asked.pk}/")
        assert response.status_code == 200, user
        assert "Ada says she returned Dune here." in response.content.decode()
    for user in (world.desk_pine, world.desk_riv, world.central):
        assert asked in tickets.visible_tickets(user)


def test_another_member_s_staff_get_not_found_and_change_nothing(world, asked):
    elk = client_for(make_staff("desk.elk", "desk", world.elk))
    audits = PatronAudit.objects.count()
    mine = elk.get(f"/tickets/{asked.pk}/")
    nothing = elk.get("/tickets/999999/")
    assert mine.status_code == nothing.status_code == 404
    assert f"There is no ticket #{asked.pk}." in mine.content.decode()
    assert "There is no ticket #999999." in nothing.content.decode()
    assert "Lindqvist" not in mine.content.decode()
    response = elk.post(f"/tickets/{asked.pk}/reply/", {"message": "Not ours", "close": "on"})
    assert response.status_code == 404
    asked.refresh_from_db()
    assert asked.status == Ticket.Status.OPEN and asked.messages.count() == 1
    assert PatronAudit.objects.count() == audits
    assert "Ada&#x27;s loan" not in elk.get("/tickets/").content.decode()


def test_the_public_is_sent_to_log_in(asked):
    assert Client().get(f"/tickets/{asked.pk}/").status_code == 302


def test_the_ticket_page_reads_the_patron_through_patron_access(world, asked):
    before = PatronAudit.objects.filter(staff=world.desk_riv).count()
    html = client_for(world.desk_riv).get(f"/tickets/{asked.pk}/").content.decode()
    assert "Ada Lindqvist" in html and world.ada.card in html
    audit = PatronAudit.objects.filter(staff=world.desk_riv).latest("pk")
    assert PatronAudit.objects.filter(staff=world.desk_riv).count() == before + 1
    assert audit.detail["context"] == f"ticket {asked.pk}"


def test_a_reply_through_the_page_answers_it(world, asked):
    response = client_for(world.desk_riv).post(
        f"/tickets/{asked.pk}/reply/", {"message": "Found it on our shelf."}
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Ticket.Status.ANSWERED


def test_the_new_ticket_page_refuses_bad_input_and_writes_nothing(world):
    client = client_for(world.desk_pine)
    before = Ticket.objects.count(), TicketMessage.objects.count()
    response = client.post("/tickets/new/", {"category": "damaged", "to": "RIV", "message": ""})
    assert response.status_code == 422
    assert "Write a message" in response.content.decode()
    response = client.post(
        "/tickets/new/",
        {"category": "damaged", "to": "RIV", "message": "Wet", "patron": "29999999999999"},
    )
    assert response.status_code == 422 and "No patron has the card" in response.content.decode()
    assert (Ticket.objects.count(), TicketMessage.objects.count()) == before


def test_another_page_links_to_a_ticket_filled_in(world):
    client = client_for(world.desk_pine)
    form = client.get("/tickets/new/?category=courier&to=ELK&link=/transit/late/").content.decode()
    assert '<option value="courier" selected>' in form
    assert '<option value="ELK" selected>' in form
    assert 'value="/transit/late/"' in form
    response = client.post(
        "/tickets/new/",
        {"category": "courier", "to": "ELK", "message": "Late crate", "link": "/transit/late/"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.pk}/"
    assert ticket.to_library == world.elk and ticket.link == "/transit/late/"
