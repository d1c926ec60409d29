"""Ticket pages: the list of a member's tickets, opening one (the address takes the
fields as query parameters, so another page can link to a ticket already filled in),
one ticket's thread and the reply form."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.directory import tickets
from onelibrary.directory.models import Ticket, TicketCategory
from onelibrary.directory.pages import refused, staff_page
from onelibrary.members.access import NotFound, scope_of
from onelibrary.members.models import Library

ticket_page = staff_page("Tickets")
CENTRAL = ""  # the "to" choice for the central office


class TicketForm(forms.Form):
    category: forms.ChoiceField = forms.ChoiceField(label="About")
    to: forms.ChoiceField = forms.ChoiceField(label="To", required=False)
    subject = forms.CharField(max_length=200, required=False)
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    item = forms.CharField(max_length=64, required=False, label="Item barcode")
    patron = forms.CharField(max_length=64, required=False, label="Patron card")
    crate = forms.CharField(max_length=32, required=False, label="Crate label")
    link = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)
    acting_for: forms.ChoiceField = forms.ChoiceField(label="From", required=False)

    def __init__(self, *args: object, mine: list[Library], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        categories = TicketCategory.objects.filter(is_active=True).order_by("name")
        self.choice_field("category").choices = [("", "Choose…")] + [
            (c.code, f"{c.name} (answer within {c.response_days} days)") for c in categories
        ]
        libraries = Library.objects.exclude(status=Library.Status.LEFT).order_by("name")
        self.choice_field("to").choices = [(CENTRAL, "The central office")] + [
            (lib.code, lib.name) for lib in libraries
        ]
        self.choice_field("acting_for").choices = [(lib.code, lib.name) for lib in mine]

    def choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


def _library(code: str) -> Library | None:
    return Library.objects.filter(code=code).first() if code else None


@ticket_page
def ticket_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    found = tickets.visible_tickets(request.user)
    if status in Ticket.Status.values:
        found = found.filter(status=status)
    return render(
        request,
        "directory/ticket_list.html",
        {"tickets": found[:200], "status": status, "statuses": Ticket.Status.choices},
    )


@ticket_page
def ticket_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    mine = list(Library.objects.filter(pk__in=scope.libraries).order_by("name"))
    data = request.POST if request.method == "POST" else None
    form = TicketForm(data, mine=mine, initial=request.GET.dict())
    problem = ""
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        try:
            ticket = tickets.open_ticket(
                request.user,
                category=fields["category"],
                subject=fields["subject"],
                message=fields["message"],
                to_library=_library(fields["to"]),
                acting_for=_library(fields["acting_for"]),
                concerning=tickets.Concerning(
                    item_barcode=fields["item"],
                    patron_card=fields["patron"],
                    crate_label=fields["crate"],
                    link=fields["link"],
                ),
            )
        except tickets.TicketRefused as error:
            problem = error.message
        else:
            messages.success(request, f"Ticket {ticket.pk} opened.")
            return redirect("tickets:detail", pk=ticket.pk)
    elif request.method == "POST":
        problem = "Choose what the ticket is about: " + "; ".join(
            f"{form.fields[name].label or name}: {' '.join(str(e) for e in errs)}"
            for name, errs in form.errors.items()
        )
    return render(
        request,
        "directory/ticket_new.html",
        {"form": form, "problem": problem, "several": len(mine) > 1},
        status=422 if problem else 200,
    )


@ticket_page
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ticket = tickets.access_ticket(request.user, pk)
    except NotFound as error:
        return refused(request, error.message, status=404)
    return render(
        request,
        "directory/ticket.html",
        {
            "ticket": ticket,
            "thread": ticket.messages.select_related("author", "library"),
            "patron": tickets.ticket_patron(request.user, ticket),
        },
    )


@require_POST
@ticket_page
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ticket = tickets.access_ticket(request.user, pk)
        tickets.reply(
            request.user, ticket, request.POST.get("message", ""), close="close" in request.POST
        )
    except NotFound as error:
        return refused(request, error.message, status=404)
    except tickets.TicketRefused as error:
        messages.error(request, error.message)
    return redirect("tickets:detail", pk=pk)
