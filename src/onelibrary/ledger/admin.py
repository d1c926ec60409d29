"""Admin for the ledger: entries to look at (they are written only by `ledger.book`)."""

from __future__ import annotations

from django.contrib import admin

from onelibrary.ledger.models import Entry
from onelibrary.members.admin import ReadOnlyAdmin


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "booked_at", "kind", "debtor", "creditor", "amount", "decision"]
    list_filter = ["kind", "decision"]
    search_fields = ["reason", "source_id"]
    list_select_related = ["debtor", "creditor"]
