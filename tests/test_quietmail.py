"""The default email backend: nothing sent, and no address or body in the output."""

from __future__ import annotations

import io

from django.core.mail import EmailMessage

from onelibrary.quietmail import EmailBackend


def test_it_prints_the_subject_and_count_but_no_address_or_body():
    out = io.StringIO()
    message = EmailMessage(
        "Ready for pickup: Dune", "Dear Ada, Dune is waiting.", "from@example.org",
        ["ada@example.org", "ben@example.org"],
    )  # fmt: skip
    assert EmailBackend(stream=out).send_messages([message]) == 1
    text = out.getvalue()
    assert "'Ready for pickup: Dune' to 2 recipients, address withheld" in text
    assert "ada@example.org" not in text and "Dear Ada" not in text
