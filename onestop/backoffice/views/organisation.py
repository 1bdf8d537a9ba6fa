"""The organisation's own settings and records: audit trail, reply templates, staff and the
catalogue of request types; and a person's answer to an invitation to serve an organisation."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onestop.backoffice import services, settings_selectors
from onestop.backoffice.audit_sentences import audit_actor_name, audit_ref, audit_sentence
from onestop.backoffice.permissions import StaffAccess
from onestop.backoffice.settings_forms import (
    AuditFilterForm,
    ReplyTemplateForm,
    RequestTypeForm,
    RoutingRuleForm,
)
from onestop.backoffice.views.base import _with, staff_view
from onestop.catalog import services as catalog_services
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction, AuditLog
from onestop.core.spreadsheets import safe_cell
from onestop.core.thaidate import format_numeric_be
from onestop.documents.http import poster_response
from onestop.organisations import services as organisation_services


def _audit_entries(
    request: HttpRequest, access: StaffAccess, form: AuditFilterForm, *, limit: int
) -> list[AuditLog]:
    """The entries the filters ask for (all of them when the filters are invalid: the form
    says what is wrong), newest first; 404 for anyone but the organisation's administrators."""
    data = form.cleaned_data if form.is_valid() else {}
    before = request.GET.get("before", "")
    return list(
        settings_selectors.audit_list_for_staff(
            user=access.user, organisation=access.organisation, access=access,
            action=data.get("action") or "", actor=data.get("actor") or "",
            ref=data.get("ref") or "", date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            before=int(before) if before.isdigit() and len(before) < 19 else None, limit=limit,
        )
    )  # fmt: skip


@require_GET
@staff_view
def audit_log(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The audit trail as sentences, filtered by person, request, action and dates."""
    if not access.can_read_audit:
        raise Http404
    form = AuditFilterForm(request.GET or None)
    entries = _audit_entries(request, access, form, limit=_AUDIT_PAGE)
    params = request.GET.copy()
    params.pop("before", None)
    next_query = _with(params, before=str(entries[-1].pk)) if len(entries) == _AUDIT_PAGE else ""
    return render(
        request,
        "backoffice/audit.html",
        {"access": access, "organisation": access.organisation, "form": form,
         "rows": [(entry, audit_sentence(entry)) for entry in entries],
         "next_query": next_query, "export_query": params.urlencode()},
        status=400 if form.errors else 200,
    )  # fmt: skip


_AUDIT_PAGE = 100
_AUDIT_EXPORT_ROWS = 10_000


@require_GET
@staff_view
def audit_export(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The filtered audit trail as CSV (UTF-8 with BOM, for Excel) for the data-protection
    officer: the sentence and every column, no cell that could start a formula. The export is
    itself on the trail."""
    if not access.can_read_audit:
        raise Http404
    form = AuditFilterForm(request.GET or None)
    if form.errors:  # the page says what is wrong with the filters
        page = reverse("backoffice:audit", kwargs={"org_slug": access.organisation.slug})
        return redirect(f"{page}?{request.GET.urlencode()}")
    entries = _audit_entries(request, access, form, limit=_AUDIT_EXPORT_ROWS)
    audit_record(
        request=request, actor=access.user, action=AuditAction.EXPORT,
        organisation=access.organisation, object_type="audit",
        details={"rows": len(entries), "filters": request.GET.urlencode()[:500]},
    )  # fmt: skip
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in (
        _("เวลา (ค.ศ.)"), _("เวลา (พ.ศ.)"), _("รายการ"), _("ผู้ดำเนินการ"), _("ชื่อผู้ใช้"),
        _("การกระทำ"), _("อ้างอิง"), _("ที่อยู่ IP"), _("รายละเอียด"),
    )])  # fmt: skip
    for entry in entries:
        local = timezone.localtime(entry.created_at)
        writer.writerow([safe_cell(cell) for cell in (
            local.strftime("%Y-%m-%d %H:%M:%S"), f"{format_numeric_be(local)} {local:%H:%M:%S}",
            audit_sentence(entry), audit_actor_name(entry), entry.actor_username,
            entry.get_action_display(), audit_ref(entry), entry.ip_address or "",
            json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
        )])  # fmt: skip
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"audit-{access.organisation.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
def reply_templates(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The organisation's ready-made messages to citizens: list, add, remove."""
    if not access.can_manage_templates:
        raise Http404
    form = ReplyTemplateForm(request.POST or None, access=access)
    if request.method == "POST":
        delete_pk = request.POST.get("delete", "")
        if delete_pk.isdigit():
            template = settings_selectors.reply_template_get(access=access, pk=int(delete_pk))
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
         "templates": settings_selectors.reply_template_list(access=access)},
        status=400 if form.errors else 200,
    )  # fmt: skip


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
    types = list(settings_selectors.catalogue_for_admin(access=access))
    departments = settings_selectors.departments_active(access=access)  # read once for every row
    bound_pk = request.POST.get("type", "") if request.method == "POST" else ""
    rows = []
    for request_type in types:
        prefix = f"t{request_type.pk}"
        if bound_pk == str(request_type.pk):
            form = RequestTypeForm(request.POST, prefix=prefix, access=access)
            if form.is_valid():
                try:
                    catalog_services.request_type_update(
                        organisation=access.organisation, actor=access.user,
                        request_type=request_type, request=request,
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
                prefix=prefix, access=access, initial=_type_initial(request_type),
                departments=departments,
            )  # fmt: skip
        rows.append((request_type, form, bound_pk == str(request_type.pk)))
    if bound_pk and not any(open_ for _t, _f, open_ in rows):
        raise Http404
    return render(
        request,
        "backoffice/catalogue.html",
        {
            "access": access,
            "organisation": access.organisation,
            "rows": rows,
            "unhandled": settings_selectors.confidential_types_without_handler(access=access),
        },
        status=400 if bound_pk else 200,
    )


@staff_view
def routing_rules(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """Routing rules: new requests of a type and/or area go straight to a division."""
    rules = settings_selectors.routing_rules_for_admin(access=access)
    form = RoutingRuleForm(request.POST or None, access=access)
    if request.method == "POST" and "officers_may_complete" in request.POST:
        organisation_services.organisation_workflow_update(
            organisation=access.organisation,
            officers_may_complete=request.POST["officers_may_complete"] == "1",
            actor=access.user, request=request,
        )  # fmt: skip
        messages.success(request, _("บันทึกวิธีปิดเรื่องแล้ว"))
        return redirect("backoffice:routing", org_slug=access.organisation.slug)
    if request.method == "POST":
        delete_pk = request.POST.get("delete", "")
        if delete_pk.isdigit():
            rule = settings_selectors.routing_rule_get(access=access, pk=int(delete_pk))
            services.routing_rule_delete(access=access, rule=rule, request=request)
            messages.success(request, _("ลบกฎแล้ว"))
            return redirect("backoffice:routing", org_slug=access.organisation.slug)
        if form.is_valid():
            try:
                services.routing_rule_create(access=access, request=request, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("เพิ่มกฎแล้ว"))
                return redirect("backoffice:routing", org_slug=access.organisation.slug)
    return render(
        request,
        "backoffice/routing.html",
        {"access": access, "organisation": access.organisation, "form": form, "rules": rules},
        status=400 if form.errors else 200,
    )


@require_GET
@staff_view
def poster(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The organisation's QR poster for the e-service, to print and put up: A4 PDF, or PNG with
    `?format=png` (for LINE groups and Facebook pages). Any member may download it."""
    return poster_response(access.organisation, image=request.GET.get("format") == "png")
