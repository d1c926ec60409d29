"""Who sees which insights: a member's staff their member's pages and the group-wide
tables; a director or board account its own library only, and no staff page anywhere;
the central office everything."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from onelibrary.members.access import scope_of
from onelibrary.members.models import StaffRole
from tests.conftest import make_staff


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def board_pine(world):
    return make_staff("board.pine", StaffRole.Role.BOARD, world.pine)


def test_the_central_office_opens_every_page(world):
    client = as_(world.central)
    for path in (
        "/insights/",
        "/insights/RIV/",
        "/insights/PINE/board/",
        "/insights/costs/",
        "/insights/schedules/",
        "/insights/table/matrix.csv",
    ):
        assert client.get(path).status_code == 200, path


def test_member_staff_see_their_member_and_the_group_but_not_another_member(world):
    client = as_(world.desk_pine)
    assert client.get("/insights/").status_code == 200
    assert client.get("/insights/PINE/").status_code == 200
    assert client.get("/insights/PINE/board/").status_code == 200
    assert client.get("/insights/table/members.xlsx").status_code == 200
    assert client.get("/insights/RIV/").status_code == 404
    assert client.get("/insights/RIV/board/").status_code == 404
    assert client.get("/insights/table/trend.csv", {"member": "RIV"}).status_code == 404
    assert client.get("/insights/table/trend.csv", {"member": "PINE"}).status_code == 200


def test_a_board_account_sees_its_own_library_only(world, board_pine):
    client = as_(board_pine)
    first = client.get("/insights/")
    assert first.status_code == 302 and first["Location"] == "/insights/PINE/board/"
    assert client.get("/insights/PINE/board/").status_code == 200
    assert client.get("/insights/PINE/board.pdf").status_code == 200
    assert client.get("/insights/PINE/").status_code == 200
    board_page = client.get("/insights/PINE/board/").content.decode()
    assert "member=PINE" in board_page  # its trend downloads, as its own table
    assert client.get("/insights/table/trend.xlsx", {"member": "PINE"}).status_code == 200
    for refused in ("/insights/RIV/", "/insights/RIV/board/", "/insights/ELK/board.pdf"):
        assert client.get(refused).status_code == 404, refused
    for group_wide in ("/insights/table/members.csv", "/insights/costs/", "/insights/schedules/"):
        assert client.get(group_wide).status_code == 403, group_wide


def test_a_board_account_is_no_staff_and_opens_no_desk_or_patron_page(world, board_pine):
    scope = scope_of(board_pine)
    assert not scope.is_staff and not scope.acts_for(world.pine.pk)
    assert scope.board == {world.pine.pk}
    client = as_(board_pine)
    staff_pages = [
        reverse(name)
        for name in (
            "desk:home",
            "desk:checkout",
            "desk:checkin",
            "holds:pick_list",
            "holds:shelf",
            "patrons:find",
        )
    ] + [reverse("patrons:record", args=[world.ben.pk])]
    for path in staff_pages:
        assert as_(world.desk_pine).get(path).status_code == 200, path  # the page is real
        response = client.get(path)
        assert response.status_code == 403, (path, response.status_code)
        assert b"Okafor" not in response.content, path
    assert client.get("/admin/").status_code == 302  # to the admin's login
    home = client.get("/").content.decode()
    assert 'href="/desk/"' not in home  # no staff links in the header
    assert 'href="/insights/"' in home


def test_an_account_with_no_role_is_refused(world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert as_(nobody).get("/insights/").status_code == 403
    assert as_(nobody).get("/insights/PINE/board/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(world):
    response = Client().get("/insights/PINE/board/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
