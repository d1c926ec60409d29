"""Everything a patron changes online, and the login that lets them.

Each action takes the logged-in patron, finds what it changes through `account.access`
(scoped to that patron), calls the owning app's action — `circulation.actions.renew`,
`holds.actions`, and the desk's `circulation.holds_desk.cancel_hold` (a cancelled hold's
copy may move) — with no staff user: the patron, and writes a `PatronAudit` row with via
"self" and no staff in the same transaction. A refusal (`AccountError`, or the
`CirculationError`/`HoldError` of the action called) changes nothing. docs/account.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.account import pins, ratelimit
from onelibrary.account.access import AccountError, find_pickup, my_hold, my_loan, my_notices
from onelibrary.account.models import LoginAttempt, PatronPin
from onelibrary.catalog.models import Title
from onelibrary.circulation import actions as circulation
from onelibrary.circulation import holds_desk
from onelibrary.holds import actions as holds
from onelibrary.holds.models import Hold
from onelibrary.patrons import audit, cards
from onelibrary.patrons.access import PatronError, access_patron
from onelibrary.patrons.actions import forget_loan_history
from onelibrary.patrons.models import Patron, PatronAudit
from onelibrary.records.privacy import export_data

SELF = PatronAudit.Via.SELF
KEEP_ATTEMPTS = dt.timedelta(days=1)


def _audit(patron: Patron, action: str, fields: list[str], **extra: Any) -> PatronAudit:
    return audit.write(None, patron, action, via=SELF, library_id=None, fields=fields, **extra)


# --- logging in -------------------------------------------------------------------------


def card_key(typed: str) -> str:
    return cards.normalise(typed.strip())[:64]


def _failures(query: Any, now: dt.datetime, limit: ratelimit.Limit) -> list[dt.datetime]:
    return list(
        query.filter(ok=False, at__gt=now - limit.lookback, at__lte=now).values_list(
            "at", flat=True
        )
    )


def _card_failures(card: str, now: dt.datetime) -> list[dt.datetime]:
    """Failures for the card since its last successful login (RATE-1)."""
    attempts = LoginAttempt.objects.filter(card=card)
    last_ok = attempts.filter(ok=True, at__lte=now).order_by("-at").values_list("at", flat=True)
    found = _failures(attempts, now, ratelimit.CARD_LIMIT)
    since = last_ok.first()
    return [t for t in found if since is None or t > since]


def lock_message(until: dt.datetime, now: dt.datetime, what: str) -> str:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    local = timezone.localtime(until)
    return (
        f"Too many wrong PINs {what}. For your safety, logging in is paused until "
        f"{local:%H:%M} ({minutes} minute{'s' if minutes != 1 else ''} from now). "
        "Try again then, or ask at any library desk to have your PIN reset."
    )


def check_lock(card: str, address: str, now: dt.datetime) -> None:
    until = ratelimit.locked_until(_card_failures(card, now), now, ratelimit.CARD_LIMIT)
    if until is not None:
        raise AccountError("locked", lock_message(until, now, "for this card"))
    by_address = _failures(
        LoginAttempt.objects.filter(address=address), now, ratelimit.ADDRESS_LIMIT
    )
    until = ratelimit.locked_until(by_address, now, ratelimit.ADDRESS_LIMIT)
    if until is not None:
        raise AccountError("locked", lock_message(until, now, "from this computer"))


def _pin_of(card: str, typed: str) -> tuple[Patron | None, PatronPin | None]:
    """The record (active, or the tombstone of a merged card) and its PIN, if any."""
    records = Patron.objects.select_related("pin", "home_library")
    patron = records.filter(card__in={typed, card}, merged_into=None, erased_at=None).first()
    if patron is None:
        patron = records.filter(card=f"merged:{card}").first()
    return patron, getattr(patron, "pin", None) if patron is not None else None


def log_in(card: str, pin: str, *, address: str, now: dt.datetime | None = None) -> Patron:
    """The patron whose card and PIN these are. Refused alike for an unknown card, a card
    without a PIN and a wrong PIN (nobody learns which cards exist); refused while the card
    or the address is locked (RATE-1, RATE-2), without looking at the PIN."""
    now = now or timezone.now()
    key = card_key(card)
    if not key or not pin:
        raise AccountError(
            "invalid_input",
            "Type your card number and your PIN.",
            field="card" if not key else "pin",
        )
    check_lock(key, address, now)
    patron, stored = _pin_of(key, card.strip())
    # check_password runs the hasher even for an unusable hash ("!"): about the same time.
    ok = check_password(pin, stored.pin_hash if stored is not None else "!")
    LoginAttempt.objects.create(at=now, card=key, address=address, ok=ok)
    LoginAttempt.objects.filter(at__lt=now - KEEP_ATTEMPTS).delete()
    if not ok or patron is None:
        left = ratelimit.tries_left(_card_failures(key, now), now, ratelimit.CARD_LIMIT)
        warning = (
            f" {left} more wrong tr{'ies' if left != 1 else 'y'} and logging in with this "
            "card is paused for 15 minutes."
            if left
            else ""
        )
        check_lock(key, address, now)  # this failure may be the one that locks
        raise AccountError(
            "bad_login",
            "The card number or PIN is not right. Check both and try again." + warning,
        )
    if patron.merged_into_id is not None:
        survivor = patron
        while survivor.merged_into_id is not None:
            survivor = Patron.objects.get(pk=survivor.merged_into_id)
        raise AccountError(
            "card_merged",
            "This card's record was merged into your record with the card ending in "
            f"{survivor.card[-4:]}. Log in with that card; if you do not know its PIN, "
            "ask at any library desk.",
        )
    return patron


# --- PINs ---------------------------------------------------------------------------------


def _save_pin(patron: Patron, pin: str, set_by: str, now: dt.datetime) -> PatronPin:
    found, _ = PatronPin.objects.update_or_create(
        patron=patron, defaults={"pin_hash": make_password(pin), "set_at": now, "set_by": set_by}
    )
    return found


def change_pin(
    patron: Patron,
    old: str,
    new: str,
    again: str,
    *,
    address: str,
    now: dt.datetime | None = None,
) -> None:
    """The patron changes their PIN, giving the old one. A wrong old PIN counts as a
    failed login for the card (so a session left open cannot be used to guess it). The new
    PIN ends the patron's other sessions (`account.session`)."""
    now = now or timezone.now()
    key = card_key(patron.card)
    check_lock(key, address, now)
    stored = PatronPin.objects.filter(patron=patron).first()
    if stored is None or not check_password(old, stored.pin_hash):
        LoginAttempt.objects.create(at=now, card=key, address=address, ok=False)
        raise AccountError(
            "wrong_pin", "Your current PIN is not right. Nothing was changed.", field="old_pin"
        )
    problems = pins.pin_problems(new, again, card=patron.card)
    if problems:
        field, message = next(iter(problems.items()))
        raise AccountError("invalid_input", message + " Nothing was changed.", field=field)
    with transaction.atomic():
        _save_pin(patron, new, PatronPin.SetBy.PATRON, now)
        _audit(patron, PatronAudit.Action.EDIT, ["pin"], detail={"reason": "PIN changed online"})


@transaction.atomic
def set_pin_by_staff(
    staff: User,
    card: str,
    pin: str,
    again: str,
    *,
    id_method: str = "",
    now: dt.datetime | None = None,
) -> Patron:
    """Staff set a patron's PIN (a new card, a forgotten PIN). Staff who may change the
    record (`access_patron` with purpose "edit"); away from home, the ID check is recorded."""
    now = now or timezone.now()
    view = access_patron(staff, card, purpose="edit", context="set PIN")
    if view.rights.needs_id_check and not id_method:
        raise PatronError(
            "id_check_required",
            f"{view.home_library.name} is this patron's home library. Check the patron's ID "
            "and say how before you set a PIN. Nothing was saved.",
        )
    problems = pins.pin_problems(pin, again, card=view.card)
    if problems:
        field, message = next(iter(problems.items()))
        raise AccountError("invalid_input", message + " Nothing was saved.", field=field)
    patron = Patron.objects.get(pk=view.pk)
    _save_pin(patron, pin, PatronPin.SetBy.STAFF, now)
    LoginAttempt.objects.create(at=now, card=card_key(patron.card), address="staff", ok=True)
    audit.write(
        staff,
        patron,
        PatronAudit.Action.EDIT,
        via=PatronAudit.Via.PAGE,
        library_id=view.rights.library_id,
        fields=["pin"],
        detail={"reason": "PIN set by staff", **({"id_check": id_method} if id_method else {})},
    )
    return patron


# --- loans --------------------------------------------------------------------------------


@transaction.atomic
def renew(patron: Patron, loan_id: int, *, now: dt.datetime | None = None) -> circulation.Outcome:
    """Renew one of the patron's loans (circulation's RENEW rules; `staff` None: the
    patron, recorded on the Event as by_patron)."""
    loan = my_loan(patron, loan_id)
    before = loan.due_date
    outcome = circulation.renew(loan, staff=None, now=now)
    after = outcome.loan.due_date if outcome.loan else before
    _audit(
        patron,
        PatronAudit.Action.EDIT,
        ["loans"],
        changes={f"loan {loan.pk} due": [before, after]},
        detail={"reason": f"Renewed {loan.item.title.title}"},
    )
    return outcome


@transaction.atomic
def set_loan_history(patron: Patron, keep: bool) -> int:
    """Opt in to or out of keeping loan history; opting out cuts the links kept so far.
    Returns the loans unlinked."""
    locked = Patron.objects.select_for_update().get(pk=patron.pk)
    if locked.keep_loan_history == keep:
        return 0
    locked.keep_loan_history = keep
    locked.save(update_fields=["keep_loan_history"])
    patron.keep_loan_history = keep
    unlinked = 0 if keep else forget_loan_history(locked)
    _audit(
        patron,
        PatronAudit.Action.EDIT,
        ["keep_loan_history"],
        changes={"keep_loan_history": [not keep, keep]},
        detail={"history_unlinked": unlinked} if not keep else {},
    )
    return unlinked


# --- holds ---------------------------------------------------------------------------------


@transaction.atomic
def place_hold(
    patron: Patron, title_id: int, pickup_code: str, *, now: dt.datetime | None = None
) -> holds.Placed:
    title = Title.objects.filter(pk=title_id).first()
    if title is None:
        raise AccountError("unknown_title", f"There is no title #{title_id} in the catalog.")
    pickup = find_pickup(pickup_code)
    placed = holds.place_hold(None, patron, pickup, title=title, now=now)
    _audit(
        patron,
        PatronAudit.Action.EDIT,
        ["holds"],
        changes={f"hold {placed.hold.pk}": [None, f"{title.title}, pickup {pickup.code}"]},
        detail={"reason": "Hold placed online"},
    )
    return placed


def _hold_change(patron: Patron, hold: Hold, what: str, before: Any, after: Any) -> None:
    _audit(
        patron,
        PatronAudit.Action.EDIT,
        ["holds"],
        changes={f"hold {hold.pk} {what}": [before, after]},
        detail={"reason": f"Hold on {hold.title.title}: {what} changed online"},
    )


@transaction.atomic
def cancel_hold(patron: Patron, hold_id: int, *, now: dt.datetime | None = None) -> str:
    hold = my_hold(patron, hold_id)
    message = holds_desk.cancel_hold(None, hold, now=now)
    _hold_change(patron, hold, "state", hold.state, Hold.State.CANCELLED)
    return message


@transaction.atomic
def suspend_hold(
    patron: Patron, hold_id: int, until: dt.date, *, now: dt.datetime | None = None
) -> str:
    hold = my_hold(patron, hold_id)
    holds.suspend_hold(None, hold, until, now=now)
    _hold_change(patron, hold, "suspended until", hold.suspended_until, until)
    return f"The hold on {hold.title.title} is suspended until {until:%A %d %B %Y}."


@transaction.atomic
def resume_hold(patron: Patron, hold_id: int, *, now: dt.datetime | None = None) -> str:
    hold = my_hold(patron, hold_id)
    holds.resume_hold(None, hold, now=now)
    _hold_change(patron, hold, "suspended until", hold.suspended_until, None)
    return f"The hold on {hold.title.title} is active again."


@transaction.atomic
def change_pickup(
    patron: Patron, hold_id: int, pickup_code: str, *, now: dt.datetime | None = None
) -> str:
    hold = my_hold(patron, hold_id)
    pickup = find_pickup(pickup_code)
    before = hold.pickup_branch.code
    message = holds.change_pickup(None, hold, pickup, now=now)
    if before != pickup.code:
        _hold_change(patron, hold, "pickup", before, pickup.code)
    return message


# --- my data -------------------------------------------------------------------------------


@transaction.atomic
def export_my_data(patron: Patron) -> dict[str, Any]:
    """The same export staff give (`records.privacy.export_data`), for the patron."""
    data = export_data(patron)
    data["notices"] = [
        {"at": n.at.isoformat(), "title": n.title, "sent": n.sent, "to": n.to, "reason": n.reason}
        for n in my_notices(patron, limit=1000)
    ]
    _audit(
        patron,
        PatronAudit.Action.EXPORT,
        ["card", *data["patron"]],
        detail={"loans": len(data["loans"]), "holds": len(data["holds"])},
    )
    return data
