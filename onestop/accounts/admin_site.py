"""The platform operators' admin (`/admin/`) behind the second factor.

Every staff member or superuser signs in with a one-time code (TOTP) as well, exactly as
organisation administrators do in the back office: an account that has not passed it is sent to
`/staff/2fa/` (set-up the first time) and comes back afterwards. Installed as the default admin
site by `PlatformAdminConfig` (settings: INSTALLED_APPS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

# Only modules that load before the app registry is ready: settings import this one.
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


def _is_verified(request: HttpRequest) -> bool:
    is_verified: Callable[[], bool] | None = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


class PlatformAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and _is_verified(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        user = request.user
        if user.is_active and user.is_staff and not _is_verified(request):
            # Signed in with the password only: the one-time code next, then back here.
            target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return HttpResponseRedirect(f"{reverse('accounts:otp')}?{urlencode({'next': target})}")
        return super().login(request, extra_context)


class PlatformAdminConfig(AdminConfig):
    default_site = "onestop.accounts.admin_site.PlatformAdminSite"
