"""Money at the desk, as pages: a patron's charges, take a payment, waive, refund, receipts.

Plain views. The patron is read through `patrons.access` (field rights, one audit row
per view); a receipt through `money.access_payment`, then its patron likewise. Every write
is a `circulation.money` action; a refusal re-shows the page with its message and
nothing written. Each form carries a one-time token so a second submit of the same form
finds the first result instead of paying twice (MONEY-5).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from weasyprint import HTML

from onelibrary.circulation import money
from onelibrary.circulation.ledger import money as say_money
from onelibrary.circulation.models import Charge, Payment
from onelibrary.circulation.money_models import Method
from onelibrary.core.refusals import Refusal
from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.members.desk import desk_page
from onelibrary.members.models import Branch
from onelibrary.patrons.access import PatronError, PatronView, access_patron, open_patron
from onelibrary.patrons.models import Patron, PatronAudit

DESK = PatronAudit.Via.DESK


def new_token() -> str:
    return secrets.token_urlsafe(18)


class PaymentForm(forms.Form):
    # The amount stays text: `ledger.parse_amount` says what is wrong with it in words.
    amount = forms.CharField(max_length=40, required=False)
    method = forms.ChoiceField(choices=Method.choices, initial=Method.CASH)
    reference = forms.CharField(max_length=100, required=False)
    charges = forms.TypedMultipleChoiceField(coerce=int, required=False)
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, charge_ids: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        charges = self.fields["charges"]
        assert isinstance(charges, forms.TypedMultipleChoiceField)
        charges.choices = [(pk, pk) for pk in charge_ids]


class EntryForm(forms.Form):
    """A waiver or a refund of one charge."""

    charge = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    amount = forms.CharField(max_length=40, required=False)
    reason = forms.CharField(max_length=1000, required=False)
    method = forms.ChoiceField(choices=Method.choices, required=False)
    token = forms.CharField(max_length=64)


# --- the patron's money page --------------------------------------------------------------


def clears(decision: str, card: str) -> dict[str, str]:
    """What the desk offers beside a refusal, to clear it: a fines block (CHECKOUT-8)
    links to taking a payment for this patron (MONEY-12)."""
    if decision != "CHECKOUT-8":
        return {}
    return {
        "clears_url": reverse("desk:money", kwargs={"card": card}),
        "clears_label": "Take a payment",
    }


def _patron(
    request: AuthenticatedHttpRequest, branch: Branch, card: str
) -> tuple[PatronView, Patron]:
    """The patron as this staff member may see them, audited; 404 for no such card."""
    try:
        view = access_patron(request.user, card, via=DESK, library=branch.library, context="money")
    except PatronError as error:
        raise Http404(error.message) from error
    return view, Patron.objects.select_related("home_library").get(pk=view.pk)


def _page(
    request: AuthenticatedHttpRequest,
    branch: Branch,
    view: PatronView,
    patron: Patron,
    *,
    error: Refusal | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = money.charge_lines(patron, request.user, everything=True)
    open_lines = [line for line in lines if not line.charge.settled_at]
    payable = [line for line in open_lines if line.payable_here]
    return render(
        request,
        "circulation/money/patron.html",
        {
            "branch": branch,
            "patron": view,
            "lines": lines,
            "open_lines": open_lines,
            "owed": sum((line.balance.owed for line in open_lines), money.ZERO),
            "payable": sum((line.balance.owed for line in payable), money.ZERO),
            "elsewhere": sorted(
                {line.charge.library.name for line in open_lines if not line.payable_here}
            ),
            "payments": Payment.objects.filter(patron=patron).select_related("branch")[:20],
            "form": PaymentForm(charge_ids=[], initial={"token": new_token()}),
            "methods": Method.choices,
            "token": new_token(),
            "error": error,
        },
        status=status,
    )


STATUS = {
    "invalid_input": 422,
    "reason_required": 422,
    "not_your_library": 403,
    "over_waiver_limit": 403,
}


@desk_page()
def patron_money(request: AuthenticatedHttpRequest, branch: Branch, card: str) -> HttpResponse:
    view, patron = _patron(request, branch, card)
    return _page(request, branch, view, patron)


@require_POST
@desk_page()
def take_payment(request: AuthenticatedHttpRequest, branch: Branch, card: str) -> HttpResponse:
    view, patron = _patron(request, branch, card)
    ids = list(
        Charge.objects.filter(patron=patron, settled_at__isnull=True).values_list("pk", flat=True)
    )
    form = PaymentForm(request.POST, charge_ids=ids)
    if not form.is_valid():
        error = Refusal(
            "invalid_input",
            "The form was not complete or a charge chosen is no longer open: reload the page "
            "and try again.",
            decision="MONEY-2",
        )
        return _page(request, branch, view, patron, error=error, status=422)
    data = form.cleaned_data
    try:
        taken = money.take_payment(
            request.user,
            branch,
            patron,
            data["amount"],
            data["method"],
            charge_ids=data["charges"] or None,
            reference=data["reference"],
            token=data["token"],
        )
    except Refusal as refusal:
        return _page(
            request, branch, view, patron, error=refusal, status=STATUS.get(refusal.code, 409)
        )
    if taken.repeated:
        messages.info(
            request, "That payment was already taken: here is its receipt. Nothing was taken twice."
        )
    return redirect("desk:receipt", pk=taken.payment.pk)


def _entry_action(kind: str) -> Callable[..., HttpResponse]:
    """The waive and refund pages: one charge, an amount and a reason."""

    @require_POST
    @desk_page()
    def act(request: AuthenticatedHttpRequest, branch: Branch, card: str) -> HttpResponse:
        view, patron = _patron(request, branch, card)
        form = EntryForm(request.POST)
        charge = None
        if form.is_valid():
            charge = Charge.objects.filter(patron=patron, pk=form.cleaned_data["charge"]).first()
        if charge is None:
            error = Refusal(
                "invalid_input",
                f"Choose one of {patron.first_name}'s charges; reload the page and try again.",
                decision="MONEY-2",
            )
            return _page(request, branch, view, patron, error=error, status=422)
        data = form.cleaned_data
        try:
            if kind == "waiver":
                done = money.waive(
                    request.user,
                    branch,
                    charge,
                    data["amount"],
                    data["reason"],
                    token=data["token"],
                )
            else:
                done = money.refund(
                    request.user,
                    branch,
                    charge,
                    data["amount"],
                    data["method"] or "",
                    data["reason"],
                    token=data["token"],
                )
        except Refusal as refusal:
            return _page(
                request, branch, view, patron, error=refusal, status=STATUS.get(refusal.code, 409)
            )
        entry = done.entry
        said = "Waived" if kind == "waiver" else "Refunded"
        note = " (that form was already sent: nothing was done twice)" if done.repeated else ""
        messages.success(
            request,
            f"{said} {say_money(entry.amount)} of the {charge.get_kind_display().lower()} "
            f"charge; {say_money(entry.owed_after)} of it is still owed{note}.",
        )
        return redirect("desk:money", card=patron.card)

    return act


waive = _entry_action("waiver")
refund = _entry_action("refund")


# --- receipts -------------------------------------------------------------------------------


def _receipt(request: AuthenticatedHttpRequest, pk: int) -> dict[str, Any]:
    payment = money.access_payment(request.user, pk)
    try:  # a receipt shows the patron: a view of their record, audited
        view = open_patron(request.user, payment.patron, via=DESK, context=f"receipt {pk}")
    except PatronError as error:
        raise Http404(error.message) from error
    entries = payment.entries.select_related("charge__item__title", "charge__library").order_by(
        "pk"
    )
    return {"payment": payment, "patron": view, "entries": entries}


@desk_page()
def receipt(request: AuthenticatedHttpRequest, branch: Branch, pk: int) -> HttpResponse:
    return render(
        request, "circulation/money/receipt.html", {"branch": branch, **_receipt(request, pk)}
    )


@desk_page()
def receipt_pdf(request: AuthenticatedHttpRequest, branch: Branch, pk: int) -> HttpResponse:
    context = _receipt(request, pk)
    pdf = HTML(string=render_to_string("circulation/money/receipt_pdf.html", context)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{pk}.pdf"'
    return response


urlpatterns = [
    path("patrons/<str:card>/money/", patron_money, name="money"),
    path("patrons/<str:card>/money/pay/", take_payment, name="take_payment"),
    path("patrons/<str:card>/money/waive/", waive, name="waive"),
    path("patrons/<str:card>/money/refund/", refund, name="refund"),
    path("receipts/<int:pk>/", receipt, name="receipt"),
    path("receipts/<int:pk>/receipt.pdf", receipt_pdf, name="receipt_pdf"),
]
