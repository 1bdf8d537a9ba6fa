"""Writes made by staff: each checks the member's permission and the request's state, passes the
version the form was shown with (a stale form is refused, not merged), calls the cases
services (the only code that changes a request) and appends an entry to the audit trail."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onestop.backoffice.models import ReplyTemplate, RoutingRule
from onestop.backoffice.permissions import Action, StaffAccess
from onestop.cases.models import Attachment, AttachmentKind, Case, CaseEvent, Channel, EventKind
from onestop.cases.services import (
    NewFile,
    Place,
    Requester,
    attachment_add,
    case_assign,
    case_submit,
    case_transition,
)
from onestop.cases.workflow import OPEN_STATUSES, Actor, Status
from onestop.catalog.models import RequestType
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction
from onestop.organisations.models import Department

# The statuses in which each action makes sense (mirrors cases.workflow.TRANSITIONS).
ACTION_STATES: dict[Action, frozenset[Status]] = {
    Action.RECEIVE: frozenset({Status.SUBMITTED}),
    Action.ASSIGN: OPEN_STATUSES,
    Action.FORWARD: frozenset({Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS}),
    Action.ASK: frozenset({Status.RECEIVED, Status.IN_PROGRESS}),
    Action.NOTE: frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_CITIZEN}),
    Action.COMPLETE: frozenset({Status.RECEIVED, Status.IN_PROGRESS}),
    Action.REJECT: frozenset({Status.SUBMITTED, Status.RECEIVED, Status.WAITING_CITIZEN}),
    Action.REOPEN: frozenset({Status.COMPLETED, Status.REJECTED, Status.FORWARDED}),
    Action.RESULT_PHOTO: frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.COMPLETED}),
    Action.DUPLICATE: frozenset({Status.SUBMITTED, Status.RECEIVED, Status.WAITING_CITIZEN}),
}


def available_actions(*, access: StaffAccess, case: Case) -> list[Action]:
    """The actions to offer this member on this request now."""
    return [
        action
        for action, states in ACTION_STATES.items()
        if Status(case.status) in states and access.may(action, case)
    ]


def _check(*, access: StaffAccess, case: Case, action: Action) -> None:
    if case.organisation_id != access.organisation.pk or not access.may(action, case):
        raise DomainError(_("คุณไม่มีสิทธิ์ดำเนินการนี้กับคำร้องนี้"), code="forbidden")
    if Status(case.status) not in ACTION_STATES[action]:
        raise DomainError(
            _("ดำเนินการนี้ไม่ได้ในสถานะ “%(status)s”") % {"status": Status(case.status).label},
            code="illegal_transition",
        )


def _audit_change(
    request: HttpRequest | None, access: StaffAccess, case: Case, action: Action, **details: object
) -> None:
    audit_record(
        request=request,
        actor=access.user,
        action=AuditAction.CASE_CHANGE,
        organisation=access.organisation,
        object_type="case",
        object_ref=case.number,
        details={"action": str(action), "status": case.status, **details},
    )


def staff_case_act(
    *,
    access: StaffAccess,
    case: Case,
    action: Action,
    expected_version: int,
    public_message: str = "",
    internal_note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Receive, ask for information, complete, not accept or reopen a request, or (from the
    inbox's bulk bar) move it to in progress, which `cases.workflow` refuses for a request
    already in progress.

    1. Check the member's permission and that the action fits the request's status.
    2. Work out the target status (reopen goes back to work or back to receipt).
    3. `case_transition` with `expected_version`: a change made meanwhile is refused.
    4. Record the change in the audit trail."""
    _check(access=access, case=case, action=action)
    current = Status(case.status)
    targets = {
        Action.RECEIVE: Status.RECEIVED,
        Action.NOTE: Status.IN_PROGRESS,
        Action.ASK: Status.WAITING_CITIZEN,
        Action.COMPLETE: Status.COMPLETED,
        Action.REJECT: Status.REJECTED,
        Action.REOPEN: Status.IN_PROGRESS if current == Status.COMPLETED else Status.RECEIVED,
    }
    if action not in targets:
        raise DomainError(_("คำสั่งไม่ถูกต้อง"), code="invalid_action")
    updated = case_transition(
        case=case,
        to=targets[action],
        actor_kind=Actor.STAFF,
        actor=access.user,
        public_message=public_message,
        internal_note=internal_note,
        expected_version=expected_version,
    )
    _audit_change(request, access, updated, action)
    return updated


def staff_case_forward(
    *,
    access: StaffAccess,
    case: Case,
    expected_version: int,
    agency: str,
    letter_number: str,
    public_message: str = "",
    internal_note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Forward the request to another agency, telling the citizen which one and the letter."""
    _check(access=access, case=case, action=Action.FORWARD)
    if not agency.strip():
        raise DomainError(_("กรุณาระบุชื่อหน่วยงานที่ส่งต่อ"), code="agency_required")
    message = _("ส่งเรื่องต่อไปยัง %(agency)s") % {"agency": agency.strip()}
    if letter_number.strip():
        message += " " + _("หนังสือเลขที่ %(letter)s") % {"letter": letter_number.strip()}
    if public_message.strip():
        message += "\n" + public_message.strip()
    updated = case_transition(
        case=case, to=Status.FORWARDED, actor_kind=Actor.STAFF, actor=access.user,
        public_message=message, internal_note=internal_note, expected_version=expected_version,
    )  # fmt: skip
    _audit_change(request, access, updated, Action.FORWARD, agency=agency.strip())
    return updated


def staff_case_note(
    *,
    access: StaffAccess,
    case: Case,
    expected_version: int,
    public_message: str = "",
    internal_note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Record progress: a message to the citizen and/or an internal note. A request that was
    received (or waiting for the citizen) moves to in progress."""
    _check(access=access, case=case, action=Action.NOTE)
    if not public_message.strip() and not internal_note.strip():
        raise DomainError(_("กรุณาเขียนข้อความถึงผู้ยื่นหรือบันทึกภายใน"), code="message_required")
    if case.status != Status.IN_PROGRESS:
        updated = case_transition(
            case=case, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF, actor=access.user,
            public_message=public_message, internal_note=internal_note,
            expected_version=expected_version,
        )  # fmt: skip
    else:
        with transaction.atomic():
            updated = Case.objects.select_for_update().get(pk=case.pk)
            if updated.version != expected_version:
                raise _stale()
            updated.version += 1
            updated.save(update_fields=["version", "updated_at"])
            CaseEvent.objects.create(
                case=updated, kind=EventKind.NOTE, actor_kind=Actor.STAFF, actor=access.user,
                public_message=public_message.strip(), internal_note=internal_note.strip(),
            )  # fmt: skip
    _audit_change(request, access, updated, Action.NOTE)
    return updated


def _stale() -> DomainError:
    return DomainError(_("มีผู้อื่นแก้ไขคำร้องนี้ไปแล้ว กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"), code="stale")


def staff_case_assign(
    *,
    access: StaffAccess,
    case: Case,
    expected_version: int,
    department: Department,
    assignee: User | None,
    internal_note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Route the request to a department and, optionally, one of its officers."""
    _check(access=access, case=case, action=Action.ASSIGN)
    if department.organisation_id != access.organisation.pk or not access.may_assign_to(
        department.pk
    ):
        raise DomainError(_("คุณมอบหมายงานให้กอง/สำนักนี้ไม่ได้"), code="forbidden_department")
    with transaction.atomic():  # case_assign checks that the assignee serves this organisation
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.version != expected_version:
            raise _stale()
        updated = case_assign(
            case=locked, department=department, assignee=assignee, actor=access.user,
            internal_note=internal_note,
        )  # fmt: skip
    _audit_change(
        request, access, updated, Action.ASSIGN,
        department=department.key, assignee=assignee.get_username() if assignee else "",
    )  # fmt: skip
    return updated


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
    case = case_submit(
        organisation=access.organisation, request_type=request_type, subject=subject,
        details=details, requester=requester, place=place, files=files, channel=channel,
        submission_key=submission_key, filed_by=access.user,
    )  # fmt: skip
    audit_record(
        request=request, actor=access.user, action=AuditAction.CASE_CREATE,
        organisation=access.organisation, object_type="case", object_ref=case.number,
        details={"channel": str(channel), "type": request_type.key},
    )  # fmt: skip
    return case


def staff_case_mark_duplicate(
    *,
    access: StaffAccess,
    case: Case,
    original: Case,
    expected_version: int,
    internal_note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Close `case` as a duplicate of `original` (a request this member can see). The citizen
    is told the matter is already being handled, without the other request's number (it may be
    another citizen's)."""
    _check(access=access, case=case, action=Action.DUPLICATE)
    if original.organisation_id != case.organisation_id or original.pk == case.pk:
        raise DomainError(_("ไม่พบคำร้องต้นเรื่อง"), code="original_missing")
    if original.duplicate_of_id is not None:
        raise DomainError(_("คำร้องต้นเรื่องเป็นเรื่องซ้ำเอง กรุณาเลือกคำร้องที่กำลังดำเนินการ"), code="chain")
    note = _("ซ้ำกับคำร้องเลขที่ %(number)s") % {"number": original.display_number}
    with transaction.atomic():
        updated = case_transition(
            case=case, to=Status.REJECTED, actor_kind=Actor.STAFF, actor=access.user,
            public_message=_(
                "เรื่องนี้มีผู้แจ้งไว้แล้ว หน่วยงานกำลังดำเนินการตามคำร้องที่แจ้งไว้ก่อน"
            ),
            internal_note=f"{note}\n{internal_note}".strip(),
            expected_version=expected_version,
        )  # fmt: skip
        Case.objects.filter(pk=updated.pk).update(duplicate_of=original)
        updated.duplicate_of = original
    _audit_change(request, access, updated, Action.DUPLICATE, original=original.number)
    return updated


def staff_result_photo_add(
    *,
    access: StaffAccess,
    case: Case,
    photo: NewFile,
    is_public: bool,
    expected_version: int,
    internal_note: str = "",
    request: HttpRequest | None = None,
) -> Attachment:
    """Attach a photo of the work (before/after); public ones are shown on the tracking page."""
    _check(access=access, case=case, action=Action.RESULT_PHOTO)
    if not photo.content_type.startswith("image/"):
        raise DomainError(_("ภาพผลการดำเนินงานต้องเป็นไฟล์ภาพ JPG หรือ PNG"), code="not_image")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.version != expected_version:
            raise _stale()
        attachment = attachment_add(
            case=locked, new_file=replace(photo, kind=AttachmentKind.RESULT),
            uploaded_by=access.user, is_public=is_public,
        )  # fmt: skip
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        CaseEvent.objects.create(
            case=locked, kind=EventKind.ATTACHMENT, actor_kind=Actor.STAFF, actor=access.user,
            internal_note=internal_note.strip() or attachment.original_name,
        )  # fmt: skip
    _audit_change(request, access, locked, Action.RESULT_PHOTO, public=is_public)
    return attachment


def staff_result_photo_publish(
    *,
    access: StaffAccess,
    attachment: Attachment,
    is_public: bool,
    request: HttpRequest | None = None,
) -> Attachment:
    """Show a result photo to the citizen, or hide it again."""
    case = attachment.case
    if case.organisation_id != access.organisation.pk or not access.may(Action.RESULT_PHOTO, case):
        raise DomainError(_("คุณไม่มีสิทธิ์ดำเนินการนี้กับคำร้องนี้"), code="forbidden")
    if attachment.kind != AttachmentKind.RESULT:
        raise DomainError(_("แสดงต่อผู้ยื่นได้เฉพาะภาพผลการดำเนินงาน"), code="not_publishable")
    Attachment.objects.filter(pk=attachment.pk).update(is_public=is_public)
    attachment.is_public = is_public
    _audit_change(request, access, case, Action.RESULT_PHOTO, attachment=attachment.pk,
                  public=is_public)  # fmt: skip
    return attachment


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
    """Send new requests of a type and/or an area (หมู่ที่) to a division."""
    if not access.can_manage_staff:
        raise DomainError(_("คุณไม่มีสิทธิ์แก้ไขประเภทคำร้อง"), code="forbidden")
    if department.organisation_id != access.organisation.pk or (
        request_type is not None and request_type.organisation_id != access.organisation.pk
    ):
        raise DomainError(_("ไม่พบข้อมูลนี้ในหน่วยงาน"), code="foreign")
    village_no = village_no.strip()
    if request_type is None and not village_no:
        raise DomainError(_("กรุณาระบุประเภทคำร้องหรือหมู่ที่อย่างน้อยหนึ่งอย่าง"), code="empty")
    if RoutingRule.objects.filter(
        organisation=access.organisation, request_type=request_type, village_no=village_no
    ).exists():
        raise DomainError(_("มีกฎสำหรับประเภทและหมู่ที่นี้แล้ว"), code="duplicate")
    rule = RoutingRule.objects.create(
        organisation=access.organisation, request_type=request_type, village_no=village_no,
        department=department,
    )  # fmt: skip
    audit_record(
        request=request, actor=access.user, action=AuditAction.CATALOGUE_CHANGE,
        organisation=access.organisation, object_type="routing_rule", object_ref=str(rule.pk),
        details={"type": request_type.key if request_type else "*", "village": village_no or "*",
                 "department": department.key},
    )  # fmt: skip
    return rule


def routing_rule_delete(
    *, access: StaffAccess, rule: RoutingRule, request: HttpRequest | None = None
) -> None:
    if not access.can_manage_staff or rule.organisation_id != access.organisation.pk:
        raise DomainError(_("คุณไม่มีสิทธิ์แก้ไขประเภทคำร้อง"), code="forbidden")
    audit_record(
        request=request, actor=access.user, action=AuditAction.CATALOGUE_CHANGE,
        organisation=access.organisation, object_type="routing_rule", object_ref=str(rule.pk),
        details={"deleted": True},
    )  # fmt: skip
    rule.delete()
