"""Object permissions for catalog items: staff change only their own library's copies."""

import rules

from onelibrary.members.access import can_act_for_library, is_central_office, is_staff_member


@rules.predicate
def owns_item(user, item) -> bool:
    return item is not None and can_act_for_library(user, item.owning_library_id)


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
