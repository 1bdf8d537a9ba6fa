"""Test settings: the real settings module with test keys, fast hashing and loud templates."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("ONESTOP_DATA_KEY", "test-data-key-one,test-data-key-old")
os.environ.setdefault("ONESTOP_DATA_DIR", tempfile.mkdtemp(prefix="onestop-test-"))
os.environ.setdefault("EMAIL_URL", "memory://")

from config.settings import *  # noqa: F403
from config.settings import STORAGES, TEMPLATES


class InvalidTemplateVariable(str):
    """Make a template that reads an undefined variable fail the test."""

    def __mod__(self, other: object) -> str:
        raise AssertionError(f"undefined template variable: {other}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="onestop-media-"))
STORAGES["default"]["OPTIONS"]["location"] = str(MEDIA_ROOT)
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# A file, not shared-cache memory: concurrency tests need SQLite's real locking (WAL + timeout).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(os.environ["ONESTOP_DATA_DIR"]) / "test.sqlite3")
    }

# A second alias for the read-replica router's tests (tests/test_replica.py): a test mirror of
# the default database. The router uses it only where a test names it in ONESTOP_READ_REPLICA.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
if DATABASES["replica"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A replica only reads: a deferred transaction takes no write lock that would wait for the
    # default connection's (each test opens a transaction on both).
    DATABASES["replica"]["OPTIONS"] = {  # noqa: F405
        **DATABASES["replica"]["OPTIONS"],  # noqa: F405
        "transaction_mode": "DEFERRED",
    }

STATIC_ROOT = Path(tempfile.mkdtemp(prefix="onestop-static-"))

ONESTOP_MAP_TILES_URL = ""  # no map tiles from the internet in tests

# The page cache's shared version is read when a test asks (tests/test_public_page_cache.py sets
# 0), not at random after a second of a slow test: query budgets stay exact.
ONESTOP_PAGE_CACHE_CHECK_SECONDS = 3600
# Request latencies are written by the tests that check them (`latency.flush(force=True)`), never
# by chance after a response: a query budget must not count a write that came due during it.
ONESTOP_LATENCY_FLUSH_SECONDS = 10**9
