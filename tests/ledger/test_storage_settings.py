"""Uploaded files' storage comes from the environment: the filesystem by default, any
backend by name with its options as JSON, a clear stop on options that are not JSON."""

from __future__ import annotations

import json

from tests.test_settings import _run

SHOW = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'storage': settings.STORAGES['default'], 'root': str(settings.MEDIA_ROOT)}))"
)


def test_the_default_storage_is_the_filesystem_under_the_data_dir(tmp_path):
    done = _run(SHOW, {}, tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["storage"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {},
    }
    assert found["root"] == str((tmp_path / "data" / "media").resolve())


def test_a_setting_names_another_backend_and_its_options(tmp_path):
    env = {
        "ONELIBRARY_FILE_STORAGE": "storages.backends.s3.S3Storage",
        "ONELIBRARY_FILE_STORAGE_OPTIONS": '{"bucket_name": "photos", "default_acl": "private"}',
    }
    done = _run(SHOW, env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["storage"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "photos", "default_acl": "private"},
    }


def test_options_that_are_not_json_stop_the_start_saying_how(tmp_path):
    done = _run(SHOW, {"ONELIBRARY_FILE_STORAGE_OPTIONS": "bucket=photos"}, tmp_path)
    assert done.returncode != 0
    assert "ONELIBRARY_FILE_STORAGE_OPTIONS is not JSON" in done.stderr
