"""`{% procedures_for "desk:checkin" %}`: the "Procedure: …" links a page shows for the
procedures that apply to it (docs/directory.md, "Procedures"). Staff only: the public
never sees the group's procedures."""

from __future__ import annotations

from typing import Any

from django import template

from onelibrary.directory import procedures

register = template.Library()


@register.inclusion_tag("directory/_procedure_links.html", takes_context=True)
def procedures_for(context: dict[str, Any], key: str) -> dict[str, object]:
    request = context.get("request")
    if request is None or not procedures.may_read(request.user):
        return {"found": []}
    return {"found": procedures.for_page(key)}
