"""One request: what the citizen sent, its files and timeline, the actions on it, and the
counter entry of a new request for a walk-in or phoning citizen."""

from __future__ import annotations

import secrets
import time
from dataclasses import replace
from typing import Any

from django.conf import settings
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

from onestop.backoffice import actions, case_selectors, selectors, services
from onestop.backoffice.case_forms import CounterEntryForm
from onestop.backoffice.permissions import Action, StaffAccess
from onestop.backoffice.views.base import staff_view
from onestop.cases.models import Attachment, AttachmentKind, Case, Channel, NoIdReason
from onestop.cases.selectors import case_national_id
from onestop.cases.services import By, case_photo_publish
from onestop.cases.workflow import OPEN_STATUSES
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction
from onestop.documents.http import request_document_response
from onestop.notifications.selectors import notifications_for_case


def _case_page(
    request: HttpRequest,
    access: StaffAccess,
    case: Case,
    *,
    bound: tuple[Action, Any] | None = None,
    error: str = "",
    national_id: str = "",
    shown_id_cards: frozenset[int] = frozenset(),
    prefill: tuple[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    offered = actions.available_actions(access=access, case=case)
    templates = case_selectors.reply_templates_for_case(
        case=case, access=access,
        statuses={str(a.key): a.template_status for a in offered if a.template_status},
    )  # fmt: skip
    panels = []
    for action in offered:
        initial = _initial(action.key, case)
        if prefill and prefill[0] == action.key:
            initial["public_message"] = prefill[1]
        form = (
            bound[1]
            if bound and bound[0] == action.key
            else actions.action_form(action.key, access, initial=initial)
        )
        panels.append(
            {"key": str(action.key), "label": action.label, "form": form,
             "open": bool(bound and bound[0] == action.key)
             or bool(prefill and prefill[0] == action.key),
             "templates": templates.get(str(action.key), [])}
        )  # fmt: skip
    events = list(case_selectors.case_timeline(case=case))
    filed = events[0].data if events else {}
    reason = filed.get("no_id_reason", "")  # filed without the caller's ID: why
    no_id_reason = NoIdReason(reason).label if reason in NoIdReason.values else ""
    return render(
        request,
        "backoffice/case.html",
        {
            "access": access,
            "organisation": access.organisation,
            "case": case,
            "events": events,
            "notifications": notifications_for_case(case=case),
            "attachments": case_selectors.case_attachments(case=case, access=access),
            "shown_id_cards": shown_id_cards,
            "actions": panels,
            "action_error": error,
            "national_id": national_id,
            "no_id_reason": no_id_reason,
            "no_id_note": filed.get("no_id_note", ""),
            "is_open": case.status in OPEN_STATUSES,
            "today": timezone.localdate(),
            "related": case_selectors.case_related_for_staff(case=case, access=access),
            "can_publish": access.may(Action.RESULT_PHOTO, case),
            # The staff map uses the platform's tiles too (ONESTOP_MAP_TILES_URL; empty: the
            # link to OpenStreetMap alone).
            "map_tiles_url": settings.ONESTOP_MAP_TILES_URL,
            "map_attribution": settings.ONESTOP_MAP_ATTRIBUTION,
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
        confidential=case.request_type.is_confidential,
    )  # fmt: skip


@require_GET
@staff_view
def case_detail(request: HttpRequest, access: StaffAccess, number: str) -> HttpResponse:
    case = case_selectors.case_get_for_staff(
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
    request: HttpRequest, access: StaffAccess, number: str, action: AuditAction, **details: Any
) -> Case:
    """The request, for roles that handle the citizen's identity (404 for others), with the
    access written to the audit trail."""
    case = case_selectors.case_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, access=access
    )
    if not access.can_see_identity:
        raise Http404
    _audit_view(request, access, case, action, **details)
    return case


@require_POST
@staff_view
def case_national_id_show(request: HttpRequest, access: StaffAccess, number: str) -> HttpResponse:
    """The full national ID, on explicit request, for roles that handle identity; logged."""
    case = _case_with_identity(request, access, number, AuditAction.NATIONAL_ID_VIEW)
    return _case_page(request, access, case, national_id=case_national_id(case))


# An ID-card photo is served for a few minutes after the member asked to see it (and only to
# that session), as the privacy notice promises: never shown or linked by default.
_ID_CARD_SESSION_KEY = "backoffice_id_cards_shown"
_ID_CARD_SHOWN_SECONDS = 10 * 60


def _id_card_shown(request: HttpRequest, attachment: Attachment) -> bool:
    shown: dict[str, float] = request.session.get(_ID_CARD_SESSION_KEY, {})
    at = shown.get(str(attachment.pk))
    return at is not None and 0 <= time.time() - at <= _ID_CARD_SHOWN_SECONDS


@require_POST
@staff_view
def case_id_card_show(
    request: HttpRequest, access: StaffAccess, number: str, pk: int
) -> HttpResponse:
    """The ID-card photo, on explicit request, for roles that handle identity; logged like the
    full national ID (the same door: `_case_with_identity`)."""
    attachment = case_selectors.attachment_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, pk=pk, access=access
    )  # 404 for another request's or organisation's file, and for roles without identity
    if attachment.kind != AttachmentKind.ID_CARD:
        raise Http404
    case = _case_with_identity(
        request, access, number, AuditAction.FILE_DOWNLOAD, attachment=pk, kind="id_card",
        shown_on_request=True,
    )  # fmt: skip
    now = time.time()
    shown: dict[str, float] = request.session.get(_ID_CARD_SESSION_KEY, {})
    shown = {k: at for k, at in shown.items() if now - at <= _ID_CARD_SHOWN_SECONDS}
    shown[str(pk)] = now
    request.session[_ID_CARD_SESSION_KEY] = shown
    return _case_page(request, access, case, shown_id_cards=frozenset({pk}))


@require_POST
@staff_view
def case_act(request: HttpRequest, access: StaffAccess, number: str, action: str) -> HttpResponse:
    case = case_selectors.case_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, access=access
    )
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404 from None
    if not access.may(chosen, case):
        return _case_page(request, access, case, error=_("คุณไม่มีสิทธิ์ดำเนินการนี้กับคำร้องนี้"), status=403)
    form = actions.action_form(chosen, access, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _case_page(request, access, case, bound=(chosen, form), status=400)
    try:
        actions.staff_case_perform(
            access=access, case=case, action=chosen, data=form.cleaned_data, request=request
        )
    except DomainError as error:
        if error.code == "original_missing":
            form.add_error("original", error.message)
            return _case_page(request, access, case, bound=(chosen, form), status=400)
        case.refresh_from_db()
        return _case_page(
            request, access, case, bound=(chosen, form), error=error.message,
            status=_ERROR_STATUS.get(error.code, 400),
        )  # fmt: skip
    label = actions.ACTIONS[chosen].label
    messages.success(request, _("บันทึกแล้ว: %(action)s") % {"action": label})
    return redirect("backoffice:case", org_slug=access.organisation.slug, number=case.number)


_ERROR_STATUS = {"stale": 409, "illegal_transition": 409, "forbidden": 403,
                 "forbidden_department": 403}  # fmt: skip


@require_GET
@staff_view
def attachment_download(
    request: HttpRequest, access: StaffAccess, number: str, pk: int
) -> HttpResponseBase:
    attachment = case_selectors.attachment_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, pk=pk, access=access
    )
    if attachment.kind == AttachmentKind.ID_CARD and not _id_card_shown(request, attachment):
        raise Http404  # asked for with "show" first (case_id_card_show)
    audit_record(
        request=request, actor=access.user, action=AuditAction.FILE_DOWNLOAD,
        organisation=access.organisation, object_type="attachment",
        object_ref=attachment.case.number,
        details={"attachment": attachment.pk, "kind": attachment.kind},
        confidential=attachment.case.request_type.is_confidential,
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
    attachment = case_selectors.attachment_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, pk=pk, access=access
    )
    try:
        if not access.may(Action.RESULT_PHOTO, attachment.case):
            raise DomainError(_("คุณไม่มีสิทธิ์ดำเนินการนี้กับคำร้องนี้"), code="forbidden")
        case_photo_publish(
            attachment=attachment, is_public=request.POST.get("public") == "1",
            by=By.staff(access.user, request),
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


_FORM_FIELD_FOR_ERROR = {
    "id_card_required": "id_card", "location_required": "house_no",
    "no_id_reason": "no_id_reason", "no_id_note": "no_id_note",
}  # fmt: skip


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
    status = 400
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
            status = 507 if error.code == "storage_full" else 400
        else:
            if case.request_type.is_confidential and not access.can_see_confidential:
                # Filed for a walk-in, seen from now on only by the granted members: the
                # counter keeps a receipt with the number, nothing more.
                return render(
                    request, "backoffice/counter_receipt.html",
                    {"access": access, "organisation": access.organisation, "case": case},
                )  # fmt: skip
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
        status=status if form.errors else 200,
    )
