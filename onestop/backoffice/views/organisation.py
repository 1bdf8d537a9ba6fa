"""The organisation's own settings and records: audit trail, reply templates, staff and the
catalogue of request types; and a person's answer to an invitation to serve an organisation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onestop.accounts.forms import StaffPasswordResetForm
from onestop.backoffice import selectors, services, staff_selectors
from onestop.backoffice.forms import AuditFilterForm, RoutingRuleForm
from onestop.backoffice.permissions import StaffAccess, requires_second_factor
from onestop.backoffice.staff_forms import (
    MemberAddForm,
    MemberEditForm,
    ReplyTemplateForm,
    RequestTypeForm,
)
from onestop.backoffice.views.base import _is_verified, _with, staff_view
from onestop.backoffice.views.inbox import staff_home
from onestop.catalog import services as catalog_services
from onestop.core.errors import DomainError
from onestop.documents.http import poster_response
from onestop.organisations import selectors as organisation_selectors
from onestop.organisations import services as organisation_services
from onestop.organisations.models import Invitation, Role


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


@staff_view
def reply_templates(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The organisation's ready-made messages to citizens: list, add, remove."""
    if not access.can_manage_templates:
        raise Http404
    form = ReplyTemplateForm(request.POST or None, access=access)
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
            template = staff_selectors.reply_template_get(access=access, pk=int(delete_pk))
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
         "templates": staff_selectors.reply_template_list(access=access)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@staff_view
def members(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """The organisation's staff (administrators only): add a person, who sets their own
    password through an e-mailed link, or invite one who serves another organisation; the
    open invitations and the record of confidential grants."""
    if not access.can_manage_staff:
        raise Http404
    form = MemberAddForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = organisation_services.member_add(
                organisation=access.organisation, actor=access.user, username=data["username"],
                email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
                role=Role(data["role"]), department=data["department"],
                can_see_confidential=data["can_see_confidential"], request=request,
            )  # fmt: skip
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if isinstance(added, Invitation):
                messages.success(
                    request,
                    _("%(name)s เป็นเจ้าหน้าที่ขององค์กรอื่นอยู่ ระบบส่งคำเชิญทางอีเมลแล้ว "
                      "จะเพิ่มเข้าองค์กรนี้เมื่อผู้นั้นตอบรับ") % {"name": added.user.get_username()},
                )  # fmt: skip
                return redirect("backoffice:members", org_slug=access.organisation.slug)
            reset = StaffPasswordResetForm({"email": added.user.email})
            if reset.is_valid():
                reset.save(
                    request=request, use_https=request.is_secure(),
                    subject_template_name="accounts/staff_welcome_subject.txt",
                    email_template_name="accounts/staff_welcome_email.txt",
                )  # fmt: skip
            messages.success(
                request,
                _("เพิ่ม %(name)s แล้ว ระบบส่งลิงก์ตั้งรหัสผ่านไปที่อีเมลแล้ว")
                % {"name": added.user.get_username()},
            )
            return redirect("backoffice:members", org_slug=access.organisation.slug)
    rows = [
        (m, MemberEditForm(
            prefix=f"m{m.pk}", access=access,
            initial={"role": m.role, "department": m.department_id,
                     "can_see_confidential": m.can_see_confidential, "is_active": m.is_active},
        ))
        for m in staff_selectors.member_list(access=access)
    ]  # fmt: skip
    return render(
        request,
        "backoffice/members.html",
        {"access": access, "organisation": access.organisation, "form": form, "rows": rows,
         "grants": staff_selectors.confidential_grants_for_admin(access=access),
         "invitations": staff_selectors.invitations_open_for_admin(access=access)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_POST
@staff_view
def member_edit(request: HttpRequest, access: StaffAccess, pk: int) -> HttpResponse:
    if not access.can_manage_staff:
        raise Http404
    membership = staff_selectors.member_get(access=access, pk=pk)
    form = MemberEditForm(request.POST, prefix=f"m{membership.pk}", access=access)
    if form.is_valid():
        data = form.cleaned_data
        try:
            organisation_services.member_update(
                organisation=access.organisation, actor=access.user,
                membership=membership, role=Role(data["role"]),
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
    types = list(staff_selectors.catalogue_for_admin(access=access))
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


@staff_view
def routing_rules(request: HttpRequest, access: StaffAccess) -> HttpResponse:
    """Routing rules: new requests of a type and/or area go straight to a division."""
    rules = selectors.routing_rules_for_admin(access=access)
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
            rule = selectors.routing_rule_get(access=access, pk=int(delete_pk))
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


@login_required
@require_GET
def staff_start(request: HttpRequest) -> HttpResponseBase:
    """`/staff/`: a person with open invitations sees them first, with the organisations they
    serve; anyone else gets the usual start (`staff_home`)."""
    assert isinstance(request.user, User)
    invitations = list(organisation_selectors.invitations_open_for_user(user=request.user))
    if not invitations:
        return staff_home(request)
    return render(
        request,
        "backoffice/home.html",
        {"memberships": list(selectors.staff_memberships(user=request.user)),
         "invitations": invitations},
    )  # fmt: skip


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponseBase:
    """An invitation to serve an organisation, for the invited person only (anyone else, or an
    expired or answered invitation: 404). Accepting creates the membership; declining ends it."""
    assert isinstance(request.user, User)
    if requires_second_factor(request.user) and not _is_verified(request):
        return redirect_to_login(request.get_full_path(), reverse("accounts:otp"))
    offer = organisation_selectors.invitation_get_for_user(user=request.user, token=token)
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "accept":
                organisation_services.invitation_accept(
                    user=request.user, token=token, request=request
                )
                messages.success(
                    request, _("คุณเป็นเจ้าหน้าที่ของ %(organisation)s แล้ว")
                    % {"organisation": offer.organisation.name},
                )  # fmt: skip
                return redirect("backoffice:inbox", org_slug=offer.organisation.slug)
            organisation_services.invitation_decline(
                user=request.user, token=token, request=request
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.info(request, _("ปฏิเสธคำเชิญแล้ว"))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "backoffice/invitation.html", {"invitation": offer})
