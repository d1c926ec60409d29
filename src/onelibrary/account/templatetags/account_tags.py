"""`{% account_patron as patron %}`: the logged-in patron (or None), for the page header;
`{% place_hold_for title as mine %}`: the title page's place-hold part, included there by
template so the catalog never imports the account."""

from __future__ import annotations

from typing import Any

from django import template

from onelibrary.account.session import current_patron
from onelibrary.account.views import title_context
from onelibrary.catalog.models import Title
from onelibrary.patrons.models import Patron

register = template.Library()


@register.simple_tag(takes_context=True)
def account_patron(context: dict[str, Any]) -> Patron | None:
    request = context.get("request")
    return current_patron(request) if request is not None else None


@register.simple_tag(takes_context=True)
def place_hold_for(context: template.Context, title: Title) -> dict[str, Any]:
    return title_context(context["request"], title)
