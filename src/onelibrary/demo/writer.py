"""Writing a demo plan's parts to the database, in batches.

These use `bulk_create` instead of the apps' actions: they seed an empty database with
tens of thousands of rows, where one action call per row would take minutes, and there
is no history yet for events to record. `generator.load_plan` runs them in one
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils import timezone

from onelibrary.catalog import search, terms
from onelibrary.catalog.marc import title_key
from onelibrary.catalog.models import Item, Title, TitleIdentifier
from onelibrary.demo.collection import ItemPlan, TitlePlan
from onelibrary.demo.people import PatronPlan, StaffPlan
from onelibrary.demo.places import LibraryPlan
from onelibrary.demo.records import build_record
from onelibrary.members.models import Branch, ClosedDate, Library, SharingGroup, StaffRole
from onelibrary.patrons.models import Patron

BATCH = 2000

# stage name, rows done in this call, rows in the stage
Progress = Callable[[str, int, int], None]

T = TypeVar("T")


def report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    """Tell `progress` that `done` more rows of `stage` are written; 0 opens the stage."""
    if progress is not None:
        progress(stage, done, total)


def batches(rows: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_group(name: str, code: str, email: str) -> SharingGroup:
    return SharingGroup.objects.create(name=name, code=code, contact_email=email)


def write_places(plans: Sequence[LibraryPlan]) -> tuple[dict[str, Library], dict[str, Branch]]:
    """Libraries, branches and closed dates; returns both by code."""
    created = Library.objects.bulk_create(
        Library(
            code=lib.code,
            name=lib.name,
            size_class=lib.size_class,
            status=lib.status,
            contact_name=lib.contact_name,
            contact_email=lib.contact_email,
            contact_phone=lib.contact_phone,
            joined_on=lib.joined_on,
        )
        for lib in plans
    )
    libraries = {lib.code: lib for lib in created}
    branches = Branch.objects.bulk_create(
        Branch(
            library=libraries[lib.code],
            code=b.code,
            name=b.name,
            address=b.address,
            town=b.town,
            postcode=b.postcode,
            latitude=b.latitude,
            longitude=b.longitude,
            courier_stop=b.courier_stop,
            open_days=b.open_days,
        )
        for lib in plans
        for b in lib.branches
    )
    by_code = {b.code: b for b in branches}
    ClosedDate.objects.bulk_create(
        ClosedDate(branch=by_code[b.code], date=day, reason=reason)
        for lib in plans
        for b in lib.branches
        for day, reason in b.closed_dates
    )
    return libraries, by_code


def write_titles(
    titles: Sequence[TitlePlan],
    *,
    control_prefix: str,
    entered: dt.date,
    progress: Progress | None = None,
) -> list[int]:
    """Titles with their MARC record and ISBN identifiers, indexed for search.

    Returns the new ids in the order of `titles`.
    """
    now = timezone.now()
    ids: list[int] = []
    report(progress, "titles", 0, len(titles))
    for batch in batches(titles):
        offset = len(ids)
        rows = Title.objects.bulk_create(
            Title(
                title=t.title,
                author=t.author,
                subjects="\n".join(t.subjects),
                isbns=t.isbn,
                format=t.format,
                language=t.language,
                year=t.year,
                publisher=t.publisher,
                title_key=title_key(t.title, t.author, t.year, language=t.language),
                marc=build_record(t, f"{control_prefix}{offset + i + 1:07d}", entered),
                created_at=now,
                updated_at=now,
            )
            for i, t in enumerate(batch)
        )
        batch_ids = [row.pk for row in rows]
        TitleIdentifier.objects.bulk_create(
            TitleIdentifier(title_id=pk, kind=TitleIdentifier.Kind.ISBN, value=t.isbn)
            for pk, t in zip(batch_ids, batch, strict=True)
            if t.isbn
        )
        search.index_titles(batch_ids)
        ids += batch_ids
        report(progress, "titles", len(batch), len(titles))
    terms.refresh_terms()  # the vocabulary "Did you mean" picks from, counted
    return ids


def write_items(
    items: Sequence[ItemPlan],
    title_ids: Sequence[int],
    libraries: dict[str, Library],
    branches: dict[str, Branch],
    progress: Progress | None = None,
) -> int:
    """Copies; `title_ids[item.title_index]` is each copy's title."""
    now = timezone.now()
    report(progress, "copies", 0, len(items))
    for batch in batches(items, 5000):
        Item.objects.bulk_create(
            Item(
                barcode=i.barcode,
                title_id=title_ids[i.title_index],
                owning_library=libraries[i.library],
                home_branch=branches[i.home_branch],
                current_branch=branches[i.current_branch],
                collection=i.collection,
                item_type=i.item_type,
                shelf_location=i.shelf_location,
                call_number=i.call_number,
                price=i.price,
                status=i.status,
                holdable=i.holdable,
                floating=i.floating,
                created_at=now - dt.timedelta(days=i.age_days),
            )
            for i in batch
        )
        report(progress, "copies", len(batch), len(items))
    return len(items)


def write_patrons(
    patrons: Sequence[PatronPlan],
    libraries: dict[str, Library],
    branches: dict[str, Branch],
    progress: Progress | None = None,
) -> None:
    now = timezone.now()
    report(progress, "patrons", 0, len(patrons))
    for batch in batches(patrons):
        Patron.objects.bulk_create(
            Patron(
                card=p.card,
                first_name=p.first_name,
                last_name=p.last_name,
                email=p.email,
                phone=p.phone,
                address=p.address,
                town=p.town,
                postcode=p.postcode,
                birth_date=p.birth_date,
                home_library=libraries[p.home_library],
                preferred_branch=branches[p.preferred_branch],
                category=p.category,
                expires_on=p.expires_on,
                created_at=now - dt.timedelta(days=p.age_days),
            )
            for p in batch
        )
        report(progress, "patrons", len(batch), len(patrons))


def write_staff(staff: Sequence[StaffPlan], libraries: dict[str, Library], password: str) -> None:
    """Staff accounts (all may enter /admin/) with their roles; the central office is a
    superuser."""
    # One hash for every demo account: hashing 160 passwords one by one takes a minute.
    hashed = make_password(password)
    users = User.objects.bulk_create(
        User(
            username=s.username,
            first_name=s.first_name,
            last_name=s.last_name,
            email=s.email,
            password=hashed,
            is_staff=True,
            is_superuser=s.role == StaffRole.Role.CENTRAL_OFFICE,
        )
        for s in staff
    )
    StaffRole.objects.bulk_create(
        StaffRole(user=user, role=s.role, library=libraries[s.library] if s.library else None)
        for user, s in zip(users, staff, strict=True)
    )
