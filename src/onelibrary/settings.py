"""Django settings for OneLibrary.

Every setting comes from an environment variable; docs/operations.md lists them all.
SQLite in one file is the default; DATABASE_URL selects PostgreSQL for large groups.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} is {value!r}: set it to a whole number.") from None


def _kept_secret_key(folder: Path) -> str:
    """The key in `folder`/secret_key, made once (random, mode 0600) when it is missing.

    There is no public fallback key: a key everyone can read in the source lets anyone
    forge sessions. Written whole to a temporary file and linked into place, so that
    servers starting at once all end up with the one key.
    """
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".secret_key.")  # mode 0600
        with os.fdopen(handle, "w") as out:
            out.write(get_random_secret_key())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if len(key) < 50:
        raise ImproperlyConfigured(
            f"{path} holds a key shorter than 50 characters: delete the file to have a new "
            "one made, or set ONELIBRARY_SECRET_KEY."
        )
    return key


DATA_DIR = Path(os.environ.get("ONELIBRARY_DATA_DIR", Path.cwd() / "var")).resolve()

DATA_DIR.mkdir(parents=True, exist_ok=True)
DEBUG = _env_bool("ONELIBRARY_DEBUG", False)
SECRET_KEY = os.environ.get("ONELIBRARY_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG and os.environ.get("ONELIBRARY_REQUIRE_SECRET_KEY"):
        raise ImproperlyConfigured("Set ONELIBRARY_SECRET_KEY to a long random string.")
    SECRET_KEY = _kept_secret_key(DATA_DIR)

# HTTPS (docs/operations.md, "Production checklist"). Off by default so that the demo
# runs over plain HTTP on 127.0.0.1; `onelibrary check --deploy` warns while they are off.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("ONELIBRARY_SECURE_COOKIES", False)
SECURE_SSL_REDIRECT = _env_bool("ONELIBRARY_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = _env_int("ONELIBRARY_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("ONELIBRARY_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("ONELIBRARY_HSTS_PRELOAD", False)
# The header a TLS-terminating proxy sets, e.g. X-Forwarded-Proto; only trust it when the
# proxy always sets or overwrites it, or a client could claim HTTPS over plain HTTP.
_proxy_header = os.environ.get("ONELIBRARY_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ONELIBRARY_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("ONELIBRARY_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "huey.contrib.djhuey",
    "onelibrary.members",
    "onelibrary.catalog",
    "onelibrary.patrons",
    "onelibrary.policy",
    "onelibrary.circulation",
    "onelibrary.holds",
    "onelibrary.courier",
    "onelibrary.transit",
    "onelibrary.floating",
    "onelibrary.insights",
    "onelibrary.account",
    "onelibrary.ledger",
    "onelibrary.directory",
    "onelibrary.governance",
    "onelibrary.demo",
    "onelibrary.simulation",
    "onelibrary.evergreen",
    "onelibrary.sip2",
    "onelibrary.outreach",
    "onelibrary.helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a refused login into the lockout page
]

AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff login throttling (django-axes; docs/operations.md, "Staff logins"). Failures are
# counted by account and, apart, by address; either reaching the limit within the
# lockout time refuses further logins until it has passed since the last failure.
AXES_FAILURE_LIMIT = _env_int("ONELIBRARY_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_env_int("ONELIBRARY_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "onelibrary.members.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "onelibrary.members.lockout.client_address"
# No row per successful login: only failures are kept, for the lockout time (then the
# daily tidy-up deletes them), so staff addresses are not kept for ever.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Behind a proxy every request comes from the proxy: name the header it puts the
# client's address in (the last address in it is the one the proxy saw).
CLIENT_IP_HEADER = os.environ.get("ONELIBRARY_CLIENT_IP_HEADER", "").strip()

ROOT_URLCONF = "onelibrary.urls"
WSGI_APPLICATION = "onelibrary.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onelibrary.members.context.sharing_group",
                "onelibrary.members.context.staff_member",
            ],
        },
    },
]


def _sqlite_database(name: str) -> dj_database_url.DBConfig:
    """SQLite as the desks need it, whether chosen by default or by a sqlite:// URL."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            # WAL lets readers go on while one writer writes; the busy timeout makes a
            # second writer wait instead of failing at once; BEGIN IMMEDIATE takes the
            # write lock at the start, so a transaction never fails half-way upgrading it.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        },
        # Tests use a file too, not shared-cache memory, so that concurrency tests
        # meet SQLite's real locking. One file per test process.
        "TEST": {
            "NAME": os.environ.get(
                "ONELIBRARY_TEST_SQLITE_PATH",
                str(Path(tempfile.gettempdir()) / f"onelibrary-test-{os.getpid()}.sqlite3"),
            )
        },
    }


DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES = {"default": _sqlite_database(str(DATABASES["default"]["NAME"]))}
    elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Statements are bound and prepared on the server, so each connection plans a
        # desk scan's statements once (docs/operations.md). Behind a pooler that cannot
        # keep prepared statements (PgBouncer in transaction mode before 1.21), set
        # ONELIBRARY_PG_PREPARE=off.
        prepare = os.environ.get("ONELIBRARY_PG_PREPARE", "on").strip().lower()
        if prepare not in ("on", "off"):
            raise ImproperlyConfigured(
                f"ONELIBRARY_PG_PREPARE is {prepare!r}: set it to on (the default) or off."
            )
        DATABASES["default"]["ENGINE"] = "onelibrary.db.postgresql"
        DATABASES["default"]["OPTIONS"] = {
            "server_side_binding": prepare == "on",
            "prepare_threshold": 5 if prepare == "on" else None,  # psycopg's default
        }
else:
    DATABASES = {
        "default": _sqlite_database(
            os.environ.get("ONELIBRARY_SQLITE_PATH", str(DATA_DIR / "onelibrary.sqlite3"))
        )
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("ONELIBRARY_TIME_ZONE", "America/Denver")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("ONELIBRARY_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files (damage photos, docs/ledger.md; help desk screenshots, docs/helpdesk.md):
# Django's storage API. On disk under MEDIA_ROOT by default, never served as public files:
# a view that checks who asks streams each one (ledger.report_views.photo,
# helpdesk's screenshot view). ONELIBRARY_FILE_STORAGE names another
# backend, e.g. django-storages' S3 one, with its options as JSON (docs/operations.md).
MEDIA_ROOT = Path(os.environ.get("ONELIBRARY_MEDIA_ROOT", DATA_DIR / "media")).resolve()
MEDIA_URL = "/media/"  # no URL serves it: photos go through the view above
_file_options = os.environ.get("ONELIBRARY_FILE_STORAGE_OPTIONS", "").strip()
try:
    FILE_STORAGE_OPTIONS = json.loads(_file_options) if _file_options else {}
except ValueError:
    raise ImproperlyConfigured(
        "ONELIBRARY_FILE_STORAGE_OPTIONS is not JSON: write it like "
        '{"bucket_name": "photos", "endpoint_url": "https://s3.example.org"}.'
    ) from None
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "ONELIBRARY_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": FILE_STORAGE_OPTIONS,
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:home"  # staff land on their branch home
LOGOUT_REDIRECT_URL = "home"

# Without a mail server, notices are only counted on standard output (quietmail.py):
# Django's console backend would write patrons' addresses into the server's log.
# OAI-PMH (docs/interop.md): the namespace of record identifiers (oai:NAMESPACE:TITLE-ID),
# a domain name the group controls; and the contact when the sharing group has no email.
OAI_NAMESPACE = os.environ.get("ONELIBRARY_OAI_NAMESPACE", "onelibrary.local").strip()
OAI_ADMIN_EMAIL = os.environ.get("ONELIBRARY_OAI_ADMIN_EMAIL", "catalog@onelibrary.local").strip()

# The directory's map (docs/directory.md): a tile server URL such as
# https://tile.openstreetmap.org/{z}/{x}/{y}.png, and the attribution its terms ask for.
# Empty (the default): no tiles, so no visitor's browser asks a third party for anything;
# the map shows the branches on a plain background and the list below it.
MAP_TILE_URL = os.environ.get("ONELIBRARY_MAP_TILE_URL", "").strip()
MAP_TILE_ATTRIBUTION = os.environ.get("ONELIBRARY_MAP_TILE_ATTRIBUTION", "").strip()

EMAIL_BACKEND = os.environ.get("ONELIBRARY_EMAIL_BACKEND", "onelibrary.quietmail.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("ONELIBRARY_FROM_EMAIL", "onelibrary@localhost")
EMAIL_HOST = os.environ.get("ONELIBRARY_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("ONELIBRARY_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("ONELIBRARY_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ONELIBRARY_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("ONELIBRARY_EMAIL_USE_TLS", False)

# Background work (holds maintenance): huey. A SQLite file under DATA_DIR by default, so
# nothing else needs running; Redis when ONELIBRARY_REDIS_URL is set (pip install redis).
# Immediate mode (tasks run at once, in process) with ONELIBRARY_HUEY_IMMEDIATE or under
# pytest, so tests need no worker.
HUEY_IMMEDIATE = _env_bool("ONELIBRARY_HUEY_IMMEDIATE", False) or "pytest" in sys.modules
REDIS_URL = os.environ.get("ONELIBRARY_REDIS_URL", "")
HUEY: dict[str, object] = {
    "name": "onelibrary",
    "immediate": HUEY_IMMEDIATE,
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}})
else:
    HUEY_PATH = Path(os.environ.get("ONELIBRARY_HUEY_PATH", DATA_DIR / "huey.sqlite3"))
    HUEY_PATH.parent.mkdir(parents=True, exist_ok=True)
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(HUEY_PATH)})

# Where the shared test data (Evergreen's MARC files) lives: beside the repository.
SHARED_DATA_DIR = Path(
    os.environ.get("ONELIBRARY_SHARED_DATA", PACKAGE_DIR.parent.parent.parent / "shared" / "data")
).resolve()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ONELIBRARY_LOG_LEVEL", "WARNING")},
}
