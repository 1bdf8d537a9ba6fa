"""Error pages in the visitor's language (Thai or English) that need no database.

They render `refusal.html` (no user, no messages: nothing that reads the session) in the language
of the language cookie or Accept-Language, read without LocaleMiddleware, which may not have run.

A database that cannot be reached becomes a 503 "try again in a few minutes" page here, in
`server_error` (handler500). Not in a middleware: Django turns an exception into a response at
the layer where it is raised (`convert_exception_to_response` wraps every middleware), so a
middleware outside SessionMiddleware never sees the OperationalError that SessionMiddleware,
AuthenticationMiddleware or a view raised, only the 500 response; every one of those conversions
calls handler500 while the exception is being handled. (With DEBUG on, Django shows its
technical page instead.)
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.core.ingress import refusal

# status: (title, message)
PAGES = {
    400: (
        _("ข้อมูลที่ส่งมาไม่ถูกต้อง"),
        _("ระบบไม่สามารถอ่านข้อมูลที่ส่งมาได้ กรุณากลับไปแก้ไขข้อมูลแล้วลองใหม่"),
    ),
    403: (
        _("ไม่มีสิทธิ์เข้าถึงหน้านี้"),
        _("บัญชีของท่านไม่มีสิทธิ์เปิดหน้านี้ หากคิดว่าควรมีสิทธิ์ กรุณาติดต่อผู้ดูแลระบบขององค์กร"),
    ),
    404: (
        _("ไม่พบหน้าที่ต้องการ"),
        _("หน้านี้อาจถูกย้ายหรือไม่มีอยู่ กรุณาตรวจสอบที่อยู่เว็บอีกครั้ง หรือเริ่มจากหน้าแรก"),
    ),
    413: (
        _("ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป"),
        _("กรุณาลดขนาดไฟล์ที่แนบ หรือแนบทีละไฟล์แล้วลองใหม่"),
    ),
    429: (
        _("มีการเรียกใช้บ่อยเกินไป"),
        _("กรุณารอสักครู่แล้วลองใหม่"),
    ),
    500: (
        _("ระบบขัดข้อง"),
        _("ขออภัย ระบบเกิดข้อผิดพลาด เจ้าหน้าที่ได้รับแจ้งแล้ว กรุณาลองใหม่อีกครั้งในภายหลัง"),
    ),
    503: (
        pgettext_lazy("error page", "ระบบไม่พร้อมให้บริการชั่วคราว"),
        _("กรุณาลองใหม่ในอีกสักครู่ ข้อมูลที่ท่านกรอกไว้ยังอยู่: กดปุ่มย้อนกลับของเบราว์เซอร์ หรือโหลดหน้านี้ใหม่เพื่อส่งอีกครั้ง"),
    ),
}

# Seconds a client is asked to wait before trying again after a 503.
RETRY_AFTER = 120


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """The page for `status` (one of PAGES) in the visitor's language, never cached."""
    title, message = PAGES[status]
    with translation.override(translation.get_language_from_request(request)):
        response = refusal(request, status=status, title=str(title), message=str(message))
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(request, 403)


def database_unreachable(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from, is a lost or refused connection."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 when the database cannot be reached, else the 500 page."""
    return error_page(request, 503 if database_unreachable(sys.exc_info()[1]) else 500)
