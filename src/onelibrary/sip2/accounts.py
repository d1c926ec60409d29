"""Making a self-check machine's account, and checking its login (SIP-1)."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.db import transaction

from onelibrary.core.refusals import Refusal
from onelibrary.members.models import Branch, StaffRole
from onelibrary.sip2.models import SipAccount

MIN_PASSWORD = 8


def username_for(login: str) -> str:
    return f"sip2:{login}"


@transaction.atomic
def create_account(
    branch_code: str, login: str, password: str, *, require_pin: bool = True
) -> SipAccount:
    """A new account, or a new password and branch for an existing one.

    Its staff user has the desk role at the branch's library and an unusable password:
    it cannot log in to the web pages, only act through SIP2.
    """
    branch = Branch.objects.select_related("library").filter(code=branch_code).first()
    if branch is None:
        known = ", ".join(Branch.objects.order_by("code").values_list("code", flat=True)[:20])
        raise Refusal("unknown_branch", f"No branch has the code {branch_code!r}. Known: {known}.")
    if not login or len(login) > 64 or "|" in login or not login.isprintable():
        raise Refusal("bad_login", "Give a login of 1 to 64 printable characters, without '|'.")
    if len(password) < MIN_PASSWORD or "|" in password:
        raise Refusal(
            "weak_password",
            f"Give a password of at least {MIN_PASSWORD} characters, without '|'; the "
            "self-check machine sends it in every login.",
        )
    user, _ = User.objects.get_or_create(username=username_for(login))
    user.set_unusable_password()
    user.first_name = "SIP2"
    user.last_name = f"{login} at {branch.code}"[:150]
    user.save()
    # The desk role at this branch's library only: an account moved to another library
    # loses the old one.
    StaffRole.objects.filter(user=user).exclude(library=branch.library).delete()
    StaffRole.objects.get_or_create(user=user, library=branch.library, role=StaffRole.Role.DESK)
    account, _ = SipAccount.objects.update_or_create(
        login=login,
        defaults={
            "password_hash": make_password(password),
            "branch": branch,
            "user": user,
            "require_pin": require_pin,
            "active": True,
        },
    )
    return account


def authenticate(login: str, password: str) -> SipAccount | None:
    """The active account with this login and password, or None (SIP-1). The hasher runs
    for an unknown login too, so a wrong login takes as long as a wrong password."""
    account = (
        SipAccount.objects.select_related("branch__library", "user")
        .filter(login=login, active=True)
        .first()
    )
    ok = check_password(password, account.password_hash if account else "!")
    return account if ok and account is not None else None
