"""GET /policy/differences.csv: the differences report as a spreadsheet, safely."""

from __future__ import annotations

import csv
import io

from onelibrary.members.models import Library

URL = "/policy/differences.csv"


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_it_writes_the_same_data_as_the_page(world, rules, client):
    client.force_login(world.desk_pine)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *body = rows(response)
    assert header[3:6] == ["library code", "library", "loan period (days)"]
    pine_dvds = next(r for r in body if r[0] == "dvd" and r[3] == "PINE")
    assert pine_dvds[5] == "7"
    assert pine_dvds[header.index("fines")] == "$0.25 a day, up to $5.00"
    assert pine_dvds[-1] == "loan period; fines"
    group_books = next(r for r in body if r[0] == "book" and r[3] == "GROUP")
    assert group_books[5] == "21" and group_books[header.index("fines")] == "fine-free"


def test_it_escapes_cells_a_spreadsheet_would_run_as_formulas(world, rules, client):
    Library.objects.filter(pk=world.elk.pk).update(name='=HYPERLINK("http://evil","x")')
    Library.objects.filter(pk=world.pine.pk).update(name="@SUM(A1)")
    client.force_login(world.central)
    body = rows(client.get(URL))[1:]
    assert {r[4] for r in body if r[3] == "ELK"} == {'\'=HYPERLINK("http://evil","x")'}
    assert {r[4] for r in body if r[3] == "PINE"} == {"'@SUM(A1)"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in body for cell in r)


def test_it_is_for_staff_only(world, rules, client):
    assert client.get(URL).status_code == 302
