"""Writes made by staff outside the actions on a request (those are `backoffice.actions`):
filing for a walk-in citizen, reply templates and routing rules. Each checks the member's
permission, then calls the service of the domain it belongs to. Members and the catalogue are
written by `organisations.services` and `catalog.services`, called from the views once the
member's permission is checked."""

from __future__ import annotations

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
from onestop.catalog.models import RequestType
from onestop.core.errors import DomainError
from onestop.organisations.models import Department


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
    the online wizard (`case_submit`), the channel recorded, the member as the filer. A
    confidential type may be filed by a member without the grant: it goes where it is routed
    and the member does not see it afterwards (`staff_sees_case`)."""
    if not access.can_file_for_citizens:
        raise DomainError(_("คุณไม่มีสิทธิ์บันทึกคำร้องแทนประชาชน"), code="forbidden")
    if channel not in {Channel.COUNTER, Channel.PHONE}:
        raise DomainError(_("กรุณาเลือกช่องทางที่ประชาชนติดต่อ"), code="channel")
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
