"""Sign staff out after a period without activity (ONESTOP_STAFF_IDLE_MINUTES)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SESSION_KEY = "onestop_last_activity"
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
