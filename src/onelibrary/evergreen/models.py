"""Which of our rows each Evergreen row became: how a second import knows what is there.

The core models stay free of Evergreen ids; this table alone remembers them."""

from __future__ import annotations

from django.db import models


class EvergreenKey(models.Model):
    """One Evergreen row (its table's kind and id) and the pk of the row it became."""

    class Kind(models.TextChoices):
        LIBRARY = "library", "actor.org_unit (system) → Library"
        BRANCH = "branch", "actor.org_unit → Branch"
        TITLE = "title", "biblio.record_entry → Title"
        ITEM = "item", "asset.copy → Item"
        PATRON = "patron", "actor.usr → Patron"
        HOLD = "hold", "action.hold_request → Hold"
        LOAN = "loan", "action.circulation → Loan"
        CIRC_RULE = "circ_rule", "config.circ_matrix_matchpoint → CirculationRule"
        HOLD_RULE = "hold_rule", "config.hold_matrix_matchpoint → CirculationRule"
        FLOAT_GROUP = "float_group", "config.floating_group → FloatGroup"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    evergreen_id = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "evergreen_id"], name="evergreen_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.evergreen_id} → {self.object_id}"
