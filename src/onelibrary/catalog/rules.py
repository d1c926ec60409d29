"""Object permissions for catalog items: staff change only their own library's copies.
The predicates ask `members.access` and `catalog.access`; nothing here reads roles."""

import rules

from onelibrary.catalog.access import may_change_item
from onelibrary.members.access import is_central_office, is_staff_member, scope_of


@rules.predicate
def owns_item(user, item) -> bool:
    return item is not None and may_change_item(scope_of(user), item)


@rules.predicate
def is_staff(user) -> bool:
    return is_staff_member(user)


@rules.predicate
def central_office(user) -> bool:
    return is_central_office(user)


rules.add_perm("catalog.view_item", is_staff)
rules.add_perm("catalog.change_item", owns_item)
rules.add_perm("catalog.add_item", is_staff)
rules.add_perm("catalog.delete_item", central_office)
rules.add_perm("catalog.view_title", is_staff)
rules.add_perm("catalog.change_title", central_office)
rules.add_perm("catalog.add_title", central_office)
