"""Policy over the JSON API: which rule governs a loan, setting by setting, and why."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Query, Router, Schema

from onelibrary.apiauth import (
    BARCODE_PATTERN,
    ERROR_RESPONSES,
    StaffApiRequest,
    find_branch,
    staff_of,
)
from onelibrary.patrons.lookup import find_item, served_patron
from onelibrary.policy.lookup import load_rules, situation_for
from onelibrary.policy.resolve import SETTING_LABELS, resolve

router = Router(tags=["policy"])

Code = Annotated[str, Query(max_length=200, pattern=BARCODE_PATTERN)]
OptionalCode = Annotated[str | None, Query(max_length=200, pattern=BARCODE_PATTERN)]


class SituationOut(Schema):
    library: str = Field(description="The member whose rules govern (POLICY-4).")
    patron_category: str
    item_type: str
    collection: str


class SettingOut(Schema):
    label: str
    value: bool | int | str | None
    rule_id: int | None = Field(description="None when no rule gives an optional setting.")
    rule: str | None = Field(description="The name of the rule the value comes from.")
    why: str = Field(description="Why that rule won (POLICY-1, POLICY-2, POLICY-3).")


class ResolvedOut(Schema):
    item_barcode: str
    patron_card: str | None
    branch: str | None
    situation: SituationOut
    settings: dict[str, SettingOut]
    explanation: list[str]


@router.get(
    "/resolved", response={200: ResolvedOut, **ERROR_RESPONSES}, summary="The rule that governs"
)
def resolved(
    request: StaffApiRequest,
    item_barcode: Code,
    patron_card: OptionalCode = None,
    branch: OptionalCode = None,
) -> ResolvedOut:
    """The rule a checkout of this item would get, for this patron at this desk when given.

    Any staff member may ask about any branch: reading the rules changes nothing."""
    item = find_item(item_barcode)
    patron = (
        served_patron(staff_of(request), patron_card, via="api", context="rule question")
        if patron_card
        else None
    )
    desk = find_branch(branch) if branch else None
    situation = situation_for(item, patron, desk)
    policy = resolve(load_rules(), situation)
    return ResolvedOut(
        item_barcode=item.barcode,
        patron_card=patron.card if patron else None,
        branch=desk.code if desk else None,
        situation=SituationOut(**situation.criteria()),
        settings={
            name: SettingOut.model_validate({"label": SETTING_LABELS[name], **values})
            for name, values in policy.as_dict().items()
        },
        explanation=policy.explain(),
    )
