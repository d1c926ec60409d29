"""Bibliographic records, call numbers and copies → titles and items.

Records go through the catalog's own importer (`catalog.importer.import_marc`), so they
match, merge and index as any MARC file would; copies are written here, because an
Evergreen copy says more than a MARC holdings field (status, circ_lib, dates, flags).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from onelibrary.catalog.importer import import_marc
from onelibrary.catalog.marc import BadRecord, HoldingsProfile
from onelibrary.catalog.marcfile import read_marc
from onelibrary.catalog.models import Item, TitleSource
from onelibrary.catalog.search import index_titles
from onelibrary.evergreen.copytext import Row
from onelibrary.evergreen.mapping import COPY_STATUS, LOSSY_STATUS, is_true, money, timestamp
from onelibrary.evergreen.run import Kind, Run
from onelibrary.members.models import Library

# Evergreen keeps copies in asset.copy, not in the record: no field of the record is a
# copy. 999 is not a field Evergreen writes; a record that has one keeps it in its source.
NO_HOLDINGS = HoldingsProfile(name="evergreen", tag="999", barcode="")
_POSITION = re.compile(r"record (\d+): (.*)$")


def load_titles(run: Run) -> None:
    dump = run.dump
    volumes = [v for v in dump.rows("asset.call_number") if v["deleted"] == "0"]
    with_copies = {c["call_number"] for c in dump.rows("asset.copy") if c["deleted"] == "0"}
    owner_of: dict[str, Library] = {}
    # A record is kept as sent by the library of its first volume that has copies, else
    # of its first volume at all, else by the first member (Evergreen records have no owner).
    for has_copies in (True, False):
        for volume in sorted(volumes, key=lambda v: int(v["id"] or 0)):
            library = run.library_of(volume["owning_lib"])
            if library and (volume["id"] in with_copies) == has_copies:
                owner_of.setdefault(volume["record"] or "", library)
    first = next(iter(run.libraries.values()), None)
    batches: dict[Library, list[Row]] = defaultdict(list)
    live = 0
    for record in dump.rows("biblio.record_entry"):
        if is_true(record["deleted"]):
            run.skip(
                f"biblio.record_entry id {record['id']}: deleted in Evergreen, not carried over"
            )
            continue
        live += 1
        if run.keys.get(Kind.TITLE, record["id"]) is not None:
            continue
        library = owner_of.get(record["id"] or "", first)
        if library is None:
            run.skip(f"biblio.record_entry id {record['id']}: no member library to keep it")
            live -= 1
            continue
        batches[library].append(record)
    created = refused = 0
    with tempfile.TemporaryDirectory(prefix="evergreen-") as tmp:
        for library, records in batches.items():
            made = _import_records(run, library, records, Path(tmp) / f"{library.code}.xml")
            created += made
            refused += len(records) - made
    run.count("titles", created=created, mapped=live - refused)


def _import_records(run: Run, library: Library, records: list[Row], path: Path) -> int:
    """One MARCXML file of these records through the catalog importer; keys for those
    that became titles, a line for those that did not."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        for record in records:
            fh.write(re.sub(r"^\s*<\?xml[^>]*\?>", "", record["marc"] or "") + "\n")
    summary = import_marc([path], library=library, profile=NO_HOLDINGS)
    ids = {n: r["id"] or "" for n, r in enumerate(records, start=1)}
    for note in summary.warnings:
        if at := _POSITION.search(note):
            run.skip(f"biblio.record_entry id {ids[int(at.group(1))]}: {at.group(2)}")
    reasons = {int(str(r["position"])): str(r["reason"]) for r in summary.rejected}
    hashes: dict[int, str] = {}
    with path.open("rb") as fh:
        for found in read_marc(fh, NO_HOLDINGS):
            if isinstance(found, BadRecord):
                reasons.setdefault(found.position, found.reason)
            else:
                hashes[found.position] = found.record_hash
    titles = dict(
        TitleSource.objects.filter(library=library, record_hash__in=hashes.values()).values_list(
            "record_hash", "title_id"
        )
    )
    pairs = []
    for position, eid in ids.items():
        title_id = titles.get(hashes.get(position, ""))
        if title_id is None:
            why = reasons.get(position, "the catalog importer did not take it")
            run.skip(f"biblio.record_entry id {eid}: {why} (not imported)")
        else:
            pairs.append((eid, title_id))
    run.keys.remember(Kind.TITLE, pairs)
    return len(pairs)


def load_items(run: Run) -> None:
    dump = run.dump
    volumes = dump.by_id("asset.call_number")
    locations = dump.by_id("asset.copy_location")
    taken = set(Item.objects.values_list("barcode", flat=True))
    new: list[tuple[str, Item]] = []
    live = 0
    why_not: Counter[str] = Counter()
    lossy: Counter[str] = Counter()
    prefixed = 0
    for copy in dump.rows("asset.copy"):
        eid = copy["id"] or ""
        if copy["deleted"] == "1":
            why_not["deleted in Evergreen"] += 1
            continue
        volume = volumes.get(copy["call_number"] or "")
        if volume is None or volume["deleted"] == "1":
            why_not["its call number is deleted or missing"] += 1
            continue
        title_id = run.keys.get(Kind.TITLE, volume["record"])
        if title_id is None:
            why_not["its record did not come over (deleted or refused)"] += 1
            continue
        branch = run.branches.get(copy["circ_lib"] or "")
        if branch is None:
            why_not["its circ_lib is not a branch"] += 1
            continue
        live += 1
        if copy["status"] in LOSSY_STATUS:
            lossy[copy["status"] or ""] += 1
        if volume["prefix"] not in (None, "-1") or volume["suffix"] not in (None, "-1"):
            prefixed += 1
        if run.keys.get(Kind.ITEM, eid) is not None:
            continue
        barcode = (copy["barcode"] or "").strip()
        if not barcode or barcode in taken:
            run.skip(f"asset.copy id {eid}: barcode {barcode!r} is empty or already used")
            live -= 1
            continue
        taken.add(barcode)
        status, _ = COPY_STATUS.get(copy["status"] or "", (None, ""))
        if status is None:
            run.skip(f"asset.copy id {eid}: status {copy['status']} is not one of Evergreen's own")
            live -= 1
            continue
        location = locations.get(copy["location"] or "")
        acquired = timestamp(copy["active_date"]) or timestamp(copy["create_date"])
        item = Item(
            barcode=barcode[:64],
            title_id=title_id,
            owning_library=branch.library,
            home_branch=branch,
            current_branch=branch,
            item_type=(copy["circ_modifier"] or "")[:32],
            shelf_location=((location["name"] or "") if location else "")[:64],
            call_number=(volume["label"] or "")[:100],
            price=money(copy["price"]),
            status=status,
            holdable=is_true(copy["holdable"])
            and (location is None or is_true(location["holdable"])),
            floating=False,
        )
        if acquired is not None:
            # Evergreen's active date is when the copy went on the shelf: see docs/migration.md.
            item.created_at = acquired
            item.acquired_on = acquired.date()
        new.append((eid, item))
    Item.objects.bulk_create([item for _, item in new], batch_size=500)
    pks = dict(
        Item.objects.filter(barcode__in=[i.barcode for _, i in new]).values_list("barcode", "pk")
    )
    run.keys.remember(Kind.ITEM, [(eid, pks[item.barcode]) for eid, item in new])
    index_titles(sorted({item.title_id for _, item in new}))
    for why, count in sorted(why_not.items()):
        run.skip(f"asset.copy: {count} copies not carried over: {why}")
    for status, count in sorted(lossy.items()):
        name = COPY_STATUS[status][1]
        run.skip(
            f"asset.copy: {count} copies with status {status} ({name}): {LOSSY_STATUS[status]}"
        )
    _flags(run, prefixed)
    run.count("items", created=len(new), mapped=live)


def _flags(run: Run, prefixed: int) -> None:
    """Copy and location settings our items have no place for, counted once each."""
    copies = [c for c in run.dump.rows("asset.copy") if c["deleted"] != "1"]
    for column, flagged_when, text in (
        ("circulate", False, "do not circulate"),
        ("opac_visible", False, "are hidden from the public catalog"),
        ("ref", True, "are reference copies"),
    ):
        wrong = sum(1 for c in copies if is_true(c[column]) == flagged_when)
        if wrong:
            run.skip(f"asset.copy: {wrong} copies {text}; our items have no such flag")
    floating = sum(1 for c in copies if c["floating"] is not None)
    if floating:
        run.skip(f"asset.copy: {floating} copies float by their own setting; ours float by rule")
    if prefixed:
        run.skip(
            f"asset.call_number: {prefixed} call numbers have a prefix or suffix, whose table "
            "is not in the dump; the label alone is the call number"
        )
    for location in run.dump.rows("asset.copy_location"):
        if not is_true(location["circulate"]) or not is_true(location["opac_visible"]):
            run.skip(
                f"asset.copy_location id {location['id']} ({location['name']}): 'circulate' or "
                "'OPAC visible' off has no place; the name becomes the shelf location"
            )
