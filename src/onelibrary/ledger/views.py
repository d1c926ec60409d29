"""The ledger's pages: entries, one entry (and its reversal), the settlement as a page,
PDF and CSV, the policy in plain words, and the comparison of policies. Each page books
what has happened first (`posting.catch_up`), then reads through `ledger.access`."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST
from weasyprint import HTML

from onelibrary.ledger import access, book, compare, policies, posting, rules, settlement
from onelibrary.ledger.models import Entry, ReplacementPolicy
from onelibrary.members.access import NotAllowed
from onelibrary.members.models import Library

PAGE = 200


def _period(request: HttpRequest) -> tuple[settlement.Period, str]:
    """The period asked for (this month when none), and the refusal's words if it was bad."""
    text = request.GET.get("period", "").strip()
    if not text:
        return settlement.period(f"{timezone.localdate():%Y-%m}"), ""
    try:
        return settlement.period(text), ""
    except book.LedgerRefusal as refusal:
        return settlement.period(f"{timezone.localdate():%Y-%m}"), refusal.message


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    access.ledger_scope(request.user)
    report = posting.catch_up()
    period, problem = _period(request)
    found = access.visible_entries(request.user) & settlement.entries_in(period)
    party = request.GET.get("party", "").strip()
    if party:
        lib = Library.objects.filter(code=party).first()
        found = found.filter(settlement.party_q({lib.pk})) if lib else found.none()
    kind = request.GET.get("kind", "")
    if kind in Entry.Kind.values:
        found = found.filter(kind=kind)
    shown = access.visible_settlement(request.user, settlement.settle(period))
    return render(
        request,
        "ledger/entries.html",
        {
            "entries": found.select_related("debtor", "creditor", "item").order_by(
                "-booked_at", "-pk"
            )[:PAGE],
            "period": period,
            "problem": problem,
            "party": party,
            "kind": kind,
            "kinds": Entry.Kind.choices,
            "balances": shown.balances.items(),
            "report": report,
        },
    )


@login_required
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.access_entry(request.user, pk)
    return render(
        request,
        "ledger/entry.html",
        {
            "entry": found,
            "reversal": Entry.objects.filter(reverses=found).first(),
            "may_reverse": access.may_reverse(request.user),
            "error": request.GET.get("error", ""),
        },
    )


@login_required
@require_POST
def reverse(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.access_entry(request.user, pk)
    if not access.may_reverse(request.user):
        raise NotAllowed("not_permitted", "Only the central office reverses an entry.")
    try:
        done = book.reverse(found, request.POST.get("reason", ""), request.user)  # type: ignore[arg-type]
    except book.LedgerRefusal as refusal:
        return render(
            request,
            "ledger/entry.html",
            {"entry": found, "may_reverse": True, "error": refusal.message},
            status=409,
        )
    return redirect("ledger:entry", pk=done.pk)


def _settlement(request: HttpRequest) -> tuple[settlement.Settlement, str]:
    access.ledger_scope(request.user)
    posting.catch_up()
    period, problem = _period(request)
    return access.visible_settlement(request.user, settlement.settle(period)), problem


@login_required
def settlement_page(request: HttpRequest) -> HttpResponse:
    found, problem = _settlement(request)
    return render(request, "ledger/settlement.html", _settlement_context(found, problem))


def _settlement_context(found: settlement.Settlement, problem: str) -> dict[str, object]:
    return {
        "s": found,
        "problem": problem,
        "rows": [(c, found.names.get(c, c), a) for c, a in found.balances.items()],
        "payments": [
            (p, found.names.get(p.payer), found.names.get(p.payee)) for p in found.payments
        ],
        "printed_at": timezone.now(),
    }


@login_required
def settlement_pdf(request: HttpRequest) -> HttpResponse:
    found, problem = _settlement(request)
    html = render_to_string("ledger/settlement_pdf.html", _settlement_context(found, problem))
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="settlement-{found.period.label}.pdf"'
    return response


@login_required
def settlement_csv(request: HttpRequest) -> HttpResponse:
    found, _ = _settlement(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="settlement-{found.period.label}.csv"'
    csv.writer(response).writerows(settlement.csv_rows(found))
    return response


def _example_members() -> tuple[str, str, str]:
    names = list(Library.objects.order_by("name").values_list("name", flat=True)[:3])
    names += ["Elk Falls", "Riverside", "Pine Creek"][len(names) :]
    return names[0], names[1], names[2]


@login_required
def policy_page(request: HttpRequest) -> HttpResponse:
    access.ledger_scope(request.user)
    owner, borrower, third = _example_members()
    shown = []
    for row in ReplacementPolicy.objects.prefetch_related("cases"):
        as_rules = policies.as_rules(row)
        cases = [
            (
                rules.DECISION[c],
                as_rules.cases[c],
                policies.words(as_rules, as_rules.cases[c], owner, borrower, third),
            )
            for c in rules.CASES
            if c in as_rules.cases
        ]
        shown.append((row, cases))
    return render(request, "ledger/policy.html", {"policies": shown})


@login_required
def compare_page(request: HttpRequest) -> HttpResponse:
    access.ledger_scope(request.user)
    last_year = timezone.localdate().year - 1
    period_text = request.GET.get("period") or f"{last_year}-01-01..{last_year}-12-31"
    problem = ""
    try:
        period = settlement.period(period_text)
    except book.LedgerRefusal as refusal:
        period, problem = (
            settlement.period(f"{last_year}-01-01..{last_year}-12-31"),
            refusal.message,
        )
    chosen = ReplacementPolicy.objects.prefetch_related("cases")
    ids = [int(i) for i in request.GET.getlist("policy") if i.isdigit()]
    if ids:
        chosen = chosen.filter(pk__in=ids)
    as_rules = [policies.as_rules(p) for p in chosen]
    names: dict[str | None, str] = {lib.code: lib.name for lib in Library.objects.all()}
    names[None] = "The group"
    rows = compare.compare(as_rules, compare.facts_between(period), names) if as_rules else []
    return render(
        request,
        "ledger/compare.html",
        {
            "period": period,
            "problem": problem,
            "policies": as_rules,
            "rows": rows,
            "all": ReplacementPolicy.objects.all(),
        },
    )
