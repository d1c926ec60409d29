"""The demo group's directory: contacts, hours, procedures on the desk pages, a ticket."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from onelibrary.directory.models import BranchHours, Contact, Procedure, Ticket
from onelibrary.members.models import Branch, Library


@pytest.fixture(autouse=True)
def quick_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = tmp_path


def test_the_demo_fills_the_directory(db):
    call_command(
        "load_demo", "--titles", "50", "--patrons", "30", "--no-marc", stdout=io.StringIO()
    )
    libraries = Library.objects.count()
    assert Contact.objects.count() == 4 * libraries
    assert Contact.objects.filter(public=True).count() == 2 * libraries
    assert BranchHours.objects.count() == Branch.objects.exclude(open_days="0000000").count()
    assert set(Procedure.objects.values_list("slug", flat=True)) == {
        "checking-in",
        "unpacking-a-crate",
        "pulling-holds",
    }
    assert Ticket.objects.filter(from_library=None, status=Ticket.Status.OPEN).count() == 1
    response = Client().get("/directory/")
    assert response.status_code == 200
    assert len(response.context["markers"]) == Branch.objects.filter(is_active=True).count()
