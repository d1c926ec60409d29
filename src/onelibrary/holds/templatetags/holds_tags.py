"""`{% title_holds_for title as holds %}`: what the public title page shows about holds.

The catalog's title page includes the holds part by template, so the catalog (below
holds) never imports it."""

from __future__ import annotations

from typing import Any

from django import template

from onelibrary.catalog.models import Title
from onelibrary.holds.views import title_page_context

register = template.Library()


@register.simple_tag(takes_context=True)
def title_holds_for(context: template.Context, title: Title) -> dict[str, Any]:
    return title_page_context(context["request"], title)
