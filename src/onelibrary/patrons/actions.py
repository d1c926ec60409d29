"""Every change to patron records: register, update, issue cards, apply the home library
rule, and the central office's permission table and settings.

Each action checks who may, runs in one transaction and writes its `PatronAudit` row;
a refusal (`PatronError`) leaves everything as it was. Merging is in `records.merge`,
export and erasure in `records.privacy` (docs/patrons.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone

from onelibrary.members.access import is_central_office
from onelibrary.members.models import Library
from onelibrary.patrons import audit, cards, duplicates, homerule
from onelibrary.patrons.access import PatronError, find_id, rights_for
from onelibrary.patrons.fields import EDITABLE_FIELDS, FIELD_LABELS, GROUPS, ROLE_RELATIONS
from onelibrary.patrons.models import (
    FieldPermission,
    Patron,
    PatronAudit,
    PatronSettings,
    ServiceArea,
)
from onelibrary.patrons.signals import history_withdrawn

REGISTER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "town",
    "postcode",
    "birth_date",
    "category",
    "preferred_branch",
    "keep_loan_history",
    "expires_on",
)

ID_METHODS = (
    ("photo_id", "Photo ID card or driving licence"),
    ("passport", "Passport"),
    ("library_card_and_pin", "Library card and PIN"),
    ("known_to_staff", "Known to staff personally"),
)


@dataclass(frozen=True)
class IdCheck:
    """That staff of a non-home library checked the patron's ID, and how."""

    checked: bool
    method: str = ""


UNTOLD = "duplicates_for_central_office"  # the register audit row's key for them


class PossibleDuplicates(PatronError):
    def __init__(self, matches: list[duplicates.Match]):
        super().__init__(
            "possible_duplicates",
            f"{len(matches)} existing record{'s' if len(matches) != 1 else ''} may be this "
            "person. Open the record if it is them; register a new record only if not.",
            detail=[{"patron": m.pk, "reasons": list(m.reasons)} for m in matches],
        )
        self.matches = matches


def require_central_office(staff: User, doing: str) -> None:
    if not is_central_office(staff):
        raise PatronError("not_permitted", f"Only the central office may {doing}.")


# --- cards ------------------------------------------------------------------------------


@transaction.atomic
def issue_card() -> str:
    """The next unused card number of the group's scheme (docs/patrons.md, 'Cards')."""
    settings = PatronSettings.objects.select_for_update().get(pk=PatronSettings.current().pk)
    sequence = settings.next_card_sequence
    card = cards.card_number(settings.card_prefix, sequence)
    if Patron.objects.filter(card=card).exists():
        # Cards were added another way (a member's import): continue after the highest.
        highest = (
            Patron.objects.annotate(length=Length("card"))
            .filter(card__startswith=settings.card_prefix, length=cards.CARD_LENGTH)
            .order_by("-card")
            .values_list("card", flat=True)
            .first()
        )
        sequence = max(sequence, (cards.sequence_of(settings.card_prefix, highest or "") or 0)) + 1
        card = cards.card_number(settings.card_prefix, sequence)
    PatronSettings.objects.filter(pk=settings.pk).update(next_card_sequence=sequence + 1)
    return card


# --- duplicates and the home library rule -----------------------------------------------


def as_person(patron: Patron) -> duplicates.Person:
    return duplicates.Person(
        pk=patron.pk,
        first_name=patron.first_name,
        last_name=patron.last_name,
        birth_date=patron.birth_date,
        email=patron.email,
        address=patron.address,
        town=patron.town,
        postcode=patron.postcode,
    )


def find_duplicates(
    staff: User, data: Mapping[str, Any]
) -> tuple[list[duplicates.Match], list[duplicates.Match]]:
    """Possible duplicates among active records, as (told, untold): the matches `staff` may
    be told, with only the reasons they may see, and those resting only on fields hidden
    from them, which only the central office is told (docs/patrons.md, 'Duplicates').

    The database narrows, Python decides.
    """
    new = duplicates.Person(
        pk=None,
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        birth_date=data.get("birth_date"),
        email=data.get("email", ""),
        address=data.get("address", ""),
        town=data.get("town", ""),
        postcode=data.get("postcode", ""),
    )
    near = Q()
    for name in (new.last_name, new.first_name):
        for stem in {name.strip()[:2], duplicates.plain(name)[:2]}:
            if stem:
                near |= Q(last_name__istartswith=stem)
    if new.birth_date:
        near |= Q(birth_date=new.birth_date)
    if new.email:
        near |= Q(email__iexact=new.email.strip())
    if new.postcode.strip():
        near |= Q(postcode__iexact=new.postcode.strip())
    if not near:
        return [], []
    pool = list(Patron.objects.filter(near, merged_into=None, erased_at=None).order_by("pk")[:5000])
    homes = {p.pk: p.home_library_id for p in pool}
    sees: dict[int, frozenset[str]] = {}  # home library -> the groups staff may see there
    told, untold = [], []
    for match in duplicates.all_matches(new, (as_person(p) for p in pool)):
        home = homes[match.pk]
        if home not in sees:
            sees[home] = rights_for(staff, home).grant.view_groups
        seen = duplicates.as_seen(match, sees[home])
        if seen is None:
            untold.append(match)
        else:
            told.append(seen)
    return duplicates.strongest(told), duplicates.strongest(untold)


def service_areas() -> dict[tuple[str, str], int]:
    return {(a.kind, a.value): a.library_id for a in ServiceArea.objects.all()}


def home_for(
    patron: Patron | None,
    *,
    registering: int | None,
    postcode: str,
    town: str,
    settings: PatronSettings,
    areas: Mapping[tuple[str, str], int],
) -> homerule.HomeDecision | None:
    return homerule.home_library_for(
        settings.home_library_rule,
        current=patron.home_library_id if patron else None,
        registering=registering,
        postcode=postcode,
        town=town,
        areas=areas,
    )


# --- register and update ----------------------------------------------------------------


def years_from_today(years: int) -> dt.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


@transaction.atomic
def register_patron(
    staff: User,
    data: Mapping[str, Any],
    *,
    library: Library,
    card: str = "",
    confirm_new: bool = False,
    via: str = PatronAudit.Via.PAGE,
) -> Patron:
    """A new record, registered by `library`'s staff. Possible duplicates are refused
    (`PossibleDuplicates`) until staff confirm the person is new (`confirm_new`)."""
    rights = rights_for(staff, library.pk, library=library)
    unknown = set(data) - set(REGISTER_FIELDS)
    if unknown:
        raise ValueError(f"not registration fields: {sorted(unknown)}")
    matches, untold = find_duplicates(staff, data)
    if matches and not confirm_new:
        raise PossibleDuplicates(matches)
    settings = PatronSettings.current()
    if card:
        try:
            card = cards.check_card(card)
        except cards.CardError as error:
            raise PatronError("invalid_card", error.message) from error
        if Patron.objects.filter(card=card).exists():
            raise PatronError("card_in_use", f"Card {card} already belongs to a patron.")
    else:
        card = issue_card()
    home = home_for(
        None,
        registering=library.pk,
        postcode=data.get("postcode", ""),
        town=data.get("town", ""),
        settings=settings,
        areas=service_areas(),
    )
    assert home is not None  # a registering library is always known here
    values = dict(data)
    if values.get("expires_on") is None:
        values["expires_on"] = years_from_today(settings.card_years)
    patron = Patron.objects.create(
        card=card, home_library_id=home.library_id, registered_at=library, **values
    )
    shown = {k: v for k, v in values.items() if v not in ("", None)}
    audit.write(
        staff,
        patron,
        PatronAudit.Action.REGISTER,
        via=via,
        library_id=rights.library_id,
        fields=["card", "home_library", *shown],
        changes={"card": [None, card], **{k: [None, v] for k, v in shown.items()}},
        detail={
            "home_rule": home.case,
            "home_library": patron.home_library.code,
            "confirmed_new_despite": [m.pk for m in matches],
            # Matches on fields the registering staff may not see: for the central office's
            # review (/patrons/duplicates/), never shown to them.
            **(
                {UNTOLD: [{"patron": m.pk, "reasons": list(m.reasons)} for m in untold]}
                if untold
                else {}
            ),
        },
    )
    return patron


@transaction.atomic
def update_patron(
    staff: User,
    pk: int,
    changes: Mapping[str, Any],
    *,
    id_check: IdCheck | None = None,
    via: str = PatronAudit.Via.PAGE,
    library: Library | None = None,
) -> Patron:
    """Change the fields given; all or nothing. Refused when any field is not the staff
    member's to change, or when staff of another library have not recorded an ID check."""
    patron = Patron.objects.select_for_update().get(pk=find_id(pk).pk)
    rights = rights_for(staff, patron.home_library_id, library=library)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable patron fields: {sorted(unknown)}")
    changed = {
        name: [getattr(patron, name), value]
        for name, value in changes.items()
        if getattr(patron, name) != value
    }
    forbidden = [n for n in changed if n not in rights.grant.editable_fields]
    if forbidden:
        raise PatronError(
            "not_permitted",
            "You may not change "
            + ", ".join(FIELD_LABELS[n].lower() for n in forbidden)
            + " on this record. Nothing was saved.",
            detail=[{"field": n} for n in forbidden],
        )
    if not changed:
        return patron
    detail: dict[str, Any] = {}
    if rights.needs_id_check:
        if id_check is None or not id_check.checked or not id_check.method:
            raise PatronError(
                "id_check_required",
                f"{patron.home_library.name} is this patron's home library. Check the "
                "patron's ID and record how before you change the record. Nothing was saved.",
            )
        if id_check.method not in dict(ID_METHODS):
            raise PatronError("invalid_input", "Choose how the ID was checked from the list.")
        detail["id_check"] = id_check.method
    for name, (_, new) in changed.items():
        setattr(patron, name, new)
    patron.save(update_fields=list(changed))
    if "keep_loan_history" in changed and not patron.keep_loan_history:
        detail["history_unlinked"] = forget_loan_history(patron)
    audit.write(
        staff,
        patron,
        PatronAudit.Action.EDIT,
        via=via,
        library_id=rights.library_id,
        fields=list(changed),
        changes=changed,
        detail=detail,
    )
    return patron


def forget_loan_history(patron: Patron) -> int:
    """The patron withdrew the opt-in: the part that keeps loans (circulation, above this
    one) cuts their link to returned loans, as check-in would have. Returns the loans
    unlinked. A signal, because loans are not the patrons part's to change."""
    # A response is whatever the receiver returns (here a count); django-stubs says str | None.
    answers: list[tuple[Any, Any]] = history_withdrawn.send(sender=Patron, patron=patron)
    return sum(int(unlinked) for _receiver, unlinked in answers)


# --- the home library review -------------------------------------------------------------


@dataclass(frozen=True)
class HomeChange:
    patron_id: int
    card: str
    name: str
    current: int
    proposed: int
    case: str
    reason: str


def home_changes(*, patron_ids: Iterable[int] | None = None) -> list[HomeChange]:
    """Active records whose home library the group's rule would change."""
    settings = PatronSettings.current()
    areas = service_areas()
    found = Patron.objects.filter(merged_into=None, erased_at=None).order_by("last_name", "pk")
    if patron_ids is not None:
        found = found.filter(pk__in=list(patron_ids))
    changes = []
    for patron in found.only(
        "card", "first_name", "last_name", "home_library", "registered_at", "postcode", "town"
    ).iterator():
        decision = home_for(
            patron,
            registering=patron.registered_at_id,
            postcode=patron.postcode,
            town=patron.town,
            settings=settings,
            areas=areas,
        )
        if decision is not None and decision.library_id != patron.home_library_id:
            changes.append(
                HomeChange(
                    patron.pk,
                    patron.card,
                    f"{patron.first_name} {patron.last_name}",
                    patron.home_library_id,
                    decision.library_id,
                    decision.case,
                    decision.reason,
                )
            )
    return changes


@transaction.atomic
def apply_home_changes(
    staff: User, patron_ids: Iterable[int], *, via: str = PatronAudit.Via.PAGE
) -> int:
    """Move the chosen records to the home library the rule gives now; audited each."""
    require_central_office(staff, "change patrons' home libraries")
    ids = list(patron_ids)
    list(Patron.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    libraries = Library.objects.in_bulk()
    applied = 0
    for change in home_changes(patron_ids=ids):
        patron = Patron.objects.get(pk=change.patron_id)
        old, new = libraries[change.current], libraries[change.proposed]
        Patron.objects.filter(pk=patron.pk).update(home_library=new)
        audit.write(
            staff,
            patron,
            PatronAudit.Action.HOME_CHANGE,
            via=via,
            library_id=None,
            fields=["home_library"],
            changes={"home_library": [old, new]},
            detail={"rule": change.case, "reason": change.reason},
        )
        applied += 1
    return applied


@transaction.atomic
def move_home(staff: User, patron_ids: Iterable[int], library: Library, *, reason: str) -> int:
    """Move the chosen records to `library` as their home (a member leaving the group, say);
    audited each, with the reason. Central office only."""
    require_central_office(staff, "change patrons' home libraries")
    moved = 0
    for patron in Patron.objects.select_for_update().filter(pk__in=list(patron_ids)):
        old = patron.home_library
        if old.pk == library.pk:
            continue
        Patron.objects.filter(pk=patron.pk).update(home_library=library)
        audit.write(
            staff,
            patron,
            PatronAudit.Action.HOME_CHANGE,
            via=PatronAudit.Via.PAGE,
            library_id=None,
            fields=["home_library"],
            changes={"home_library": [old, library]},
            detail={"reason": reason},
        )
        moved += 1
    return moved


# --- the central office's table and settings ----------------------------------------------


@transaction.atomic
def save_permission_table(
    staff: User, table: Mapping[tuple[str, str, str], tuple[bool, bool]]
) -> int:
    """Replace the field-permission table; the identity group stays viewable and an edit
    right brings the view right. Changes are logged by django-auditlog. Returns rows changed."""
    require_central_office(staff, "change the field permission table")
    changed = 0
    for role, relation in ROLE_RELATIONS:
        for group in GROUPS:
            can_view, can_edit = table.get((role, relation, group), (False, False))
            can_view = can_view or can_edit or group == "identity"
            row, created = FieldPermission.objects.get_or_create(
                role=role,
                relation=relation,
                field_group=group,
                defaults={"can_view": can_view, "can_edit": can_edit},
            )
            if not created and (row.can_view, row.can_edit) != (can_view, can_edit):
                row.can_view, row.can_edit = can_view, can_edit
                row.save()
                changed += 1
            changed += created
    return changed


@transaction.atomic
def save_patron_settings(staff: User, values: Mapping[str, Any]) -> PatronSettings:
    require_central_office(staff, "change the group's patron settings")
    settings = PatronSettings.current()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    return settings
