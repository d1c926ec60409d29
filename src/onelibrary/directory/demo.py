"""The demo group's directory: contacts for every member (director and circulation
public; ILL and IT for staff), hours in words for every branch, three procedures linked
from the desk pages, and one ticket from the central office (docs/demo.md)."""

from __future__ import annotations

import random

from django.contrib.auth.models import User

from onelibrary.directory import procedures, tickets
from onelibrary.directory.models import BranchHours, Contact
from onelibrary.members.models import WEEKDAYS, Branch, Library

FIRST = ("Ada", "Bo", "Cas", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lou")
LAST = ("Marsh", "Quill", "Stone", "Reyes", "Okafor", "Lind", "Park", "Vance", "Hart")
FUNCTIONS = (
    (Contact.Function.DIRECTOR, "director", True),
    (Contact.Function.CIRCULATION, "desk", True),
    (Contact.Function.ILL, "ill", False),
    (Contact.Function.IT, "it", False),
)

PROCEDURES = (
    (
        "checking-in",
        "Checking items in",
        "desk:checkin",
        "1. Scan the item's barcode.\n2. Read the instruction on the screen: **hold shelf**, "
        "**send**, or **shelve**.\n3. Put the item where it says at once; a slip prints for "
        "holds.\n\nIf the screen refuses the scan, set the item aside and see "
        "[the unprocessed scans](/desk/unprocessed/).",
    ),
    (
        "unpacking-a-crate",
        "Unpacking a crate",
        "transit:unpack",
        "1. Scan the crate's label.\n2. Scan every item in it.\n3. Items on the manifest "
        "but not in the crate are reported when you finish: open a ticket to the sender "
        "(category *Missing item*).",
    ),
    (
        "pulling-holds",
        "Pulling holds",
        "holds:pick-list",
        "Pull the pick list every morning before the courier comes. A copy not on the "
        "shelf: mark it missing from the list, and the hold goes to another copy.",
    ),
)


def _hours(open_days: str, rng: random.Random) -> str:
    days = [name for name, flag in zip(WEEKDAYS, open_days, strict=True) if flag == "1"]
    if not days:
        return ""
    close = rng.choice(("5", "6", "8"))
    return f"{days[0]}–{days[-1]} 10–{close}" if len(days) > 1 else f"{days[0]} 10–{close}"


def write_directory(seed: int) -> None:
    rng = random.Random(f"onelibrary-demo:{seed}:directory")
    libraries = list(Library.objects.order_by("code"))
    contacts = []
    for library in libraries:
        domain = f"{library.code.lower()}.example.org"
        for function, box, public in FUNCTIONS:
            contacts.append(
                Contact(
                    library=library,
                    function=function,
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    email=f"{box}@{domain}",
                    phone=f"406-555-{rng.randrange(1000, 10000)}",
                    public=public,
                )
            )
    Contact.objects.bulk_create(contacts)
    BranchHours.objects.bulk_create(
        BranchHours(branch=b, hours=_hours(b.open_days, rng))
        for b in Branch.objects.order_by("code")
        if "1" in b.open_days
    )
    central = User.objects.filter(is_superuser=True).order_by("pk").first()
    if central is None or not libraries:
        return
    for slug, title, key, body in PROCEDURES:
        procedures.save_procedure(central, slug=slug, title=title, body=body, applies_to=key)
    tickets.open_ticket(
        central,
        category="policy",
        subject="Your loan rules differ from the group's",
        message="Your default loan period differs from the group's. Is that on purpose? "
        "If so, tell us the board decision; if not, we will align it.",
        to_library=libraries[0],
        concerning=tickets.Concerning(link="/policy/differences/"),
    )
