"""Template helpers for the patron pages."""

from __future__ import annotations

from typing import Any

from django import template

from onelibrary.members.access import is_central_office

register = template.Library()


@register.filter
def central_office(user: Any) -> bool:
    return is_central_office(user)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
