"""`onelibrary load-demo` (demo/management/commands/load_demo.py, generator.load_plan)."""

from __future__ import annotations

import io
from statistics import mean

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from onelibrary.catalog.models import Item, Title, TitleIdentifier
from onelibrary.catalog.search import search_titles
from onelibrary.demo.checkdigits import luhn_valid
from onelibrary.demo.places import MAP_BOX
from onelibrary.members.models import Branch, ClosedDate, Library, SharingGroup, StaffRole
from onelibrary.patrons.models import Patron
from tests.seeds import reseed

# Fewer titles and patrons and no MARC files: the libraries are the same, loading is quick.
QUICK = ("--titles", "300", "--patrons", "200", "--no-marc")


@pytest.fixture(autouse=True)
def quick_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = tmp_path  # WhiteNoise warns about a missing one


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    return (
        list(Library.objects.order_by("code").values_list("code", "name", "size_class")),
        list(Branch.objects.order_by("code").values_list("code", "latitude", "longitude")),
        list(Item.objects.order_by("barcode").values_list("barcode", "owning_library__code")),
        list(Patron.objects.order_by("card").values_list("card", "last_name")),
        sorted(Title.objects.values_list("title", "author", "year")),
    )


def test_it_loads_a_small_group_of_about_12_members_and_18_branches(db):
    out = load_demo("--size", "small", "--seed", "1", *QUICK)

    assert SharingGroup.current().name == "Big Sky Partners"
    assert 10 <= Library.objects.count() <= 14
    assert 15 <= Branch.objects.count() <= 21
    assert Title.objects.count() == 300
    assert Patron.objects.count() == 200
    assert f"{Library.objects.count()} member libraries, {Branch.objects.count()} branches" in out
    assert "MARC files: skipped" in out


def test_it_puts_every_branch_on_the_map_with_its_closed_days(db):
    load_demo(*QUICK)

    for branch in Branch.objects.all():
        assert MAP_BOX.contains(float(branch.latitude), float(branch.longitude)), branch.code
        assert branch.courier_stop
        assert branch.address and branch.postcode and branch.town
    assert ClosedDate.objects.values("branch").distinct().count() == Branch.objects.count()


def test_it_spans_sizes_and_gives_big_libraries_more_copies(db):
    load_demo(*QUICK)

    classes = set(Library.objects.values_list("size_class", flat=True))
    assert classes == {"one_room", "small", "medium", "large", "city"}
    counts = {
        size_class: mean(
            Library.objects.filter(size_class=size_class, status="active")
            .annotate(n=Count("items"))
            .values_list("n", flat=True)
        )
        for size_class in ("city", "one_room")
    }
    assert counts["city"] > 5 * counts["one_room"]


def test_it_numbers_every_copy_with_a_unique_checked_barcode(db):
    load_demo(*QUICK)

    barcodes = list(Item.objects.values_list("barcode", flat=True))
    assert len(barcodes) > 300
    assert len(set(barcodes)) == len(barcodes)
    assert all(luhn_valid(b) for b in barcodes)


def test_it_indexes_generated_titles_for_search(db):
    load_demo(*QUICK)

    title = Title.objects.exclude(isbns="").order_by("pk").first()
    assert TitleIdentifier.objects.filter(title=title, value=title.isbns).exists()
    found = search_titles(title.isbns, field="isbn")
    assert [hit.title_id for hit in found.hits] == [title.pk]
    assert title.marc  # a real MARC record, for display and export


def test_it_creates_staff_who_can_log_in_to_the_admin(db, client):
    load_demo(*QUICK)

    central = User.objects.get(username="central")
    assert central.is_superuser and central.is_staff
    assert StaffRole.objects.get(user=central).role == "central_office"
    for library in Library.objects.all():
        desk = User.objects.get(username=f"desk.{library.code.lower()}")
        admin = User.objects.get(username=f"admin.{library.code.lower()}")
        assert desk.is_staff and not desk.is_superuser
        assert StaffRole.objects.filter(user=desk, library=library, role="desk").exists()
        assert StaffRole.objects.filter(user=admin, library=library, role="library_admin").exists()
    assert client.login(username="central", password="demo-password")
    assert client.get("/admin/").status_code == 200


def test_it_refuses_to_load_twice_and_says_how_to_start_afresh(db):
    load_demo(*QUICK)
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        load_demo(*QUICK)

    message = str(refused.value)
    assert 'already holds the sharing group "Big Sky Partners"' in message
    assert "To start afresh" in message
    assert snapshot() == before


def test_it_loads_the_same_group_for_the_same_seed_and_another_for_another(transactional_db):
    load_demo("--seed", "3", *QUICK)
    first = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    reseed()
    load_demo("--seed", "3", *QUICK)
    again = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    reseed()
    load_demo("--seed", "4", *QUICK)
    other = snapshot()

    assert again == first
    assert other[0] != first[0]  # library codes and names
    assert other[1] != first[1]  # branch coordinates


def test_it_imports_the_sample_marc_files_into_the_biggest_libraries(db, shared_data):
    out = load_demo("--titles", "100", "--patrons", "50")

    jazz = Item.objects.filter(shelf_location__startswith="HUNT-")  # 949 $l of jazz_1k
    assert jazz.count() > 800
    owners = set(jazz.values_list("owning_library__size_class", flat=True))
    assert owners == {"city"}
    assert Title.objects.count() > 1000
    assert not Title.objects.filter(items__isnull=True).exists()  # every title has a copy
    assert "    jazz_1k.mrc -> " in out


def test_it_goes_on_with_generated_titles_when_the_marc_files_are_missing(db, settings, tmp_path):
    settings.SHARED_DATA_DIR = tmp_path / "nowhere"

    out = load_demo("--titles", "100", "--patrons", "50")

    assert "generated titles only" in out
    assert Title.objects.count() == 100


def test_it_gives_the_group_rules_with_member_differences_and_real_loans(db):
    from onelibrary.circulation.models import Loan
    from onelibrary.policy.models import CirculationRule

    load_demo(*QUICK)

    default = CirculationRule.objects.get(name="Group default")
    assert default.library is None and default.loan_days == 21
    assert CirculationRule.objects.filter(library__isnull=False).exists()
    assert CirculationRule.objects.filter(item_type="dvd", holdable=False).count() == 1
    out = Item.objects.filter(status=Item.Status.CHECKED_OUT)
    assert out.exists()
    assert Loan.objects.filter(state="active").count() == out.count()
    periods = {loan.rule["loan_days"]["value"] for loan in Loan.objects.all()}
    assert periods and periods <= {7, 14, 21}


# Times the demo may put ahead of now: deadlines and expiries, not things that happened.
AHEAD = {"respond_by", "expires_at", "due_at", "remind_at", "review_on"}


def test_nothing_in_the_demo_happens_in_the_future(db):
    """A demo loaded in the morning once had loans, crates and kept scans "at 14:00"."""
    from django.apps import apps
    from django.db import models
    from django.utils import timezone

    from onelibrary.circulation.models import Loan

    load_demo(*QUICK)
    now = timezone.now()
    assert Loan.objects.exists()
    ahead = {}
    for model in apps.get_models():
        if not model.__module__.startswith("onelibrary."):
            continue
        for field in model._meta.fields:
            if isinstance(field, models.DateTimeField) and field.name not in AHEAD:
                n = model.objects.filter(**{f"{field.name}__gt": now}).count()
                if n:
                    ahead[f"{model._meta.label}.{field.name}"] = n
    assert ahead == {}


def test_it_plants_lapses_for_the_compliance_monitors(db):
    from onelibrary.governance import monitors

    load_demo("--seed", "1", *QUICK)
    found = {f.monitor for f in monitors.run()}
    assert {"hidden", "crates", "staff"} <= found
