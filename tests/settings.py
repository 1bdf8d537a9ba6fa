"""Test settings: the real settings module with test keys, fast hashing and loud templates."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("ONESTOP_DATA_KEY", "test-data-key-one,test-data-key-old")
os.environ.setdefault("ONESTOP_DATA_DIR", tempfile.mkdtemp(prefix="onestop-test-"))
os.environ.setdefault("EMAIL_URL", "memory://")

from config.settings import *  # noqa: E402, F403

from config.settings import STORAGES, TEMPLATES  # noqa: E402


class InvalidTemplateVariable(str):
    """Make a template that reads an undefined variable fail the test."""

    def __mod__(self, other: object) -> str:
        raise AssertionError(f"undefined template variable: {other}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
MEDIA_ROOT = tempfile.mkdtemp(prefix="onestop-media-")
STORAGES["default"]["OPTIONS"]["location"] = MEDIA_ROOT
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
