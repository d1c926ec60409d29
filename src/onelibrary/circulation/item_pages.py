"""The desk's page for one copy: where it is, its loan (never its patron), the actions
its state allows, and its recent events; each action on a page of its own, with a note
and, for the destructive ones, a confirmation (docs/circulation/item-desk.md).

They call `circulation/item_desk.py`, as the API does. Served under /items/ beside the
catalog's item edit page; `urlpatterns` below is the `items` namespace.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from onelibrary.apiauth import status_for
from onelibrary.catalog.access import access_item
from onelibrary.catalog.models import Item
from onelibrary.circulation import item_desk
from onelibrary.circulation.item_choices import ACTIONS, Action, offered, open_loan
from onelibrary.circulation.lookup import CirculationError
from onelibrary.circulation.models import Event
from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.members.desk import desk_page
from onelibrary.members.models import Branch

RECENT = 20


class ActionForm(forms.Form):
    note = forms.CharField(
        max_length=item_desk.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500})
    )
    confirm = forms.BooleanField()

    def __init__(self, *args: object, action: Action, item: Item, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        note, confirm = self.fields["note"], self.fields["confirm"]
        note.required = action.note_required
        note.label = "Note (required)" if action.note_required else "Note (optional)"
        note.error_messages["required"] = "Write a note: what happened and what was checked."
        if action.confirm:
            confirm.label = f"Yes, {action.label.lower()}: copy {item.barcode}"
            confirm.error_messages["required"] = "Tick the box to confirm."
        else:
            del self.fields["confirm"]


def _item(request: AuthenticatedHttpRequest, barcode: str) -> Item:
    return access_item(request.user, barcode, for_change=False)  # copies are public to staff


@desk_page()
def find(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """A barcode scanned or typed: its page, or the form again with what went wrong."""
    barcode = request.GET.get("barcode", "").strip()[:64]
    if barcode and Item.objects.filter(barcode=barcode).exists():
        return redirect("items:item", barcode=barcode)
    error = f"No item in the group has the barcode {barcode}." if barcode else ""
    return render(
        request,
        "circulation/item_find.html",
        {"branch": branch, "barcode": barcode, "error": error},
        status=404 if error else 200,
    )


@desk_page()
def item_page(request: AuthenticatedHttpRequest, branch: Branch, barcode: str) -> HttpResponse:
    item = _item(request, barcode)
    loan = open_loan(item)
    events = Event.objects.filter(item=item).select_related("staff", "branch")[:RECENT]
    return render(
        request,
        "circulation/item.html",
        {
            "branch": branch,
            "item": item,
            "loan": loan,
            "offered": offered(item, loan),
            "events": events,
        },
    )


@desk_page()
def take_action(
    request: AuthenticatedHttpRequest, branch: Branch, barcode: str, action: str
) -> HttpResponse:
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404(f"There is no action '{action}' for a copy.")
    item = _item(request, barcode)
    form = ActionForm(request.POST or None, action=chosen, item=item)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                done = item_desk.take(
                    request.user, branch, item, chosen.slug, note=form.cleaned_data["note"]
                )
            except CirculationError as error:
                form.add_error(None, f"{error.message} ({error.decision})")
                status = status_for(error.code)
            else:
                messages.success(request, f"{done.instruction}: {done.message} ({done.decision})")
                return redirect("items:item", barcode=item.barcode)
    context = {"branch": branch, "item": item, "action": chosen, "form": form}
    return render(request, "circulation/item_action.html", context, status=status)


app_name = "items"

urlpatterns = [
    path("", find, name="find"),
    path("<str:barcode>/", item_page, name="item"),
    path("<str:barcode>/<slug:action>/", take_action, name="action"),
]
