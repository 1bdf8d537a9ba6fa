"""Personal data at rest: national ID numbers are encrypted (Fernet, AES-128-CBC + HMAC) with
keys from ONESTOP_DATA_KEY, and found again through a keyed hash (HMAC-SHA256) that reveals
nothing without the key. Separate sub-keys are derived for each purpose."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derive(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), b"onestop:" + purpose, hashlib.sha256).digest()


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(key, b"encrypt"))) for key in keys])


def _keys() -> tuple[str, ...]:
    return tuple(settings.ONESTOP_DATA_KEYS)


def encrypt(plaintext: str) -> str:
    return _fernet(_keys()).encrypt(plaintext.encode()).decode("ascii")


class DecryptionError(Exception):
    """The stored value was not made with any of the configured keys."""


def decrypt(token: str) -> str:
    try:
        return _fernet(_keys()).decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise DecryptionError from exc


def lookup_hash(value: str) -> str:
    """Keyed hash for equality look-ups. Always made with the first (current) key."""
    return hmac.new(_derive(_keys()[0], b"lookup"), value.encode(), hashlib.sha256).hexdigest()
