"""`{% account_patron as patron %}`: the logged-in patron (or None), for the page header."""

from __future__ import annotations

from typing import Any

from django import template

from onelibrary.account.session import current_patron
from onelibrary.patrons.models import Patron

register = template.Library()


@register.simple_tag(takes_context=True)
def account_patron(context: dict[str, Any]) -> Patron | None:
    request = context.get("request")
    return current_patron(request) if request is not None else None
