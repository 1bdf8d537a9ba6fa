"""Members of the organisation (its administrators add people, change roles and grant confidential
access) and invitations: a person who already serves another organisation accepts or declines,
signed in, at /staff/invitations/<token>/; /staff/ lists their open invitations first."""

from __future__ import annotations

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
from onestop.backoffice import settings_selectors
from onestop.backoffice.permissions import StaffAccess, requires_second_factor
from onestop.backoffice.settings_forms import (
    MemberAddForm,
    MemberEditForm,
)
from onestop.backoffice.views.base import _is_verified, staff_view
from onestop.backoffice.views.inbox import staff_home
from onestop.core.errors import DomainError
from onestop.organisations import selectors as organisation_selectors
from onestop.organisations import services as organisation_services
from onestop.organisations.models import Invitation, Role


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
    departments = settings_selectors.departments_active(access=access)  # read once for every row
    rows = [
        (m, MemberEditForm(
            prefix=f"m{m.pk}", access=access, departments=departments,
            initial={"role": m.role, "department": m.department_id,
                     "can_see_confidential": m.can_see_confidential, "is_active": m.is_active},
        ))
        for m in settings_selectors.member_list(access=access)
    ]  # fmt: skip
    return render(
        request,
        "backoffice/members.html",
        {"access": access, "organisation": access.organisation, "form": form, "rows": rows,
         "grants": settings_selectors.confidential_grants_for_admin(access=access),
         "unhandled": settings_selectors.confidential_types_without_handler(access=access),
         "invitations": settings_selectors.invitations_open_for_admin(access=access)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_POST
@staff_view
def member_edit(request: HttpRequest, access: StaffAccess, pk: int) -> HttpResponse:
    if not access.can_manage_staff:
        raise Http404
    membership = settings_selectors.member_get(access=access, pk=pk)
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
        {"memberships": list(settings_selectors.staff_memberships(user=request.user)),
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
