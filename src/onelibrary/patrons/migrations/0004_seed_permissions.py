"""Seed the field-permission table with the group's defaults, and the patron settings.

The defaults are written out here (not imported) so that later changes to
`patrons.fields.DEFAULTS` do not rewrite history; a test checks they agree.
"""

from django.db import migrations

GROUPS = ("identity", "contact", "address", "birth_date", "category", "account", "blocks", "notes")
ALL = set(GROUPS)
AWAY_VIEW = {"identity", "contact", "address", "category", "account", "blocks"}
AWAY_EDIT = {"identity", "contact", "address", "account"}

DEFAULTS = {
    ("central_office", "home"): (ALL, ALL),
    ("library_admin", "home"): (ALL, ALL),
    ("desk", "home"): (ALL, ALL - {"blocks"}),
    ("library_admin", "other"): (AWAY_VIEW, AWAY_EDIT),
    ("desk", "other"): (AWAY_VIEW, AWAY_EDIT),
}


def seed(apps, schema_editor):
    FieldPermission = apps.get_model("patrons", "FieldPermission")
    PatronSettings = apps.get_model("patrons", "PatronSettings")
    for (role, relation), (view, edit) in DEFAULTS.items():
        for group in GROUPS:
            FieldPermission.objects.get_or_create(
                role=role,
                relation=relation,
                field_group=group,
                defaults={"can_view": group in view or group in edit, "can_edit": group in edit},
            )
    if not PatronSettings.objects.exists():
        PatronSettings.objects.create()


def unseed(apps, schema_editor):
    apps.get_model("patrons", "FieldPermission").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("patrons", "0003_shared_records")]

    operations = [migrations.RunPython(seed, unseed)]
