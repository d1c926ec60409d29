"""The checkin screen's line for an item to send: where it goes, and which crate."""

from __future__ import annotations

from typing import Any

from django import template

from onelibrary.transit.crates import open_crate_for
from onelibrary.transit.models import Transit

register = template.Library()


@register.inclusion_tag("transit/_send_hint.html", takes_context=True)
def send_hint(context: dict[str, Any], barcode: str) -> dict[str, Any]:
    """For an item waiting to leave the desk's branch: "put it in crate X" if one is open
    here for its destination, else "open a crate for Y"; already packed: which crate."""
    request = context.get("request")
    from onelibrary.members.desk import current_branch

    branch = current_branch(request) if request is not None else None
    if branch is None or not barcode:
        return {}
    transit = (
        Transit.objects.filter(
            item__barcode=barcode,
            sender=branch,
            state__in=(Transit.State.WAITING, Transit.State.PACKED),
        )
        .select_related("receiver", "crate")
        .first()
    )
    if transit is None:
        return {}
    crate = transit.crate or open_crate_for(branch, transit.receiver)
    return {"transit": transit, "crate": crate, "packed": transit.crate is not None}
