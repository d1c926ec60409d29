"""The summaries say how many, never who: no table of insights has a patron column."""

from __future__ import annotations

from django.apps import apps
from django.db import connection


def test_no_summary_table_has_a_patron_column(db):
    models = list(apps.get_app_config("insights").get_models())
    assert len(models) >= 5
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            assert columns, table
            assert not [c for c in columns if "patron" in c or "card" in c], (table, columns)
            related = {f.related_model for f in model._meta.get_fields() if f.is_relation}
            assert not {m._meta.label for m in related if m} & {"patrons.Patron"}, table
