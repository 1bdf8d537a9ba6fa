"""Staff sessions: signed out after a period without activity (ONESTOP_STAFF_IDLE_MINUTES);
staff pages never cached."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

SESSION_KEY = "onestop_last_activity"
STAFF_PREFIX = "/staff/"  # config/urls.py: the sign-in pages and the back office
# Write the timestamp at most this often: a session save on every request costs a query.
_RESOLUTION_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            limit = int(settings.ONESTOP_STAFF_IDLE_MINUTES) * 60
            last = request.session.get(SESSION_KEY)
            if isinstance(last, int) and now - last > limit:
                logout(request)
                messages.info(request, _("ออกจากระบบอัตโนมัติเนื่องจากไม่มีการใช้งานนานเกินกำหนด"))
            elif not isinstance(last, int) or now - last >= _RESOLUTION_SECONDS:
                request.session[SESSION_KEY] = now
        return self.get_response(request)


class StaffNoStoreMiddleware:
    """Every response under /staff/ (sign-in, back office) is `Cache-Control: no-store`: staff
    pages show personal data, which must not stay in a browser's or a proxy's cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(STAFF_PREFIX):
            add_never_cache_headers(response)
        return response
