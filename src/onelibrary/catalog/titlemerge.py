"""Merge a duplicate title into the title that stays.

Imports de-duplicate by identifier and title key (docs/marc.md); a duplicate they miss
(no shared ISBN, a typo in the title) is merged here by the central office. The
duplicate's copies, identifiers and source records move to the title that stays, its
blanks are filled from the duplicate, and the duplicate is deleted, leaving a
`RetiredTitle` so harvesters learn that its record is gone (docs/interop.md).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from onelibrary.catalog.models import Item, RetiredTitle, Title, TitleIdentifier, TitleSource
from onelibrary.catalog.search import index_titles
from onelibrary.core.refusals import Refusal
from onelibrary.members.access import is_central_office
from onelibrary.members.models import Library

FILLED = ("author", "publisher", "language", "year", "oclc_number")


class MergeRefused(Refusal):
    """The titles cannot be merged; nothing was changed."""


def merge_titles(staff: User | AnonymousUser, *, keep_id: int, duplicate_id: int) -> Title:
    """Move everything of title `duplicate_id` to title `keep_id` and retire the duplicate."""
    if not is_central_office(staff):
        raise MergeRefused("not_allowed", "Only the central office merges titles.")
    if keep_id == duplicate_id:
        raise MergeRefused("same_title", "A title cannot be merged into itself.")
    with transaction.atomic():
        found = {
            t.pk: t
            for t in Title.objects.select_for_update().filter(pk__in=[keep_id, duplicate_id])
        }
        for pk in (keep_id, duplicate_id):
            if pk not in found:
                raise MergeRefused("no_title", f"There is no title {pk}. Check the number.")
        keep, duplicate = found[keep_id], found[duplicate_id]
        owners = (
            Library.objects.filter(items__title=duplicate).distinct().values_list("code", flat=True)
        )
        libraries = " ".join(sorted(owners))
        Item.objects.filter(title=duplicate).update(title=keep)
        TitleIdentifier.objects.filter(title=duplicate).update(title=keep)
        TitleSource.objects.filter(title=duplicate).update(title=keep)
        for name in FILLED:
            setattr(keep, name, getattr(keep, name) or getattr(duplicate, name))
        keep.isbns = " ".join(dict.fromkeys([*keep.isbn_list, *duplicate.isbn_list]))
        keep.subjects = "\n".join(dict.fromkeys([*keep.subject_list, *duplicate.subject_list]))
        now = timezone.now()
        keep.updated_at = now
        keep.save()
        try:
            with transaction.atomic():
                duplicate.delete()
        except ProtectedError as error:
            # Holds name their title; they are moved by their own part, not from here.
            raise MergeRefused(
                "title_in_use",
                f"Title {duplicate_id} still has holds or other records pointing at it: "
                "move or cancel them first, then merge again.",
            ) from error
        RetiredTitle.objects.create(
            title_id=duplicate_id,
            reason=RetiredTitle.Reason.MERGED,
            merged_into=keep_id,
            libraries=libraries,
            retired_at=now,
        )
        index_titles([keep_id, duplicate_id])
    return keep
