"""`onelibrary demo` (demo/management/commands/demo.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onelibrary.catalog.models import Title
from onelibrary.demo import generator
from onelibrary.demo.management.commands import demo as demo_command
from onelibrary.members.models import Library, SharingGroup


@pytest.fixture(autouse=True)
def quick_demo(settings, monkeypatch, tmp_path):
    """A small demo with few titles and patrons and no MARC files: same libraries, faster."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SHARED_DATA_DIR = tmp_path / "no-shared-data"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    quick = replace(generator.SIZES["small"], titles=200, patrons=100)
    monkeypatch.setitem(generator.SIZES, "small", quick)


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_it_migrates_loads_and_prints_the_logins(db):
    out = demo("--no-serve", "--port", "8123")

    assert "Migrating the database" in out
    assert SharingGroup.current().name == "Big Sky Partners"
    assert Title.objects.count() == 200
    assert "http://127.0.0.1:8123/" in out
    assert '"demo-password"' in out
    city = Library.objects.filter(size_class="city").order_by("code").first()
    one_room = Library.objects.filter(size_class="one_room", status="active")
    assert "  central " in out
    assert f"desk.{city.code.lower()} " in out
    assert f"admin.{city.code.lower()} " in out
    assert any(f"desk.{lib.code.lower()} " in out for lib in one_room)


def test_it_does_not_load_again_on_a_second_run(db):
    first = demo("--no-serve")
    titles = Title.objects.count()

    second = demo("--no-serve", "--seed", "9")

    assert "Loaded in" in first
    assert "Loaded in" not in second
    assert "already loaded" in second
    assert "--size and --seed apply only to a fresh database" in second
    assert Title.objects.count() == titles
    assert [line for line in first.splitlines() if "desk." in line] == [
        line for line in second.splitlines() if "desk." in line
    ]


def test_it_serves_on_the_loopback_address_without_the_reloader(db, monkeypatch):
    served = []

    def fake_call_command(name, *args, **options):
        if name == "runserver":
            served.append((args, options))
        else:
            call_command(name, *args, **options)

    monkeypatch.setattr(demo_command, "call_command", fake_call_command)

    demo("--port", "8124")

    assert served == [(("127.0.0.1:8124",), {"use_reloader": False})]


def test_it_refuses_a_port_out_of_range(db):
    with pytest.raises(CommandError, match="--port must be between 1 and 65535"):
        demo("--no-serve", "--port", "70000")
    assert SharingGroup.current() is None


def test_it_serves_static_files_with_debug_off(db, client, settings):
    assert settings.DEBUG is False
    for path in ("/static/admin/css/base.css", "/static/onelibrary/onelibrary.css"):
        assert client.get(path).status_code == 200, path


def test_it_starts_from_nothing_in_a_fresh_data_dir(tmp_path):
    """The real first run, in its own process: a new SQLite file is migrated and loaded.

    It runs on SQLite even in the PostgreSQL pass: it needs a database of its own.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "ONELIBRARY_SQLITE_PATH", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        ONELIBRARY_DATA_DIR=str(tmp_path / "data"),
        ONELIBRARY_SHARED_DATA=str(tmp_path / "no-shared-data"),
    )
    command = [sys.executable, "-m", "onelibrary", "demo", "--no-serve"]

    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    assert run.returncode == 0, run.stderr
    assert (tmp_path / "data" / "onelibrary.sqlite3").exists()
    assert "Loaded in" in run.stdout
    assert "  central " in run.stdout
