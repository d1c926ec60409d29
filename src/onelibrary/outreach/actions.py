"""Every write of outreach: partners, contacts, interactions, assessments, projects,
indicators, memoranda, their versions and signatures.

Each action validates first and writes in one transaction; a refusal (an
`OutreachRefusal`, with its decision id from docs/outreach.md) means nothing was written.
Pages pass what was typed back to the form with the refusal's message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from onelibrary.core.refusals import Refusal
from onelibrary.members.models import Library
from onelibrary.outreach import mou
from onelibrary.outreach.access import libraries_for
from onelibrary.outreach.models import (
    Contact,
    Indicator,
    IndicatorValue,
    Interaction,
    Memorandum,
    MemorandumVersion,
    NeedsAssessment,
    Partner,
    PartnerKind,
    Project,
    Signature,
)


class OutreachRefusal(Refusal):
    """A refused outreach write; nothing was written."""


# ---- partners -------------------------------------------------------------------------


def _check_partner(staff: User, name: str, libraries: Iterable[Library]) -> list[Library]:
    if not name.strip():
        raise OutreachRefusal(  # PARTNER-1
            "no_name",
            "A partner needs a name: type the organisation's name as it calls itself.",
            decision="PARTNER-1",
        )
    chosen = list(libraries)
    allowed = set(libraries_for(staff).values_list("id", flat=True))
    if not chosen or any(library.id not in allowed for library in chosen):
        raise OutreachRefusal(  # PARTNER-2
            "no_library",
            "Choose at least one member library involved, from the libraries you work for.",
            decision="PARTNER-2",
        )
    return chosen


@transaction.atomic
def create_partner(
    staff: User,
    *,
    name: str,
    kind: PartnerKind,
    libraries: Iterable[Library],
    website: str = "",
    about: str = "",
    partner_offers: str = "",
    partner_needs: str = "",
    library_offers: str = "",
    library_needs: str = "",
) -> Partner:
    chosen = _check_partner(staff, name, libraries)
    partner = Partner.objects.create(
        name=name.strip(),
        kind=kind,
        website=website,
        about=about,
        partner_offers=partner_offers,
        partner_needs=partner_needs,
        library_offers=library_offers,
        library_needs=library_needs,
        created_by=staff,
    )
    partner.libraries.set(chosen)
    return partner


@transaction.atomic
def update_partner(
    staff: User,
    partner: Partner,
    *,
    name: str,
    kind: PartnerKind,
    libraries: Iterable[Library],
    website: str = "",
    about: str = "",
    partner_offers: str = "",
    partner_needs: str = "",
    library_offers: str = "",
    library_needs: str = "",
) -> Partner:
    chosen = _check_partner(staff, name, libraries)
    # Libraries the account does not work for stay involved: staff change only their own.
    others = partner.libraries.exclude(id__in=libraries_for(staff))
    partner.name = name.strip()
    partner.kind = kind
    partner.website = website
    partner.about = about
    partner.partner_offers = partner_offers
    partner.partner_needs = partner_needs
    partner.library_offers = library_offers
    partner.library_needs = library_needs
    partner.save()
    partner.libraries.set([*chosen, *others])
    return partner


def add_contact(
    staff: User, partner: Partner, *, name: str, role: str = "", email: str = "", phone: str = ""
) -> Contact:
    if not name.strip():
        raise OutreachRefusal(
            "no_name", "A contact needs a name.", decision="PARTNER-4"
        )  # PARTNER-4
    return Contact.objects.create(
        partner=partner, name=name.strip(), role=role, email=email, phone=phone
    )


def record_interaction(
    staff: User, partner: Partner, *, kind: str, on: dt.date, notes: str
) -> Interaction:
    if not notes.strip():
        raise OutreachRefusal(  # PARTNER-5
            "no_notes",
            "Say what was discussed or agreed, even in a line: the notes are the history.",
            decision="PARTNER-5",
        )
    return Interaction.objects.create(
        partner=partner, kind=kind, on=on, notes=notes.strip(), recorded_by=staff
    )


def save_assessment(staff: User, partner: Partner, **fields: str) -> NeedsAssessment:
    allowed = {
        "community_needs",
        "strengths",
        "weaknesses",
        "opportunities",
        "threats",
        "chances",
        "chances_note",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not assessment fields: {sorted(unknown)}")
    assessment, _ = NeedsAssessment.objects.update_or_create(partner=partner, defaults=fields)
    return assessment


# ---- projects and indicators ----------------------------------------------------------


def add_project(
    staff: User,
    partner: Partner,
    *,
    name: str,
    description: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Project:
    if not name.strip():
        raise OutreachRefusal("no_name", "A project needs a name.", decision="EVAL-4")
    if starts_on and ends_on and ends_on < starts_on:
        raise OutreachRefusal(  # EVAL-4
            "ends_before_start",
            "The project ends before it starts: check the two dates.",
            decision="EVAL-4",
        )
    return Project.objects.create(
        partner=partner,
        name=name.strip(),
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def as_number(text: str | Decimal, what: str) -> Decimal:
    """EVAL-1: a target or value must be a number, written plainly (12, 3.5, -2)."""
    if isinstance(text, Decimal):
        number = text
    else:
        cleaned = text.strip().replace(",", "")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            number = Decimal("NaN")
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise OutreachRefusal(
            "not_a_number",
            f"The {what} must be a number, such as 12 or 3.5 (you typed “{text}”). "
            "Leave out units and words: the unit has its own field.",
            decision="EVAL-1",
        )
    return number.quantize(Decimal("0.01"))


def add_indicator(
    staff: User,
    project: Project,
    *,
    name: str,
    target: str | Decimal,
    unit: str = "",
    higher_is_better: bool = True,
) -> Indicator:
    if not name.strip():
        raise OutreachRefusal(
            "no_name",
            "An indicator needs a name: what is counted, such as “people attending”.",
            decision="EVAL-5",
        )
    return Indicator.objects.create(
        project=project,
        name=name.strip(),
        unit=unit,
        target=as_number(target, "target"),
        higher_is_better=higher_is_better,
    )


def record_value(
    staff: User, indicator: Indicator, *, on: dt.date, value: str | Decimal, note: str = ""
) -> IndicatorValue:
    number = as_number(value, "value")
    return IndicatorValue.objects.create(
        indicator=indicator, on=on, value=number, note=note, recorded_by=staff
    )


# ---- memoranda ------------------------------------------------------------------------


def start_memorandum(staff: User, partner: Partner, *, title: str) -> Memorandum:
    if not title.strip():
        raise OutreachRefusal(
            "no_title",
            "Give the memorandum a title, such as “Memorandum of understanding: homework help”.",
            decision="MOU-7",
        )
    return Memorandum.objects.create(partner=partner, title=title.strip(), lead=staff)


@transaction.atomic
def save_section(staff: User, memo: Memorandum, *, key: str, text: str) -> Memorandum:
    """Keep what was typed in one section. A signed memorandum being changed is a
    revision: its signed version stays as it was signed (MOU-8)."""
    if key not in mou.BY_KEY:
        raise OutreachRefusal("no_such_section", f"No section {key!r}.", decision="MOU-7")
    memo = Memorandum.objects.select_for_update().get(pk=memo.pk)
    if memo.texts.get(key, "") == text:
        return memo
    memo.texts = {**memo.texts, key: text}
    if memo.status == Memorandum.Status.SIGNED:
        memo.status = Memorandum.Status.REVISING  # MOU-8
    memo.save(update_fields=["texts", "status", "updated_at"])
    return memo


def _new_version(staff: User, memo: Memorandum, *, signed: bool, note: str) -> MemorandumVersion:
    number = (memo.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return MemorandumVersion.objects.create(
        memorandum=memo,
        number=number,
        title=memo.title,
        texts=dict(memo.texts),
        signed=signed,
        saved_by=staff,
        note=note,
    )


@transaction.atomic
def sign_off_draft(staff: User, memo: Memorandum, *, note: str = "") -> MemorandumVersion:
    """MOU-9: a draft signed off by staff is kept as a numbered version, whole."""
    memo = Memorandum.objects.select_for_update().get(pk=memo.pk)
    return _new_version(staff, memo, signed=False, note=note or "Draft signed off")


@transaction.atomic
def mark_signed(
    staff: User,
    memo: Memorandum,
    *,
    library_signer: str,
    library_position: str,
    library_signed_on: dt.date | None,
    partner_signer: str,
    partner_position: str,
    partner_signed_on: dt.date | None,
    today: dt.date,
) -> MemorandumVersion:
    """Record both sides' signatures on the text as it stands, kept as a signed version."""
    memo = Memorandum.objects.select_for_update().get(pk=memo.pk)
    state = mou.completeness(memo.texts)
    if not state.complete:
        raise OutreachRefusal(  # MOU-1
            "incomplete",
            f"It cannot be marked signed while required sections are empty: "
            f"{state.missing_titles()}. Fill them in the builder, then record the signatures.",
            decision="MOU-1",
        )
    sides = (
        ("library", library_signer, library_signed_on),
        ("partner", partner_signer, partner_signed_on),
    )
    unsigned = [side for side, name, on in sides if not name.strip() or on is None]
    if unsigned:
        raise OutreachRefusal(  # MOU-2
            "signer_missing",
            "Record who signed, and on what date, for each side: missing for the "
            + " and the ".join(unsigned)
            + ".",
            decision="MOU-2",
        )
    if any(on is not None and on > today for _, _, on in sides):
        raise OutreachRefusal(  # MOU-4
            "signed_in_future",
            "A signing date is after today: record signatures once they are made.",
            decision="MOU-4",
        )
    version = _new_version(staff, memo, signed=True, note="Signed")
    positions = {"library": library_position, "partner": partner_position}
    for side, name, on in sides:
        assert on is not None
        Signature.objects.create(
            version=version,
            side=side,
            name=name.strip(),
            position=positions[side],
            signed_on=on,
            recorded_by=staff,
        )
    memo.status = Memorandum.Status.SIGNED
    memo.save(update_fields=["status", "updated_at"])
    return version


def set_review_date(staff: User, memo: Memorandum, *, on: dt.date, today: dt.date) -> Memorandum:
    """The date to revisit the memorandum; the lead is emailed on it (MOU-5)."""
    if on < today:
        raise OutreachRefusal(  # MOU-3
            "review_in_past",
            f"The review date {on:%d %B %Y} has passed: choose today or a later date.",
            decision="MOU-3",
        )
    memo.review_on = on
    memo.save(update_fields=["review_on", "updated_at"])
    return memo
