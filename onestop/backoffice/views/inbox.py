"""The inbox: tabs, filters, search, pages, bulk actions and the CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onestop.backoffice import actions, case_selectors, selectors, settings_selectors
from onestop.backoffice.forms import BulkForm, InboxFilterForm
from onestop.backoffice.permissions import Action, StaffAccess
from onestop.backoffice.views.base import _with, staff_view
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.masking import mask_phone
from onestop.core.models import AuditAction
from onestop.core.spreadsheets import safe_cell
from onestop.core.thaidate import format_numeric_be


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    """The organisations this person serves. With exactly one, go straight to its inbox."""
    assert isinstance(request.user, User)
    memberships = list(settings_selectors.staff_memberships(user=request.user))
    if len(memberships) == 1:
        return redirect("backoffice:inbox", org_slug=memberships[0].organisation.slug)
    return render(request, "backoffice/home.html", {"memberships": memberships})


@require_GET
@staff_view
def inbox(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    offered = _bulk_offered(access)
    choices = case_selectors.assignment_choices(access=access)
    tab = request.GET.get("tab") or selectors.default_tab(access)
    if tab not in selectors.TABS:
        tab = "all"
    # A member of a division starts on its requests ("all" is one click away: department=""),
    # except in "mine", which is what is assigned to them wherever it is.
    own_department = (
        access.membership.department
        if access.department_id is not None and tab != "mine" and "department" not in request.GET
        else None
    )
    params = request.GET.copy()
    if own_department is not None:
        params["department"] = str(own_department.pk)
    form = InboxFilterForm(params or None, access=access)
    query = form.to_query(tab=tab, after=request.GET.get("after", "")[:80])
    page = selectors.case_list_for_staff(
        user=access.user, organisation=access.organisation, query=query, access=access
    )
    # The list shows requesters' names: which requests each page showed is on the record.
    audit_record(
        request=request, actor=access.user, action=AuditAction.LIST_VIEW,
        organisation=access.organisation, object_type="inbox", object_ref=tab,
        # Displayed form: 13 bare digits would be masked as if they were national IDs.
        details={"numbers": [case.display_number for case in page.cases],
                 "filters": request.GET.urlencode()[:500]},
        confidential=any(case.request_type.is_confidential for case in page.cases),
    )  # fmt: skip
    base_params = request.GET.copy()
    for key in ("tab", "after"):
        base_params.pop(key, None)
    export_params = base_params.copy()
    if own_department is not None:
        export_params["department"] = str(own_department.pk)
    next_params = base_params.copy()
    next_params["tab"] = tab
    next_params["after"] = page.next_cursor
    tab_labels = {
        "new": _("ใหม่"), "mine": _("ของฉัน"), "department": _("กองของฉัน"),
        "waiting": _("รอผู้ยื่น"), "overdue": _("เกินกำหนด"), "all": _("ทั้งหมด"),
        "closed": _("ปิดแล้ว"),
    }  # fmt: skip
    tabs = [
        {
            "key": key,
            "label": tab_labels[key],
            "count": _count_shown(page.counts[key]),
            "query": _with(base_params, tab=key),
        }
        for key in selectors.TABS
        if key != "department" or access.department_id is not None
    ]
    return render(
        request,
        "backoffice/inbox.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "tab": tab,
            "tabs": tabs,
            "export_query": _with(export_params, tab=tab),  # what the page shows
            "own_department": own_department,
            "all_departments_query": _with(base_params, tab=tab, department=""),
            "filters_used": any(
                request.GET.get(name) for name in form.fields if name not in {"q", "sort"}
            ),
            "page": page,
            "next_query": next_params.urlencode() if page.next_cursor else "",
            "bulk_actions": [(key, label) for key, (label, _needs) in offered.items()],
            "bulk_for": _bulk_fields_for(offered),
            # The bulk bar assigns within the same limits as the case page.
            "bulk_departments": list(choices.departments) if offered else [],
            "bulk_assignees": list(choices.users) if offered else [],
            "first_query": _with(base_params, tab=tab) if query.after else "",
        },
    )


# The bulk bar's fields, each shown only for the actions whose own form has it (the action
# table's forms: `actions.ACTIONS[key].form`), so the bar and the case page agree.
_BULK_FIELDS = ("department", "assignee", "original", "public_message", "agency", "letter_number")


def _bulk_fields_for(offered: dict[str, tuple[Any, bool]]) -> dict[str, str]:
    """Per bulk field, the space-separated keys of the actions that use it (`data-for`)."""
    return {
        name: " ".join(
            key for key in offered if name in actions.ACTIONS[Action(key)].form.base_fields
        )
        for name in _BULK_FIELDS
    }


def _count_shown(count: int) -> str:
    """A tab's count as shown: exact up to the cap, "more than 1,000" beyond it."""
    if count > selectors.COUNT_CAP:
        return _("มากกว่า %(count)s") % {"count": f"{selectors.COUNT_CAP:,}"}
    return f"{count:,}"


def _bulk_offered(access: StaffAccess) -> dict[str, tuple[Any, bool]]:
    """The bulk bar's actions for this member: label, and whether the message is required."""
    return {
        str(a.key): (a.bulk_label, a.message_required) for a in actions.bulk_actions(access=access)
    }


@require_POST
@staff_view
def bulk_action(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """Receive, assign, change the status of (with one message for every citizen) or merge as
    duplicates several requests ticked in the inbox. Each is done on its own, through the same
    services as the case page (permission, state, workflow, version shown, audit trail): one
    refused request does not stop the others, and the member is told which were done and which
    were skipped and why. A request this member may not see is "not found", as on its page."""
    offered = _bulk_offered(access)
    form = BulkForm(request.POST, access=access, offered=offered)
    back = request.POST.get("next", "")
    if not back.startswith(f"/staff/{access.organisation.slug}/") or "//" in back:
        back = reverse("backoffice:inbox", kwargs={"org_slug": access.organisation.slug})
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    data = form.cleaned_data
    action = Action(data["action"])
    if action == Action.DUPLICATE:
        try:
            data["original_case"] = actions.original_for(access, data["original"])
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(back)
    done, skipped = [], []
    for number, version in form.selected():
        shown, refusal = _bulk_one(
            request, access, action=action, number=number, data={**data, "version": version}
        )
        if refusal:
            skipped.append(_("%(number)s: %(reason)s") % {"number": shown, "reason": refusal})
        else:
            done.append(shown)
    if done:
        label = offered[action][0]
        summary = _("%(action)s แล้ว %(count)s เรื่อง: %(numbers)s")
        messages.success(
            request, summary % {"action": label, "count": len(done), "numbers": ", ".join(done)}
        )
    for line in skipped:
        messages.error(request, line)
    return redirect(back)


def _bulk_one(
    request: HttpRequest, access: StaffAccess, *, action: Action, number: str,
    data: dict[str, Any],
) -> tuple[str, str]:  # fmt: skip
    """Do `action` to one request, exactly as its page would; return its number as shown and
    why it was refused ("" when done)."""
    try:
        case = case_selectors.case_get_for_staff(
            user=access.user, organisation=access.organisation, number=number, access=access
        )
    except Http404:
        return number, _("ไม่พบคำร้อง")
    try:
        actions.staff_case_perform(
            access=access, case=case, action=action, data=data, request=request
        )
    except DomainError as error:
        return case.display_number, error.message
    return case.display_number, ""


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


@require_GET
@staff_view
def inbox_export(request: HttpRequest, access: StaffAccess) -> HttpResponseBase:
    """The inbox as it is filtered, as CSV (UTF-8 with BOM for Excel). Recorded in the audit
    trail with its filters and row count; phone numbers masked, no national ID; dates in ISO
    and in the Buddhist Era; no cell can start a formula."""
    if not access.can_export:
        raise Http404
    form = InboxFilterForm(request.GET or None, access=access)
    tab = request.GET.get("tab") or "all"
    query = form.to_query(tab=tab if tab in selectors.TABS else "all", after="")
    rows = list(
        selectors.case_export_for_staff(
            user=access.user, organisation=access.organisation, query=query, access=access
        )
    )
    audit_record(
        request=request, actor=access.user, action=AuditAction.EXPORT,
        organisation=access.organisation, object_type="inbox",
        details={"rows": len(rows), "filters": request.GET.urlencode()[:500]},
    )  # fmt: skip
    writer = csv.writer(_Echo())
    header = [
        _("เลขคำร้อง"), _("หัวข้อเรื่อง"), _("ประเภทคำร้อง"), _("สถานะ"), _("กอง/สำนัก"),
        _("ผู้รับผิดชอบ"), _("ช่องทาง"), _("ยื่นเมื่อ (ค.ศ.)"), _("ยื่นเมื่อ (พ.ศ.)"),
        _("กำหนดแล้วเสร็จ (ค.ศ.)"), _("กำหนดแล้วเสร็จ (พ.ศ.)"), _("ผู้ยื่น"), _("โทรศัพท์มือถือ"),
    ]  # fmt: skip

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([safe_cell(cell) for cell in header])
        for case in rows:
            # Every cell that a citizen or an officer typed could start a formula: neutralised.
            yield writer.writerow([safe_cell(cell) for cell in (
                case.display_number, case.subject, case.request_type.name,
                case.get_status_display(), case.department.name if case.department else "",
                case.assignee.get_username() if case.assignee else "", case.get_channel_display(),
                timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M"),
                format_numeric_be(case.submitted_at),
                case.due_date.isoformat() if case.due_date else "",
                format_numeric_be(case.due_date), case.requester_name, mask_phone(case.phone),
            )])  # fmt: skip

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"{access.organisation.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
