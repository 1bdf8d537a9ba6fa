"""Staff screens under /staff/<organisation>/: thin views over the selectors and services.

Every view but `staff_home` takes the organisation from the URL and goes through `staff_view`,
which requires a signed-in member of that organisation (anyone else: 404 and a log line)."""

from __future__ import annotations

import csv
import logging
import secrets
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import wraps
from typing import Any, Concatenate, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import (
    FileResponse,
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

from onestop.accounts.forms import StaffPasswordResetForm
from onestop.backoffice import selectors, services
from onestop.backoffice.forms import (
    AuditFilterForm,
    BulkForm,
    CounterEntryForm,
    InboxFilterForm,
    MemberAddForm,
    MemberEditForm,
    ReplyTemplateForm,
    RequestTypeForm,
    action_form,
    bulk_action_labels,
)
from onestop.backoffice.permissions import Action, StaffAccess, staff_access
from onestop.cases.models import Case, Channel
from onestop.cases.selectors import case_national_id
from onestop.cases.workflow import OPEN_STATUSES
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.masking import mask_phone
from onestop.core.models import AuditAction
from onestop.documents.pdf import request_document_pdf
from onestop.organisations.models import Organisation, Role

logger = logging.getLogger("onestop.backoffice")


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
        if access.role == Role.ADMIN and not _is_verified(request):
            return redirect_to_login(request.get_full_path(), reverse("accounts:otp"))
        return view(request, access, *args, **kwargs)

    return cast(Callable[Concatenate[HttpRequest, str, P], HttpResponseBase], wrapper)


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    """The organisations this person serves. With exactly one, go straight to its inbox."""
    assert isinstance(request.user, User)
    memberships = list(selectors.staff_memberships(user=request.user))
    if len(memberships) == 1:
        return redirect("backoffice:inbox", org_slug=memberships[0].organisation.slug)
    return render(request, "backoffice/home.html", {"memberships": memberships})


@require_GET
@staff_view
def inbox(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    form = InboxFilterForm(request.GET or None, access=access)
    tab = request.GET.get("tab") or selectors.default_tab(access)
    if tab not in selectors.TABS:
        tab = "all"
    query = form.to_query(tab=tab, after=request.GET.get("after", "")[:80])
    page = selectors.case_list_for_staff(
        user=access.user, organisation=access.organisation, query=query, access=access
    )
    base_params = request.GET.copy()
    for key in ("tab", "after"):
        base_params.pop(key, None)
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
            "count": page.counts[key],
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
            "export_query": _with(base_params, tab=tab),
            "filters_used": any(
                request.GET.get(name) for name in form.fields if name not in {"q", "sort"}
            ),
            "page": page,
            "next_query": next_params.urlencode() if page.next_cursor else "",
            "bulk_actions": [
                (str(a), label) for a, label in bulk_action_labels().items() if access.may(a)
            ],
            "first_query": _with(base_params, tab=tab) if query.after else "",
        },
    )


def _with(params: Any, **values: str) -> str:
    copy = params.copy()
    for key, value in values.items():
        copy[key] = value
    return str(copy.urlencode())


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


@require_POST
@staff_view
def case_national_id_show(request: HttpRequest, access: StaffAccess, number: str) -> HttpResponse:
    """The full national ID, on explicit request, for roles that handle identity; logged."""
    case = selectors.case_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, access=access
    )
    if not access.can_see_identity:
        raise Http404
    _audit_view(request, access, case, AuditAction.NATIONAL_ID_VIEW)
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
    case = selectors.case_get_for_staff(
        user=access.user, organisation=access.organisation, number=number, access=access
    )
    if not access.can_see_identity:
        raise Http404
    _audit_view(request, access, case, AuditAction.DOCUMENT_PRINT)
    response = HttpResponse(request_document_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_view
def audit_log(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    if not access.can_read_audit:
        raise Http404
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    before = request.GET.get("before", "")
    entries = list(
        selectors.audit_list_for_staff(
            user=access.user, organisation=access.organisation, access=access,
            action=data.get("action") or "", actor=data.get("actor") or "",
            ref=data.get("ref") or "", date_from=data.get("date_from"),
            date_to=data.get("date_to"), before=int(before) if before.isdigit() else None,
        )
    )  # fmt: skip
    params = request.GET.copy()
    params.pop("before", None)
    next_query = _with(params, before=str(entries[-1].pk)) if len(entries) == 100 else ""
    return render(
        request,
        "backoffice/audit.html",
        {"access": access, "organisation": access.organisation, "form": form,
         "entries": entries, "next_query": next_query},
    )  # fmt: skip


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


@require_POST
@staff_view
def bulk_action(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """Receive, assign or merge as duplicates several requests ticked in the inbox. Each is
    done on its own: one refused request (wrong state, changed meanwhile) does not stop the
    others, and the member is told which were skipped and why."""
    form = BulkForm(request.POST, access=access)
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
    original = None
    if action == Action.DUPLICATE:
        try:
            original = selectors.case_get_for_staff(
                user=access.user, organisation=access.organisation, number=data["original"],
                access=access,
            )  # fmt: skip
        except Http404:
            messages.error(request, _("ไม่พบคำร้องเลขนี้"))
            return redirect(back)
    done, skipped = 0, []
    for number, version in form.selected():
        refusal = _bulk_one(
            request, access, action=action, number=number, version=version, data=data,
            original=original,
        )  # fmt: skip
        if refusal:
            skipped.append(refusal)
        else:
            done += 1
    if done:
        messages.success(
            request,
            _("%(action)s แล้ว %(count)s เรื่อง")
            % {"action": bulk_action_labels()[action], "count": done},
        )
    for line in skipped:
        messages.error(request, line)
    return redirect(back)


def _bulk_one(
    request: HttpRequest,
    access: StaffAccess,
    *,
    action: Action,
    number: str,
    version: int,
    data: dict[str, Any],
    original: Case | None,
) -> str:
    """Do `action` to one request; return why it was refused, or "" when done."""
    try:
        case = selectors.case_get_for_staff(
            user=access.user, organisation=access.organisation, number=number, access=access
        )
    except Http404:
        return _("%(number)s: ไม่พบคำร้อง") % {"number": number}
    common: dict[str, Any] = {
        "access": access, "case": case, "expected_version": version, "request": request,
    }  # fmt: skip
    try:
        if action == Action.ASSIGN:
            services.staff_case_assign(
                department=data["department"], assignee=data["assignee"], **common
            )
        elif action == Action.DUPLICATE and original is not None:
            services.staff_case_mark_duplicate(original=original, **common)
        else:
            services.staff_case_act(action=action, **common)
    except DomainError as error:
        return _("%(number)s: %(reason)s") % {
            "number": case.display_number, "reason": error.message,
        }  # fmt: skip
    return ""


@staff_view
def reply_templates(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The organisation's ready-made messages to citizens: list, add, remove."""
    if not access.can_manage_templates:
        raise Http404
    form = ReplyTemplateForm(request.POST or None, access=access)
    if request.method == "POST":
        delete_pk = request.POST.get("delete", "")
        if delete_pk.isdigit():
            template = selectors.reply_template_get(access=access, pk=int(delete_pk))
            services.reply_template_delete(access=access, template=template)
            messages.success(request, _("ลบข้อความสำเร็จรูปแล้ว"))
            return redirect("backoffice:templates", org_slug=access.organisation.slug)
        if form.is_valid():
            data = form.cleaned_data
            services.reply_template_create(
                access=access, title=data["title"], body=data["body"],
                request_type=data["request_type"], status=data["status"],
            )  # fmt: skip
            messages.success(request, _("เพิ่มข้อความสำเร็จรูปแล้ว"))
            return redirect("backoffice:templates", org_slug=access.organisation.slug)
    return render(
        request,
        "backoffice/templates.html",
        {"access": access, "organisation": access.organisation, "form": form,
         "templates": selectors.reply_template_list(access=access)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@staff_view
def members(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The organisation's staff (administrators only): add a person, who sets their own
    password through an e-mailed link."""
    if not access.can_manage_staff:
        raise Http404
    form = MemberAddForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.member_add(
                access=access, username=data["username"], email=data["email"],
                first_name=data["first_name"], last_name=data["last_name"],
                role=Role(data["role"]), department=data["department"],
                can_see_confidential=data["can_see_confidential"], request=request,
            )  # fmt: skip
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            reset = StaffPasswordResetForm({"email": membership.user.email})
            if reset.is_valid():
                reset.save(
                    request=request, use_https=request.is_secure(),
                    subject_template_name="accounts/staff_welcome_subject.txt",
                    email_template_name="accounts/staff_welcome_email.txt",
                )  # fmt: skip
            messages.success(
                request,
                _("เพิ่ม %(name)s แล้ว ระบบส่งลิงก์ตั้งรหัสผ่านไปที่อีเมลแล้ว")
                % {"name": membership.user.get_username()},
            )
            return redirect("backoffice:members", org_slug=access.organisation.slug)
    rows = [
        (m, MemberEditForm(
            prefix=f"m{m.pk}", access=access,
            initial={"role": m.role, "department": m.department_id,
                     "can_see_confidential": m.can_see_confidential, "is_active": m.is_active},
        ))
        for m in selectors.member_list(access=access)
    ]  # fmt: skip
    return render(
        request,
        "backoffice/members.html",
        {"access": access, "organisation": access.organisation, "form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_view
def member_edit(request: HttpRequest, access: StaffAccess, pk: int) -> HttpResponse:
    membership = selectors.member_get(access=access, pk=pk)
    form = MemberEditForm(request.POST, prefix=f"m{membership.pk}", access=access)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.member_update(
                access=access, membership=membership, role=Role(data["role"]),
                department=data["department"], can_see_confidential=data["can_see_confidential"],
                is_active=data["is_active"], request=request,
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("บันทึกสิทธิ์ของ %(name)s แล้ว") % {"name": membership.user.username}
            )
    else:
        messages.error(request, _("ข้อมูลไม่ถูกต้อง"))
    return redirect("backoffice:members", org_slug=access.organisation.slug)


def _type_initial(request_type: Any) -> dict[str, Any]:
    return {
        "name_th": request_type.name_th, "name_en": request_type.name_en,
        "description_th": request_type.description_th, "is_active": request_type.is_active,
        "default_department": request_type.default_department_id,
        "sla_days": request_type.sla_days, "location": request_type.location,
        "id_card_required": request_type.id_card_required,
    }  # fmt: skip


@staff_view
def catalogue(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The organisation's request types (administrators): open or close each, rename it, set
    its division, completion target, location and ID-card requirements."""
    types = list(selectors.catalogue_for_admin(access=access))
    bound_pk = request.POST.get("type", "") if request.method == "POST" else ""
    rows = []
    for request_type in types:
        prefix = f"t{request_type.pk}"
        if bound_pk == str(request_type.pk):
            form = RequestTypeForm(request.POST, prefix=prefix, access=access)
            if form.is_valid():
                try:
                    services.request_type_update(
                        access=access, request_type=request_type, request=request,
                        **form.cleaned_data,
                    )  # fmt: skip
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(
                        request, _("บันทึก “%(name)s” แล้ว") % {"name": request_type.name_th}
                    )
                    return redirect("backoffice:catalogue", org_slug=access.organisation.slug)
        else:
            form = RequestTypeForm(
                prefix=prefix, access=access, initial=_type_initial(request_type)
            )
        rows.append((request_type, form, bound_pk == str(request_type.pk)))
    if bound_pk and not any(open_ for _t, _f, open_ in rows):
        raise Http404
    return render(
        request,
        "backoffice/catalogue.html",
        {"access": access, "organisation": access.organisation, "rows": rows},
        status=400 if bound_pk else 200,
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


@require_GET
@staff_view
def inbox_export(request: HttpRequest, access: StaffAccess) -> HttpResponseBase:
    """The inbox as it is filtered, as CSV (UTF-8 with BOM for Excel). Recorded in the audit
    trail with its filters and row count; phone numbers masked, no national ID."""
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
        _("ผู้รับผิดชอบ"), _("ช่องทาง"), _("ยื่นเมื่อ"), _("กำหนดแล้วเสร็จ"), _("ผู้ยื่น"),
        _("โทรศัพท์มือถือ"),
    ]  # fmt: skip

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for case in rows:
            yield writer.writerow([
                case.display_number, case.subject, case.request_type.name,
                case.get_status_display(), case.department.name if case.department else "",
                case.assignee.get_username() if case.assignee else "", case.get_channel_display(),
                timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M"),
                case.due_date.isoformat() if case.due_date else "", case.requester_name,
                mask_phone(case.phone),
            ])  # fmt: skip

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"{access.organisation.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
