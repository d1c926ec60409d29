"""Object permissions for the members app (see docs/architecture.md, "Permissions"). The
predicates ask `members.access`; nothing here reads roles."""

import rules

from onelibrary.members.access import can_act_for_library, is_central_office


@rules.predicate
def central_office(user) -> bool:
    return is_central_office(user)


@rules.predicate
def works_for_library(user, library) -> bool:
    return library is not None and can_act_for_library(user, library.pk)


@rules.predicate
def works_for_branch_library(user, branch) -> bool:
    return branch is not None and can_act_for_library(user, branch.library_id)


rules.add_perm("members.view_library", rules.is_authenticated)
rules.add_perm("members.change_library", central_office | works_for_library)
rules.add_perm("members.add_library", central_office)
rules.add_perm("members.delete_library", central_office)
rules.add_perm("members.view_branch", rules.is_authenticated)
rules.add_perm("members.change_branch", central_office | works_for_branch_library)
rules.add_perm("members.add_branch", central_office)
rules.add_perm("members.delete_branch", central_office)
