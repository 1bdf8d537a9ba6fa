"""What every request must pass before a view sees it (`IngressMiddleware`).

1. The body's size is checked from CONTENT_LENGTH *before* any of it is read or written to disk:
   `ONESTOP_MAX_REQUEST_KB` for anonymous visitors, `ONESTOP_MAX_UPLOAD_MB` for views marked
   `@accepts_uploads` (the wizard's documents step, the citizen's added information) and for
   signed-in staff. A body without a length (chunked) is refused: the size cannot be known
   before reading it. Both answer 413 with a Thai/English page.
2. A value no form can hold ends in a clear 400 page, not a 500 deep in the database: a NUL
   character (PostgreSQL text cannot store it) in the path, the query, a cookie or a posted field,
   a form that is not UTF-8 (`charset=utf-16`), or a body Django cannot parse.

It stands before SessionMiddleware (a NUL in the session cookie would reach the database) and so
before CsrfViewMiddleware, which would otherwise read the whole body to find its token."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger("onestop.ingress")

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def accepts_uploads[V: Callable[..., Any]](view: V) -> V:
    """Mark a public view that legitimately receives files: its body may be up to
    `ONESTOP_MAX_UPLOAD_MB`. Put it outermost (decorators made with functools.wraps keep it)."""
    view.onestop_accepts_uploads = True  # type: ignore[attr-defined]
    return view


def refusal(request: HttpRequest, *, status: int, title: str, message: str) -> HttpResponse:
    """The page for a request refused before any view: plain, never cached."""
    response = render(request, "refusal.html", {"title": title, "message": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _language(request: HttpRequest) -> str:
    """The visitor's language, also before LocaleMiddleware has run (cookie, Accept-Language)."""
    return translation.get_language_from_request(request)


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    with translation.override(_language(request)):
        message = _(
            "ระบบรับข้อมูลที่ส่งมาในครั้งเดียวได้ไม่เกิน %(mb)s MB หากแนบไฟล์ กรุณาแนบทีละไฟล์แล้วลองใหม่"
        ) % {"mb": max(1, limit // (1024 * 1024))}
        title = _("ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป")
        return refusal(request, status=413, title=title, message=message)


def _bad_request(request: HttpRequest) -> HttpResponse:
    with translation.override(_language(request)):
        message = _("ข้อมูลที่ส่งมามีอักขระที่ระบบรับไม่ได้ หรือไม่ได้เข้ารหัสเป็น UTF-8 กรุณากลับไปแก้ไขข้อมูลแล้วลองใหม่")
        title = _("ข้อมูลที่ส่งมาไม่ถูกต้อง")
        return refusal(request, status=400, title=title, message=message)


def _has_nul(pairs: Iterable[tuple[str, Any]]) -> bool:
    """Whether a key or a text value (or one of a list of them) holds a NUL character."""
    for key, value in pairs:
        values = value if isinstance(value, list) else [value]
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            return True
    return False


class IngressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before the session is read: a NUL in its cookie would reach the database.
        if (
            "\x00" in request.path
            or _has_nul(request.GET.lists())
            or _has_nul(request.COOKIES.items())
        ):
            return _bad_request(request)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        refused = self._refuse_body(request, view)
        if refused is not None:
            return refused
        return self._refuse_values(request)

    def _refuse_body(self, request: HttpRequest, view: Callable[..., Any]) -> HttpResponse | None:
        small = int(settings.ONESTOP_MAX_REQUEST_KB) * 1024
        large = int(settings.ONESTOP_MAX_UPLOAD_MB) * 1024 * 1024
        encoding = str(request.META.get("HTTP_TRANSFER_ENCODING", "")).strip().lower()
        if encoding and encoding != "identity":
            log.warning("refused a body without a length path=%s", request.path)
            return _too_large(request, small)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _bad_request(request)
        if length < 0:
            return _bad_request(request)
        if length <= small:
            return None
        # Only a large body costs the session look-up of who is asking.
        limit = (
            large
            if getattr(view, "onestop_accepts_uploads", False) or request.user.is_authenticated
            else small
        )
        if length > limit:
            log.warning("refused a body of %s bytes path=%s", length, request.path)
            return _too_large(request, limit)
        return None

    def _refuse_values(self, request: HttpRequest) -> HttpResponse | None:
        if request.method != "POST" or not str(request.content_type or "").startswith(_FORM_TYPES):
            return None
        try:
            posted = list(request.POST.lists())
        except RequestDataTooBig:
            return _too_large(request, int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
        except (BadRequest, SuspiciousOperation, MultiPartParserError, UnicodeDecodeError):
            log.warning("refused an unreadable form path=%s", request.path)
            return _bad_request(request)
        if _has_nul(posted):
            return _bad_request(request)
        return None
