"""API tokens: issue, revoke and use the keys staff accounts call the JSON API with.

A key is shown once, when it is issued; only its SHA-256 is stored, so a copy of the
database gives no working key. A key works while its token is not revoked and its
account is active and still works for a library or the central office.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.members.access import is_staff_member
from onelibrary.members.models import ApiToken


class TokenRefused(Exception):
    """Why a key does not work, in words the caller can act on."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once; not stored


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(user: User, *, name: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise TokenRefused("name_required", "Name the token after what will use it.")
    if not user.is_active or not is_staff_member(user):
        raise TokenRefused(
            "not_staff",
            f"{user.username} is not a staff member of any library or of the central office; "
            "only staff accounts may have API tokens.",
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], key_hash=hash_key(key))
    return IssuedToken(token=token, key=key)


@transaction.atomic
def revoke_token(token_id: int, *, now: dt.datetime | None = None) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None:
        raise TokenRefused("unknown_token", f"There is no API token #{token_id}.")
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=now or timezone.now())
        token.refresh_from_db()
    return token


def use_token(key: str, *, now: dt.datetime | None = None) -> User:
    """The account a key belongs to; notes when it was last used. Refuses a bad key."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None:
        raise TokenRefused(
            "bad_token", "This API token is not known. Check it was copied whole, or ask for one."
        )
    if token.revoked_at is not None:
        raise TokenRefused(
            "token_revoked",
            f"This API token ('{token.name}') was revoked on {token.revoked_at:%Y-%m-%d}. "
            "Ask for a new one.",
        )
    user = token.user
    if not user.is_active:
        raise TokenRefused("account_inactive", f"The account {user.username} is disabled.")
    if not is_staff_member(user):
        raise TokenRefused(
            "not_staff",
            f"The account {user.username} no longer works for any library, so its API "
            "tokens do not work.",
        )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now or timezone.now())
    return user
