"""Public pages rendered once and kept in each worker's memory, for the visitors who bring
nothing of their own: the home page, an organisation's page, its One Stop Service centre, the
wizard's first step and the check-results form.

What a cached page may hold, and how it stays honest:

- Only a GET answered 200 with HTML, by a view decorated with `public_page`, for a
  visitor with no pending message (a message would be shown once and then be gone), and only
  when the view's own test says the visitor's session holds nothing the page would show (the
  wizard's draft, for instance). A response that set a cookie, changed the session, queued a
  message or used the CSP nonce is never kept.
- The key is the view, the scheme, the host, the full path (with its query) and the active
  language: Thai and English are two entries.
- The CSRF token is not kept: every `csrfmiddlewaretoken` value is cut out of the stored page
  and each visitor gets their own, freshly masked (`get_token`), as on a rendered page; the
  CSRF cookie is set as usual. So no visitor ever receives another's token.
- An entry is used only while the shared version is the one it was stored under. Any save or
  delete of an organisation, a category or a request type (onestop.portal.apps connects the
  signals) calls `invalidate`: this worker drops its pages at once, and when the transaction
  commits a new random version is written to the cache (`CACHES["default"]`: the database, or
  Redis where configured), which every other worker reads at most every
  `ONESTOP_PAGE_CACHE_CHECK_SECONDS`. A random token, not a counter: two changes at once
  cannot both write the same "next" value, and a culled cache entry reads as a change.
- Whatever a signal cannot see (a queryset `update()`, the monthly counts behind "most used")
  is bounded by `ONESTOP_PAGE_CACHE_SECONDS`, the longest an entry lives (0: no cache).
- At most `ONESTOP_PAGE_CACHE_KB` of pages per worker, the least recently used dropped first.

Compressed once: each piece between two tokens is kept deflated too (raw deflate, flushed to a
byte boundary), and a visitor who accepts gzip gets those pieces with their own token deflated
on its own in between, in one gzip member with the CRC of the whole page, and up to 100 random
bytes in the header as Django's `GZipMiddleware` puts them (its BREACH mitigation). The token
never shares a compression window with the page, so no reflected text can be compressed against
it.
"""

from __future__ import annotations

import re
import secrets
import struct
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils import translation
from django.utils.cache import patch_vary_headers

VERSION_KEY = "onestop:public-pages:version"
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_HOLE = b"\x00"  # where a token was: never in a rendered page (HTML has no NUL)

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class _Entry:
    version: str
    stored_at: float
    status: int
    headers: tuple[tuple[str, str], ...]
    pieces: tuple[bytes, ...]  # the page cut where each CSRF token was
    deflated: tuple[bytes, ...]  # each piece deflated, the last one ending the stream

    @property
    def size(self) -> int:
        return sum(len(piece) for piece in (*self.pieces, *self.deflated)) + 200

    def response(self, request: HttpRequest) -> HttpResponse:
        token = b""
        if len(self.pieces) > 1:
            token = b'name="csrfmiddlewaretoken" value="' + get_token(request).encode() + b'"'
        if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            response = HttpResponse(self._gzip(token), status=self.status)
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(token.join(self.pieces), status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        patch_vary_headers(response, ("Accept-Encoding",))
        return response

    def _gzip(self, token: bytes) -> bytes:
        crc = zlib.crc32(self.pieces[0])
        for piece in self.pieces[1:]:
            crc = zlib.crc32(piece, zlib.crc32(token, crc))
        length = sum(len(piece) for piece in self.pieces) + len(token) * (len(self.pieces) - 1)
        deflated_token = _deflate(token, last=False) if token else b""
        padding = b"a" * secrets.randbelow(GZipMiddleware.max_random_bytes)
        return b"".join(
            (
                b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff",  # gzip, FNAME, mtime 0
                padding + b"\x00",
                deflated_token.join(self.deflated),
                struct.pack("<II", crc, length & 0xFFFFFFFF),
            )
        )


def _deflate(data: bytes, *, last: bool) -> bytes:
    """`data` as raw deflate blocks on their own: ending the stream if `last`, else flushed to
    a byte boundary so that more blocks may follow."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
    )


class _Store:
    """One worker's pages: least recently used first out, within a byte budget."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, ...], _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.version = ""
        self._checked_at = -1e18

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def current_version(self) -> str:
        """The shared version, read from the cache at most every CHECK seconds."""
        now = time.monotonic()
        if now - self._checked_at >= settings.ONESTOP_PAGE_CACHE_CHECK_SECONDS:
            self.version = str(cache.get(VERSION_KEY) or "")
            self._checked_at = now
        return self.version

    def set_version(self, version: str) -> None:
        self.version = version
        self._checked_at = time.monotonic()
        self.clear()

    def get(self, key: tuple[str, ...], version: str) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            fresh = time.monotonic() - entry.stored_at < settings.ONESTOP_PAGE_CACHE_SECONDS
            if entry.version != version or not fresh:
                del self._entries[key]
                self._bytes -= entry.size
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, ...], entry: _Entry) -> None:
        budget = settings.ONESTOP_PAGE_CACHE_KB * 1024
        if entry.size > budget // 4:
            return
        with self._lock:
            if (old := self._entries.pop(key, None)) is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > budget:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size


_store = _Store()


def invalidate() -> None:
    """Something a public page shows has changed: drop this worker's pages now, and tell the
    other workers (a new shared version) once the change is committed."""
    _store.clear()
    transaction.on_commit(_publish_new_version)


def _publish_new_version() -> None:
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, timeout=None)
    _store.set_version(version)


def clear_local() -> None:
    """Forget this worker's pages (tests start from nothing)."""
    _store.set_version("")


def _has_messages(request: HttpRequest) -> bool:
    return len(get_messages(request)) > 0


def _nonce_used(request: HttpRequest) -> bool:
    """A page with the CSP nonce in it matches only its own response's header."""
    return bool(getattr(request, "_csp_nonce", None))  # LazyNonce: true once generated


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("Content-Encoding")
        and not response.cookies
        and not (session is not None and session.modified)
        and not _has_messages(request)
        and not _nonce_used(request)
    )


def _entry(request: HttpRequest, response: HttpResponse, version: str) -> _Entry:
    pieces = _TOKEN_FIELD.sub(rb"\1" + _HOLE + rb"\2", response.content).split(
        b'name="csrfmiddlewaretoken" value="' + _HOLE + b'"'
    )
    return _Entry(
        version=version,
        stored_at=time.monotonic(),
        status=response.status_code,
        headers=tuple(
            (name, value) for name, value in response.headers.items() if name != "Content-Length"
        ),
        pieces=tuple(pieces),
        deflated=tuple(
            _deflate(piece, last=number == len(pieces) - 1) for number, piece in enumerate(pieces)
        ),
    )


def public_page(
    personal: Callable[..., bool] | None = None,
) -> Callable[[View], View]:
    """Serve the view's page from this worker's memory when it would be the same for every
    visitor. `personal(request, **kwargs)`, if given, says whether this visitor's session holds
    something the page shows (then the view renders it, and nothing is stored)."""

    def decorator(view: View) -> View:
        name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                settings.ONESTOP_PAGE_CACHE_SECONDS <= 0
                or request.method != "GET"
                or _has_messages(request)
                or (personal is not None and personal(request, *args, **kwargs))
            ):
                return view(request, *args, **kwargs)
            key = (
                name,
                request.scheme or "",
                request.get_host(),
                request.get_full_path(),
                translation.get_language() or "",
            )
            try:
                version = _store.current_version()
            except Exception:  # the cache is down: render, keep nothing
                return view(request, *args, **kwargs)
            if (entry := _store.get(key, version)) is not None:
                return entry.response(request)
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                _store.put(key, _entry(request, response, version))
            return response

        return cast(View, wrapper)

    return decorator
