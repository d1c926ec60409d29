"""Catalog pages: the search box, results, a title with every copy, and item editing."""

from __future__ import annotations

import isbnlib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from onelibrary.catalog import searchpage
from onelibrary.catalog.access import access_item, may_change_item
from onelibrary.catalog.actions import update_item_from_form
from onelibrary.catalog.forms import ItemForm, SearchForm
from onelibrary.catalog.languages import language_name
from onelibrary.catalog.models import Item, Title
from onelibrary.catalog.search import NO_FILTERS, SearchResults, copy_counts, search_titles
from onelibrary.catalog.suggest import did_you_mean
from onelibrary.core.requests import HtmxHttpRequest, vary_on_htmx, wants_fragment
from onelibrary.members.access import scope_of

PER_PAGE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html", {"form": SearchForm()})


def search(request: HtmxHttpRequest) -> HttpResponse:
    """The public search. A facet value that is wrong is reported and left out; an empty
    query with facets asks for a word (facets narrow a search, they are not one)."""
    form = SearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    query = data.get("q", "")
    filters = form.filters()
    results: SearchResults | None = None
    if query.strip():
        results = search_titles(
            query,
            field=data.get("field") or "keyword",
            filters=filters,
            sort=data.get("sort") or "relevance",
            page=data.get("page") or 1,
            per_page=PER_PAGE,
        )
    context = {
        "form": form,
        "results": results,
        "filters": filters,
        "asked_page": data.get("page"),
        "facet_only": not query.strip() and filters.active,
        # Facets that could not be used are left out of a search that runs; a query too
        # long is not left out, it stops the search, and says so alone.
        "left_out": [e for name, errors in form.errors.items() if name != "q" for e in errors],
    }
    if results is not None:
        context.update(
            groups=searchpage.facet_groups(results),
            available_link=searchpage.available_link(results),
            chips=searchpage.chips(results),
            sort_links=searchpage.sort_links(results),
            clear_url=searchpage.url(results.query, results.field, results.sort, NO_FILTERS),
            previous_url=searchpage.page_url(results, results.page - 1)
            if results.has_previous
            else "",
            next_url=searchpage.page_url(results, results.page + 1) if results.has_next else "",
            last_url=searchpage.page_url(results, results.num_pages),
        )
        if not results.total:
            suggestion = did_you_mean(query, field=results.field, filters=filters)
            context.update(
                suggestion=suggestion,
                suggestion_url=searchpage.url(suggestion, results.field, results.sort, filters),
            )
    # htmx asks for the results alone while the patron types; a plain GET gets the page.
    template = "catalog/_results.html" if wants_fragment(request) else "catalog/search.html"
    return vary_on_htmx(render(request, template, context))


def _display_isbn(isbn: str) -> str:
    return isbnlib.mask(isbn) or isbn


def title_detail(request: HttpRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(Title, pk=pk)
    copies = list(
        Item.objects.filter(title=title)
        .select_related("owning_library", "home_branch", "current_branch")
        .order_by("owning_library__name", "home_branch__name", "barcode")
    )
    # The catalog.change_item rule, with the roles read once for the whole table.
    scope = scope_of(request.user)
    rows = [{"item": item, "editable": may_change_item(scope, item)} for item in copies]
    total, available = copy_counts([title.pk]).get(title.pk, (0, 0))
    return render(
        request,
        "catalog/title_detail.html",
        {
            "title": title,
            "rows": rows,
            "total_copies": total,
            "available_copies": available,
            "isbns": [_display_isbn(i) for i in title.isbn_list],
            "language": language_name(title.language),
        },
    )


@login_required
def item_edit(request: HttpRequest, barcode: str) -> HttpResponse:
    item = access_item(request.user, barcode, for_change=True)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            update_item_from_form(request.user, item, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Copy {item.barcode} saved.")
            return redirect("title_detail", pk=item.title_id)
    return render(request, "catalog/item_edit.html", {"item": item, "form": form})
