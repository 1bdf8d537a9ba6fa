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


def _hash(key: str, value: str) -> str:
    return hmac.new(_derive(key, b"lookup"), value.encode(), hashlib.sha256).hexdigest()


def lookup_hash(value: str) -> str:
    """Keyed hash to store for equality look-ups. Always made with the first (current) key."""
    return _hash(_keys()[0], value)


def lookup_hashes(value: str) -> list[str]:
    """The keyed hash of `value` under every configured key, current first: filter stored
    hashes with `__in=` so that rows hashed before a rotation are still found (until
    `manage.py data_key_rotate` has rehashed them under the current key)."""
    return [_hash(key, value) for key in _keys()]


def is_current(token: str) -> bool:
    """Whether `token` was encrypted with the first (current) key."""
    try:
        _fernet(_keys()[:1]).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True
