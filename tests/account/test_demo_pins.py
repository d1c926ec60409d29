"""Demo patrons with a known PIN, printed by `onelibrary demo`, who can log in."""

from __future__ import annotations

import re

from onelibrary.account import actions
from onelibrary.account.demo import DEMO_PIN, demo_patron_logins
from onelibrary.account.models import PatronPin
from tests.demo.test_demo_command import demo, quick_demo  # noqa: F401  (autouse fixture)


def test_the_demo_prints_patron_logins_that_work(db):
    out = demo("--no-serve", "--port", "8123")
    assert "Patrons log in at http://127.0.0.1:8123/account/login/ with card and PIN:" in out
    printed = re.findall(r"^  (\d{14})  PIN (\d+)  ", out, flags=re.MULTILINE)
    assert len(printed) == 2 and all(pin == DEMO_PIN for _, pin in printed)
    for card, pin in printed:
        assert actions.log_in(card, pin, address="127.0.0.1").card == card
    assert PatronPin.objects.filter(set_by="demo").count() == 2
    again = demo("--no-serve")
    assert re.findall(r"^  (\d{14})  PIN", again, flags=re.MULTILINE) == [c for c, _ in printed]
    assert [login.card for login in demo_patron_logins()] == [c for c, _ in printed]
