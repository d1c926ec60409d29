"""The ticket categories a new group starts with; the central office changes them in the
admin (docs/directory.md, "Tickets")."""

from django.db import migrations

CATEGORIES = [
    ("courier", "Courier and crates", 2),
    ("damaged", "Damaged or incomplete item", 5),
    ("missing", "Missing item or lost in transit", 5),
    ("patron", "Patron account question", 3),
    ("policy", "Policy or procedure question", 7),
    ("other", "Something else", 7),
]


def seed(apps, schema_editor):
    TicketCategory = apps.get_model("directory", "TicketCategory")
    for code, name, days in CATEGORIES:
        TicketCategory.objects.get_or_create(
            code=code, defaults={"name": name, "response_days": days}
        )


def unseed(apps, schema_editor):
    apps.get_model("directory", "TicketCategory").objects.filter(
        code__in=[code for code, _, _ in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_directory")]
    operations = [migrations.RunPython(seed, unseed)]
