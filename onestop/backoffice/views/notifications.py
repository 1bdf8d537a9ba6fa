"""The case page's notifications: an administrator queues a message that failed for good
once more (after fixing the address or the mail server)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.backoffice import case_selectors
from onestop.backoffice.permissions import StaffAccess
from onestop.backoffice.views.base import staff_view
from onestop.notifications.selectors import notification_get_for_case
from onestop.notifications.services import message_retry


@require_POST
@staff_view
def notification_retry(
    request: HttpRequest, access: StaffAccess, number: str, pk: int
) -> HttpResponse:
    case = case_selectors.case_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, access=access
    )
    message = notification_get_for_case(case=case, pk=pk)
    if not access.can_manage_staff:  # the organisation's administrators
        raise PermissionDenied
    message_retry(message=message)
    messages.success(request, _("ส่งการแจ้งเตือนอีกครั้งแล้ว"))
    return redirect("backoffice:case", org_slug=access.organisation.slug, number=number)
