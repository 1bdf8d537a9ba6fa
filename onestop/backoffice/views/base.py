"""What every staff view shares: `staff_view` (the organisation from the URL, membership,
the second factor for administrators) and small helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponseBase,
)
from django.urls import reverse

from onestop.backoffice.permissions import StaffAccess, requires_second_factor, staff_access
from onestop.core.audit import audit_record
from onestop.core.models import AuditAction
from onestop.organisations.models import Organisation, Role

logger = logging.getLogger("onestop.backoffice")


def _is_verified(request: HttpRequest) -> bool:
    is_verified: Callable[[], bool] | None = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def staff_view[**P](
    view: Callable[Concatenate[HttpRequest, StaffAccess, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, str, P], HttpResponseBase]:
    """Resolve `org_slug` to the member's access, or 404 (and a log line) for anyone who does
    not serve that organisation. Administrators must have passed the second factor."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, org_slug: str, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        assert isinstance(request.user, User)
        organisation = Organisation.objects.filter(slug=org_slug, is_active=True).first()
        access = (
            staff_access(user=request.user, organisation=organisation) if organisation else None
        )
        if access is None:
            logger.warning(
                "staff access refused: user=%s organisation=%s path=%s",
                request.user.pk, org_slug, request.path,
            )  # fmt: skip
            if organisation is not None:
                audit_record(
                    request=request, action=AuditAction.DENIED, organisation=organisation,
                    object_type="path", details={"path": request.path[:200]},
                )  # fmt: skip
            raise Http404
        # An administrator anywhere uses the second factor everywhere (one person, one login).
        if not _is_verified(request) and (
            access.role == Role.ADMIN or requires_second_factor(request.user)
        ):
            return redirect_to_login(request.get_full_path(), reverse("accounts:otp"))
        return view(request, access, *args, **kwargs)

    return cast(Callable[Concatenate[HttpRequest, str, P], HttpResponseBase], wrapper)


def _with(params: Any, **values: str) -> str:
    copy = params.copy()
    for key, value in values.items():
        copy[key] = value
    return str(copy.urlencode())
