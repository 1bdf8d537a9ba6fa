"""One request: what the citizen sent, its files and timeline, the actions on it, and the
counter entry of a new request for a walk-in or phoning citizen."""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onestop.backoffice import selectors, services
from onestop.backoffice.forms import (
    CounterEntryForm,
    action_form,
)
from onestop.backoffice.permissions import Action, StaffAccess
from onestop.backoffice.views.base import staff_view
from onestop.cases.models import Case, Channel
from onestop.cases.selectors import case_national_id
from onestop.cases.workflow import OPEN_STATUSES
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction
from onestop.documents.http import request_document_response
from onestop.notifications.selectors import notifications_for_case


def _action_labels() -> dict[Action, str]:
    return {
        Action.RECEIVE: _("รับเรื่อง"),
        Action.ASSIGN: _("มอบหมายงาน"),
        Action.NOTE: _("บันทึกความคืบหน้า"),
        Action.ASK: _("ขอข้อมูลเพิ่มเติมจากผู้ยื่น"),
        Action.FORWARD: _("ส่งต่อหน่วยงานอื่น"),
        Action.COMPLETE: _("ดำเนินการแล้วเสร็จ"),
        Action.REJECT: _("ไม่รับเรื่อง"),
        Action.REOPEN: _("เปิดเรื่องอีกครั้ง"),
        Action.DUPLICATE: _("รวมเป็นเรื่องซ้ำ"),
        Action.RESULT_PHOTO: _("แนบภาพผลการดำเนินงาน"),
    }


def _case_page(
    request: HttpRequest,
    access: StaffAccess,
    case: Case,
    *,
    bound: tuple[Action, Any] | None = None,
    error: str = "",
    national_id: str = "",
    prefill: tuple[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    labels = _action_labels()
    templates = selectors.reply_templates_for_case(case=case, access=access)
    actions = []
    for action in services.available_actions(access=access, case=case):
        if action not in labels:
            continue
        initial = _initial(action, case)
        if prefill and prefill[0] == action:
            initial["public_message"] = prefill[1]
        form = (
            bound[1]
            if bound and bound[0] == action
            else action_form(action, access, initial=initial)
        )
        actions.append(
            {"key": str(action), "label": labels[action], "form": form,
             "open": bool(bound and bound[0] == action) or bool(prefill and prefill[0] == action),
             "templates": templates.get(str(action), [])}
        )  # fmt: skip
    events = list(selectors.case_timeline(case=case))
    return render(
        request,
        "backoffice/case.html",
        {
            "access": access,
            "organisation": access.organisation,
            "case": case,
            "events": events,
            "notifications": notifications_for_case(case=case),
            "attachments": selectors.case_attachments(case=case, access=access),
            "actions": actions,
            "action_error": error,
            "national_id": national_id,
            "is_open": case.status in OPEN_STATUSES,
            "today": timezone.localdate(),
            "related": selectors.case_related_for_staff(case=case, access=access),
            "can_publish": access.may(Action.RESULT_PHOTO, case),
        },
        status=status,
    )


def _initial(action: Action, case: Case) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": case.version}
    if action == Action.ASSIGN:
        initial["department"] = case.department_id
        initial["assignee"] = case.assignee_id
    return initial


def _audit_view(request: HttpRequest, access: StaffAccess, case: Case, action: AuditAction,
                **details: Any) -> None:  # fmt: skip
    audit_record(
        request=request, actor=access.user, action=action, organisation=access.organisation,
        object_type="case", object_ref=case.number, details=details,
    )  # fmt: skip


@require_GET
@staff_view
def case_detail(request: HttpRequest, access: StaffAccess, number: str) -> HttpResponse:
    case = selectors.case_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, access=access
    )
    _audit_view(request, access, case, AuditAction.CASE_VIEW)
    prefill = None
    template_pk = request.GET.get("template", "")
    if template_pk.isdigit() and request.GET.get("for"):
        template = selectors.reply_template_get(access=access, pk=int(template_pk))
        prefill = (request.GET["for"], template.body)
    return _case_page(request, access, case, prefill=prefill)


def _case_with_identity(
    request: HttpRequest, access: StaffAccess, number: str, action: AuditAction
) -> Case:
    """The request, for roles that handle the citizen's identity (404 for others), with the
    access written to the audit trail."""
    case = selectors.case_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, access=access
    )
    if not access.can_see_identity:
        raise Http404
    _audit_view(request, access, case, action)
    return case


@require_POST
@staff_view
def case_national_id_show(request: HttpRequest, access: StaffAccess, number: str) -> HttpResponse:
    """The full national ID, on explicit request, for roles that handle identity; logged."""
    case = _case_with_identity(request, access, number, AuditAction.NATIONAL_ID_VIEW)
    return _case_page(request, access, case, national_id=case_national_id(case))


@require_POST
@staff_view
def case_act(request: HttpRequest, access: StaffAccess, number: str, action: str) -> HttpResponse:
    case = selectors.case_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, access=access
    )
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404 from None
    if chosen not in _action_labels():
        raise Http404
    if not access.may(chosen, case):
        return _case_page(request, access, case, error=_("คุณไม่มีสิทธิ์ดำเนินการนี้กับคำร้องนี้"), status=403)
    form = action_form(chosen, access, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _case_page(request, access, case, bound=(chosen, form), status=400)
    data = form.cleaned_data
    try:
        common: dict[str, Any] = {
            "access": access, "case": case, "expected_version": data["version"],
            "internal_note": data.get("internal_note", ""), "request": request,
        }  # fmt: skip
        if chosen == Action.ASSIGN:
            services.staff_case_assign(
                department=data["department"], assignee=data["assignee"], **common
            )
        elif chosen == Action.FORWARD:
            services.staff_case_forward(
                agency=data["agency"], letter_number=data["letter_number"],
                public_message=data["public_message"], **common,
            )  # fmt: skip
        elif chosen == Action.RESULT_PHOTO:
            services.staff_result_photo_add(
                photo=data["photo"], is_public=data["is_public"], **common
            )
        elif chosen == Action.DUPLICATE:
            original = selectors.case_get_for_staff(
                user=access.user, organisation=access.organisation, number=data["original"],
                access=access,
            )  # fmt: skip
            services.staff_case_mark_duplicate(original=original, **common)
        elif chosen == Action.NOTE:
            services.staff_case_note(public_message=data["public_message"], **common)
        else:
            services.staff_case_act(action=chosen, public_message=data["public_message"], **common)
    except Http404:
        form.add_error("original", _("ไม่พบคำร้องเลขนี้"))
        return _case_page(request, access, case, bound=(chosen, form), status=400)
    except DomainError as error:
        case.refresh_from_db()
        return _case_page(
            request, access, case, bound=(chosen, form), error=error.message,
            status=_ERROR_STATUS.get(error.code, 400),
        )  # fmt: skip
    messages.success(request, _("บันทึกแล้ว: %(action)s") % {"action": _action_labels()[chosen]})
    return redirect("backoffice:case", org_slug=access.organisation.slug, number=case.number)


_ERROR_STATUS = {"stale": 409, "illegal_transition": 409, "forbidden": 403,
                 "forbidden_department": 403}  # fmt: skip


@require_GET
@staff_view
def attachment_download(
    request: HttpRequest, access: StaffAccess, number: str, pk: int
) -> HttpResponseBase:
    attachment = selectors.attachment_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, pk=pk, access=access
    )
    audit_record(
        request=request, actor=access.user, action=AuditAction.FILE_DOWNLOAD,
        organisation=access.organisation, object_type="attachment",
        object_ref=attachment.case.number,
        details={"attachment": attachment.pk, "kind": attachment.kind},
    )  # fmt: skip
    inline = attachment.content_type.startswith("image/")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type if inline else "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_view
def attachment_publish(
    request: HttpRequest, access: StaffAccess, number: str, pk: int
) -> HttpResponse:
    """Show a result photo to the citizen, or hide it."""
    attachment = selectors.attachment_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, pk=pk, access=access
    )
    try:
        services.staff_result_photo_publish(
            access=access, attachment=attachment, is_public=request.POST.get("public") == "1",
            request=request,
        )  # fmt: skip
    except DomainError as error:
        return _case_page(request, access, attachment.case, error=error.message, status=403)
    return redirect("backoffice:case", org_slug=access.organisation.slug, number=number)


@require_GET
@staff_view
def case_document(request: HttpRequest, access: StaffAccess, number: str) -> HttpResponse:
    """The request document (PDF) to print, e.g. for the citizen to sign at the counter."""
    case = _case_with_identity(request, access, number, AuditAction.DOCUMENT_PRINT)
    return request_document_response(case, inline=True)


_FORM_FIELD_FOR_ERROR = {"id_card_required": "id_card", "location_required": "house_no"}


@staff_view
def counter_entry(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """File a request for a citizen who walked in or phoned, then print it for signature."""
    if not access.can_file_for_citizens:
        raise Http404
    form = CounterEntryForm(
        request.POST or None,
        request.FILES or None,
        access=access,
        initial={"submission_key": secrets.token_urlsafe(24), "channel": Channel.COUNTER},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = form.place()
        if place.is_given():  # the organisation's own district and province
            place = replace(
                place, district=access.organisation.district, province=access.organisation.province
            )
        try:
            case = services.staff_case_file(
                access=access, request_type=data["request_type"], subject=data["subject"],
                details=data["details"], requester=form.requester(), place=place,
                channel=Channel(data["channel"]), files=form.new_files(),
                submission_key=data["submission_key"], request=request,
            )  # fmt: skip
        except DomainError as error:
            form.add_error(_FORM_FIELD_FOR_ERROR.get(error.code), error.message)
        else:
            messages.success(
                request,
                _("บันทึกคำร้องเลขที่ %(number)s แล้ว พิมพ์เอกสารให้ผู้ยื่นลงนามได้จากหน้านี้")
                % {"number": case.display_number},
            )
            return redirect(
                "backoffice:case", org_slug=access.organisation.slug, number=case.number
            )
    return render(
        request,
        "backoffice/counter_entry.html",
        {"access": access, "organisation": access.organisation, "form": form},
        status=400 if form.errors else 200,
    )
