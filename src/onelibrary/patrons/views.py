"""Staff pages under /patrons/: find, register (with the duplicate check), view and edit a
record, export and erase. The central office's pages are in `office_views`.

Views are plain functions. Every record shown comes from `patrons.access` (audited, only the
permitted fields); every change goes through the actions. A refusal is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.members.access import is_central_office, is_staff_member, staff_library_ids
from onelibrary.members.models import Library
from onelibrary.patrons import access, actions
from onelibrary.patrons.access import PatronError, PatronView
from onelibrary.patrons.forms import FindForm, IdCheckForm, PatronForm, RegisterForm
from onelibrary.patrons.models import Patron

NOT_STAFF = (
    "Patron records are for library staff. This account does not work for any library in "
    "the group: ask your library admin to give it a staff role."
)
PREFILL = "patron_prefill"  # details typed at registration, for the record they turned out to be
SEARCH_LIMIT = 25

Page = Callable[..., HttpResponse]


def staff_page(*, central_office: bool = False) -> Callable[[Page], Page]:
    """Login and a staff role (or the central office) required."""

    def decorate(view: Page) -> Page:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(request.user):
                return refused(request, NOT_STAFF, 403)
            if central_office and not is_central_office(request.user):
                return refused(request, "This page is for the central office.", 403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def refused(request: HttpRequest, sentence: str, status: int) -> HttpResponse:
    return render(request, "patrons/refused.html", {"sentence": sentence}, status=status)


def refusal(request: HttpRequest, error: PatronError) -> HttpResponse:
    if error.code == "card_merged" and error.detail:
        messages.info(request, error.message)
        return redirect("patrons:record", pk=error.detail[0]["survivor"])
    return refused(request, error.message, error.status)


def staff_of(request: AuthenticatedHttpRequest) -> User:
    return request.user


def my_libraries(user: User) -> QuerySet[Library]:
    libraries = Library.objects.exclude(status=Library.Status.LEFT)
    if is_central_office(user):
        return libraries
    return libraries.filter(pk__in=staff_library_ids(user))


# --- find -----------------------------------------------------------------------------------


def name_search(query: str) -> QuerySet[Patron]:
    words = query.split()
    found = Patron.objects.filter(merged_into=None, erased_at=None)
    if len(words) == 1:
        found = found.filter(
            Q(last_name__istartswith=words[0]) | Q(first_name__istartswith=words[0])
        )
    else:
        first, last = words[0], " ".join(words[1:])
        found = found.filter(
            Q(first_name__istartswith=first, last_name__istartswith=last)
            | Q(last_name__istartswith=first, first_name__istartswith=last)
        )
    return found.select_related("home_library", "preferred_branch").order_by(
        "last_name", "first_name", "pk"
    )


@staff_page()
def find(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A card opens the record; a name lists matches with only the fields each may show."""
    form = FindForm(request.GET or None)
    results: list[PatronView] | None = None
    total = 0
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if any(c.isdigit() for c in query):
            try:
                patron = access.find_card(query)
            except PatronError as error:
                form.add_error("q", error.message)
            else:
                return redirect("patrons:record", pk=patron.pk)
        else:
            matches = name_search(query)
            found = list(matches[: SEARCH_LIMIT + 1])
            # Count only when the page is full: the count is the real one, not the limit.
            total = matches.count() if len(found) > SEARCH_LIMIT else len(found)
            results = access.open_patrons(
                staff_of(request), found[:SEARCH_LIMIT], via="page", context="search"
            )
    return render(
        request,
        "patrons/find.html",
        {"form": form, "results": results, "total": total, "more": total > SEARCH_LIMIT},
    )


# --- one record -----------------------------------------------------------------------------


@staff_page()
def record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staff = staff_of(request)
    try:
        view = access.access_patron_by_id(staff, pk)
    except PatronError as error:
        return refusal(request, error)
    patron = Patron.objects.get(pk=pk)
    return render(
        request,
        "patrons/record.html",
        {
            "view": view,
            "may_export": view.rights.grant.sees_everything,
            "may_erase": access.may_erase(staff, patron),
            "central": is_central_office(staff),
        },
    )


@staff_page()
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change the fields the table lets this staff member change; all or nothing."""
    staff = staff_of(request)
    try:
        view = access.access_patron_by_id(staff, pk, purpose="edit")
    except PatronError as error:
        return refusal(request, error)
    allowed = view.editable_fields
    id_form = IdCheckForm(request.POST or None) if view.rights.needs_id_check else None
    prefilled = False
    if request.method == "POST":
        form = PatronForm(request.POST, allowed=allowed)
        if form.is_valid() and (id_form is None or id_form.is_valid()):
            check = actions.IdCheck(True, id_form.cleaned_data["id_method"]) if id_form else None
            try:
                actions.update_patron(staff, pk, form.changes(), id_check=check)
            except PatronError as error:
                form.add_error(None, error.message)
            else:
                request.session.pop(PREFILL, None)
                messages.success(request, f"{view.name}'s record is saved.")
                return redirect("patrons:record", pk=pk)
    else:
        initial = {name: view.values[name] for name in allowed}
        if view.shows("preferred_branch") and view.values["preferred_branch"]:
            initial["preferred_branch"] = view.values["preferred_branch"].code
        prefill = request.session.get(PREFILL) or {}
        prefilled = prefill.get("pk") == pk
        if prefilled:
            initial.update({k: v for k, v in prefill["values"].items() if k in allowed and v})
        form = PatronForm(initial=initial, allowed=allowed)
    return render(
        request,
        "patrons/edit.html",
        {
            "view": view,
            "form": form,
            "id_form": id_form,
            "prefilled": prefilled,
        },
    )


# --- register -------------------------------------------------------------------------------


@staff_page()
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register a patron. Possible duplicates are shown first: staff choose the existing
    record (their typed details go to its edit page) or confirm a new one."""
    staff = staff_of(request)
    libraries = my_libraries(staff)
    form = RegisterForm(request.POST or None, libraries=libraries)
    candidates: list[PatronView] = []
    reasons: dict[int, str] = {}
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision", "")
        if decision.startswith("use-") and decision[4:].isdigit():
            return use_existing(request, int(decision[4:]), form)
        try:
            patron = actions.register_patron(
                staff,
                form.registration(),
                library=form.cleaned_data["library"],
                card=form.cleaned_data["card"],
                confirm_new=decision == "new",
            )
        except actions.PossibleDuplicates as found:
            by_pk = Patron.objects.select_related("home_library", "preferred_branch").in_bulk(
                [m.pk for m in found.matches]
            )
            matches = [by_pk[m.pk] for m in found.matches if m.pk in by_pk]
            candidates = access.open_patrons(staff, matches, via="page", context="duplicate check")
            reasons = {m.pk: m.reason_text for m in found.matches}
        except PatronError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{patron.first_name} {patron.last_name} is registered with card {patron.card} "
                f"(home library: {patron.home_library.name}).",
            )
            return redirect("patrons:record", pk=patron.pk)
    return render(
        request,
        "patrons/register.html",
        {
            "form": form,
            "candidates": [(c, reasons.get(c.pk, "")) for c in candidates],
        },
    )


def use_existing(request: AuthenticatedHttpRequest, pk: int, form: RegisterForm) -> HttpResponse:
    """The person is already registered: open their record with the typed details ready to
    save into it (nothing is saved until staff do, through the ordinary edit)."""
    values = {name: form.data.get(name, "") for name in actions.REGISTER_FIELDS}
    request.session[PREFILL] = {"pk": pk, "values": values}
    return redirect("patrons:edit", pk=pk)


# --- privacy --------------------------------------------------------------------------------
