from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest
from django.urls import reverse

from onelibrary.members.access import Scope, is_technical_staff, scope_of
from onelibrary.members.models import SharingGroup


def sharing_group(request: HttpRequest) -> dict[str, object]:
    return {"sharing_group": SharingGroup.current()}


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


# The staff links of the header, in order: (label, URL name, the pages it is "current" on:
# "namespace" or "namespace:url_name"). Every staff role may use each of these pages (the
# pages themselves refuse what a role may not change); the admin has its own link, for
# accounts Django lets in.
STAFF_LINKS = (
    ("Desk", "desk:home", ("desk:home",)),
    ("Check out", "desk:checkout", ("desk:checkout", "desk:checkout_patron")),
    ("Check in", "desk:checkin", ("desk:checkin",)),
    ("Pick list", "holds:pick_list", ("holds:pick_list",)),
    ("Hold shelf", "holds:shelf", ("holds:shelf", "holds:clear_list")),
    ("Crates", "transit:index", ("transit",)),
    ("Patrons", "patrons:find", ("patrons",)),
    ("Courier", "courier:routes", ("courier",)),
    ("Floating", "floating:balancing", ("floating",)),
    ("Policy", "policy:differences", ("policy",)),
    ("Tickets", "tickets:list", ("tickets", "procedures")),
    ("Governance", "governance:index", ("governance",)),
    ("Insights", "insights:dashboard", ("insights",)),
)


class StaffNav:
    """The header's staff links for this request, worked out (through members.access) only
    when a template asks: patrons and anonymous visitors get none."""

    def __init__(self, request: HttpRequest):
        self.request = request

    @cached_property
    def scope(self) -> Scope:
        return scope_of(self.request.user)

    @cached_property
    def links(self) -> list[NavLink]:
        match = getattr(self.request, "resolver_match", None)
        here = {match.namespace, f"{match.namespace}:{match.url_name}"} if match else set()
        if not self.scope.is_staff:
            return []
        return [
            NavLink(label, reverse(name), bool(here & set(current)))
            for label, name, current in STAFF_LINKS
        ]

    def __bool__(self) -> bool:
        return self.scope.is_staff

    def __iter__(self):  # noqa: ANN204 - iterated by the template
        return iter(self.links)


class TechnicalStaff:
    """Whether this request's account triages the help desk (members.access): asked once,
    and only when a template does. Technical staff may have no staff role at all; the
    header gives them the help desk's queue."""

    def __init__(self, request: HttpRequest, nav: StaffNav):
        self.request = request
        self.nav = nav

    @cached_property
    def answer(self) -> bool:
        return is_technical_staff(self.request.user, self.nav.scope)

    def __bool__(self) -> bool:
        return self.answer


def staff_member(request: HttpRequest) -> dict[str, object]:
    """Whether to show the staff links, and which: asked (through members.access) only when
    a template uses them."""
    nav = StaffNav(request)
    is_staff: Callable[[], bool] = lambda: bool(nav)  # noqa: E731 - a template calls it
    return {
        "staff_member": is_staff,
        "staff_nav": nav,
        "technical_staff": TechnicalStaff(request, nav),
    }
