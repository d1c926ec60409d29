"""The help desk on the test world: a technical staff member (in the "Technical staff"
group, no library), desk staff with email addresses, an outsider at Elk Valley, uploads
kept in a temporary MEDIA_ROOT and email kept in memory."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from onelibrary.helpdesk import actions
from onelibrary.helpdesk.models import Report
from onelibrary.members.access import TECHNICAL_STAFF
from tests.conftest import PASSWORD, World, make_staff


@dataclass(frozen=True)
class Desk:
    world: World
    tech: User  # technical staff: sees and triages every report
    elk: User  # desk staff at Elk Valley: sees none of Riverton's or Pine Creek's
    riv_report: Report  # filed by desk.riv at Riverton Main
    pine_report: Report  # filed by desk.pine at Pine Creek


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def png(size: tuple[int, int] = (40, 30), mode: str = "RGB", name: str = "screen.png"):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_technical(username: str) -> User:
    user = User.objects.create_user(username, email=f"{username}@county.example", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=TECHNICAL_STAFF)[0])
    return user


@pytest.fixture
def desk(world, settings, tmp_path) -> Desk:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    for user in (world.desk_riv, world.desk_pine, world.admin_riv):
        user.email = f"{user.username}@library.example"
        user.save()
    tech = make_technical("tech")
    elk = make_staff("desk.elk", "desk", world.elk)
    riv_report = actions.file_report(
        world.desk_riv,
        actions.Problem(
            symptom="The receipt printer's light blinks orange.", branch=world.riv_main
        ),
    )
    pine_report = actions.file_report(
        world.desk_pine,
        actions.Problem(symptom="The scanner types the barcode twice.", branch=world.pine_main),
    )
    return Desk(world=world, tech=tech, elk=elk, riv_report=riv_report, pine_report=pine_report)


def text(response) -> str:
    """The page as a person reads it: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())
