"""The demo's API key (`make demo` prints it): one read-and-write counter key of the demo
organisation, derived from SECRET_KEY so that every run prints the same working key without
storing it, and created only when DEBUG is on (never on a production site)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from onestop.api.keys import api_key_create, secret_digest
from onestop.api.models import ApiKey
from onestop.organisations.models import Organisation, Role

DEMO_SLUG = "wangchao"
DEMO_KEY_NAME = "กุญแจสาธิต (make demo)"


def _derived() -> tuple[str, str]:
    mac = hmac.new(settings.SECRET_KEY.encode(), b"onestop demo api key", hashlib.sha256)
    raw = mac.digest()
    return raw[:4].hex(), base64.urlsafe_b64encode(raw).decode().rstrip("=")


def api_demo_key(*, slug: str = DEMO_SLUG) -> str:
    """The demo key's full text, creating the key if it is missing (refused unless DEBUG)."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("The demo API key exists only with DEBUG on (make demo).")
    organisation = Organisation.objects.get(slug=slug)
    prefix, secret = _derived()
    key = ApiKey.objects.filter(prefix=prefix).first()
    if key is None or key.organisation_id != organisation.pk or key.revoked_at is not None:
        if key is not None:  # an old demo's key (another organisation, or revoked): start over
            key.prefix = f"x{key.pk:07x}"[:8]
            key.save(update_fields=["prefix"])
        key = api_key_create(
            organisation=organisation, actor=None, name=DEMO_KEY_NAME, role=Role.COUNTER,
            read_only=False, prefix=prefix, secret=secret,
        ).key  # fmt: skip
    elif not hmac.compare_digest(key.secret_hash, secret_digest(secret)):
        key.secret_hash = secret_digest(secret)
        key.save(update_fields=["secret_hash"])
    return f"os_{prefix}_{secret}"
