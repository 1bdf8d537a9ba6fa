"""The case page's notifications: an administrator queues a message that failed for good
once more (after fixing the address or the mail server). The notification settings: each
member's channels per kind of message, and the organisation's defaults (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.backoffice import case_selectors
from onestop.backoffice.permissions import StaffAccess
from onestop.backoffice.views.base import staff_view
from onestop.notifications.forms import ChannelPreferencesForm
from onestop.notifications.line import (
    add_friend_url,
    line_channel_active,
    line_link_code_for_member,
    send_code_url,
)
from onestop.notifications.models import LineChannel
from onestop.notifications.selectors import (
    notification_get_for_case,
    preference_table,
    sms_gateway_active,
    staff_mobile,
)
from onestop.notifications.services import (
    message_retry,
    preferences_save,
    staff_line_unlink,
    staff_mobile_set,
)


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


def _preferences_page(request: HttpRequest, access: StaffAccess, *, own: bool) -> HttpResponse:
    organisation = access.organisation
    user = access.user if own else None
    contact = staff_mobile(organisation=organisation, user=access.user) if own else None
    has_mobile = bool(contact and contact.mobile_encrypted)
    has_line = bool(contact and contact.line_user_encrypted)
    line = line_channel_active(organisation=organisation)
    form = ChannelPreferencesForm(
        request.POST or None,
        table=preference_table(organisation=organisation, user=user),
        sms_available=sms_gateway_active(organisation=organisation),
        with_mobile=own,
        has_mobile=has_mobile,
        line_available=line is not None,
        has_line=has_line,
    )
    if request.method == "POST" and form.is_valid():
        preferences_save(organisation=organisation, user=user, table=form.table())
        if own and (form.cleaned_data.get("mobile") or form.cleaned_data.get("mobile_remove")):
            staff_mobile_set(
                organisation=organisation, user=access.user,
                mobile=form.cleaned_data.get("mobile") or "",
            )  # fmt: skip
        if own and form.cleaned_data.get("line_remove"):
            staff_line_unlink(organisation=organisation, user=access.user)
        messages.success(request, _("บันทึกการตั้งค่าการแจ้งเตือนแล้ว"))
        name = "backoffice:notification-settings" if own else "backoffice:notification-defaults"
        return redirect(name, org_slug=organisation.slug)
    return render(
        request,
        "backoffice/notification_settings.html",
        {"access": access, "organisation": organisation, "form": form, "own": own,
         "mobile_masked": contact.mobile_masked if has_mobile and contact else "",
         "has_line": has_line, "line_offer": _line_offer(access, line) if own else None},
    )  # fmt: skip


def _line_offer(access: StaffAccess, line: LineChannel | None) -> dict[str, str] | None:
    """The code and links for a member to link their own LINE, when the organisation has it."""
    if line is None:
        return None
    code = line_link_code_for_member(organisation=access.organisation, user=access.user).code
    return {"code": code, "add_url": add_friend_url(line), "send_url": send_code_url(line, code),
            "basic_id": line.basic_id}  # fmt: skip


@staff_view
def notification_settings(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """A member's own choice of channels per kind of message (every member)."""
    return _preferences_page(request, access, own=True)


@staff_view
def notification_defaults(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The organisation's defaults, for members who have not chosen (administrators)."""
    if not access.can_manage_staff:
        raise Http404
    return _preferences_page(request, access, own=False)
