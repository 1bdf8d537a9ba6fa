"""Writes made by staff outside the actions on a request (those are `backoffice.actions`):
filing for a walk-in citizen, reply templates, members, the catalogue and routing rules. Each
checks the member's permission, then calls the service of the domain it belongs to."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onestop.backoffice.models import ReplyTemplate
from onestop.backoffice.permissions import StaffAccess
from onestop.cases import routing
from onestop.cases.models import (
    Case,
    Channel,
    RoutingRule,
)
from onestop.cases.services import (
    NewFile,
    Place,
    Requester,
    case_submit,
)
from onestop.cases.workflow import Status
from onestop.catalog.models import LocationRule, RequestType
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction
from onestop.organisations.models import Department, Membership, Role
from onestop.organisations.services import staff_create


def staff_case_file(
    *,
    access: StaffAccess,
    request_type: RequestType,
    subject: str,
    details: str,
    requester: Requester,
    place: Place,
    channel: Channel,
    files: tuple[NewFile, ...] = (),
    submission_key: str | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """File a request for a citizen who came to the counter or phoned: the same validation as
    the online wizard (`case_submit`), the channel recorded, the member as the filer."""
    if not access.can_file_for_citizens:
        raise DomainError(_("คุณไม่มีสิทธิ์บันทึกคำร้องแทนประชาชน"), code="forbidden")
    if channel not in {Channel.COUNTER, Channel.PHONE}:
        raise DomainError(_("กรุณาเลือกช่องทางที่ประชาชนติดต่อ"), code="channel")
    if request_type.is_confidential and not access.can_see_confidential:
        raise DomainError(_("ไม่พบประเภทคำร้องนี้ในหน่วยงาน"), code="foreign_type")
    return case_submit(
        organisation=access.organisation, request_type=request_type, subject=subject,
        details=details, requester=requester, place=place, files=files, channel=channel,
        submission_key=submission_key, filed_by=access.user, request=request,
    )  # fmt: skip


def reply_template_create(
    *,
    access: StaffAccess,
    title: str,
    body: str,
    request_type: RequestType | None = None,
    status: str = "",
) -> ReplyTemplate:
    if not access.can_manage_templates:
        raise DomainError(_("คุณไม่มีสิทธิ์จัดการข้อความสำเร็จรูป"), code="forbidden")
    if request_type is not None and request_type.organisation_id != access.organisation.pk:
        raise DomainError(_("ไม่พบประเภทคำร้องนี้ในหน่วยงาน"), code="foreign_type")
    if status and status not in Status.values:
        raise DomainError(_("สถานะไม่ถูกต้อง"), code="status")
    return ReplyTemplate.objects.create(
        organisation=access.organisation, request_type=request_type, status=status,
        title=title.strip(), body=body.strip(),
    )  # fmt: skip


def reply_template_delete(*, access: StaffAccess, template: ReplyTemplate) -> None:
    if not access.can_manage_templates or template.organisation_id != access.organisation.pk:
        raise DomainError(_("คุณไม่มีสิทธิ์จัดการข้อความสำเร็จรูป"), code="forbidden")
    template.delete()


def _audit_staff(
    request: HttpRequest | None, access: StaffAccess, membership: Membership, **details: object
) -> None:
    audit_record(
        request=request, actor=access.user, action=AuditAction.STAFF_CHANGE,
        organisation=access.organisation, object_type="membership",
        object_ref=membership.user.get_username(),
        details={"role": membership.role, "active": membership.is_active, **details},
    )  # fmt: skip


def member_add(
    *,
    access: StaffAccess,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    department: Department | None,
    can_see_confidential: bool,
    request: HttpRequest | None = None,
) -> Membership:
    """Give a person a role in the organisation. A new account gets a random password that
    nobody knows: the person sets their own through the e-mailed link (see the view)."""
    if not access.can_manage_staff:
        raise DomainError(_("คุณไม่มีสิทธิ์จัดการเจ้าหน้าที่"), code="forbidden")
    if department is not None and department.organisation_id != access.organisation.pk:
        raise DomainError(_("กอง/สำนักนี้ไม่ได้อยู่ในองค์กรนี้"), code="foreign_department")
    existing = User.objects.filter(username=username).first()
    if existing is not None and existing.email.lower() != email.strip().lower():
        # Adding someone else's account by guessing its username would hand it a role here.
        raise DomainError(_("มีชื่อผู้ใช้นี้แล้วแต่อีเมลไม่ตรงกัน กรุณาตรวจสอบ"), code="username_taken")
    membership = staff_create(
        organisation=access.organisation, username=username,
        password=secrets.token_urlsafe(32), role=role, email=email.strip(),
        first_name=first_name.strip(), last_name=last_name.strip(), department=department,
        can_see_confidential=can_see_confidential,
    )  # fmt: skip
    _audit_staff(request, access, membership, added=True)
    return membership


def member_update(
    *,
    access: StaffAccess,
    membership: Membership,
    role: Role,
    department: Department | None,
    can_see_confidential: bool,
    is_active: bool,
    request: HttpRequest | None = None,
) -> Membership:
    """Change a member's role, department, confidential grant or switch them off."""
    if not access.can_manage_staff or membership.organisation_id != access.organisation.pk:
        raise DomainError(_("คุณไม่มีสิทธิ์จัดการเจ้าหน้าที่"), code="forbidden")
    if department is not None and department.organisation_id != access.organisation.pk:
        raise DomainError(_("กอง/สำนักนี้ไม่ได้อยู่ในองค์กรนี้"), code="foreign_department")
    if role in {Role.OFFICER, Role.HEAD} and department is None:
        raise DomainError(_("เจ้าหน้าที่กอง/สำนักต้องระบุกอง/สำนัก"), code="department_required")
    if membership.user_id == access.user.pk and (role != Role.ADMIN or not is_active):
        raise DomainError(_("คุณลดสิทธิ์หรือปิดบัญชีของตัวเองไม่ได้ ให้ผู้ดูแลระบบอีกคนทำแทน"), code="self")
    membership.role = role
    membership.department = department
    membership.can_see_confidential = can_see_confidential
    membership.is_active = is_active
    membership.save(update_fields=["role", "department", "can_see_confidential", "is_active"])
    _audit_staff(request, access, membership, confidential=can_see_confidential)
    return membership


def request_type_update(
    *,
    access: StaffAccess,
    request_type: RequestType,
    name_th: str,
    name_en: str,
    description_th: str,
    is_active: bool,
    default_department: Department | None,
    sla_days: int,
    location: str,
    id_card_required: bool,
    request: HttpRequest | None = None,
) -> RequestType:
    """An administrator adapts one request type of the catalogue. Whether a type is
    confidential is left to the platform operator: switching it off would expose complaints."""
    if not access.can_manage_staff or request_type.organisation_id != access.organisation.pk:
        raise DomainError(_("คุณไม่มีสิทธิ์แก้ไขประเภทคำร้อง"), code="forbidden")
    if default_department is not None and (
        default_department.organisation_id != access.organisation.pk
    ):
        raise DomainError(_("กอง/สำนักนี้ไม่ได้อยู่ในองค์กรนี้"), code="foreign_department")
    if not 1 <= sla_days <= 365:
        raise DomainError(_("ระยะเวลาดำเนินการต้องอยู่ระหว่าง 1 ถึง 365 วันทำการ"), code="sla")
    if location not in LocationRule.values:
        raise DomainError(_("ค่าสถานที่ไม่ถูกต้อง"), code="location")
    fields = {
        "name_th": name_th.strip(), "name_en": name_en.strip(),
        "description_th": description_th.strip(), "is_active": is_active,
        "default_department": default_department, "sla_days": sla_days, "location": location,
        "id_card_required": id_card_required,
    }  # fmt: skip
    changed = [k for k, v in fields.items() if getattr(request_type, k) != v]
    for key, value in fields.items():
        setattr(request_type, key, value)
    request_type.save(update_fields=list(fields))
    audit_record(
        request=request, actor=access.user, action=AuditAction.CATALOGUE_CHANGE,
        organisation=access.organisation, object_type="request_type",
        object_ref=request_type.key, details={"changed": changed},
    )  # fmt: skip
    return request_type


def routing_rule_create(
    *,
    access: StaffAccess,
    department: Department,
    request_type: RequestType | None = None,
    village_no: str = "",
    request: HttpRequest | None = None,
) -> RoutingRule:
    """An administrator sends new requests of a type and/or an area to a division."""
    if not access.can_manage_staff:
        raise DomainError(_("คุณไม่มีสิทธิ์แก้ไขประเภทคำร้อง"), code="forbidden")
    return routing.routing_rule_create(
        organisation=access.organisation, department=department, request_type=request_type,
        village_no=village_no, actor=access.user, request=request,
    )  # fmt: skip


def routing_rule_delete(
    *, access: StaffAccess, rule: RoutingRule, request: HttpRequest | None = None
) -> None:
    if not access.can_manage_staff or rule.organisation_id != access.organisation.pk:
        raise DomainError(_("คุณไม่มีสิทธิ์แก้ไขประเภทคำร้อง"), code="forbidden")
    routing.routing_rule_delete(rule=rule, actor=access.user, request=request)
