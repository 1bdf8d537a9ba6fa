"""Every change of a filed request, through one door: `_lock` takes the request's row and
checks the version the caller saw; `_record` checks the named move (`workflow.MOVES`), saves,
appends exactly one `CaseEvent`, writes the audit entry and tells the listeners
(`signals.event_recorded`), all in the caller's one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.cases.files import files_removed_on_failure
from onestop.cases.models import (
    Attachment,
    AttachmentKind,
    Case,
    CaseEvent,
    EventKind,
)
from onestop.cases.services.attachments import NewFile, attachment_add
from onestop.cases.signals import event_recorded
from onestop.cases.workflow import (
    MOVES,
    OPEN_STATUSES,
    WORKING_STATUSES,
    Actor,
    Move,
    Speaker,
    Status,
    speaker,
)
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction
from onestop.organisations.models import Department, Membership


@dataclass(frozen=True)
class By:
    """Who makes a change: for the timeline (`actor_kind`, `actor`) and the audit trail (the
    account and, from `request`, the client's address)."""

    kind: Actor
    user: User | None = None
    request: HttpRequest | None = None
    at: dt.datetime | None = None  # when it happened: now, unless history is being loaded (demo)

    @classmethod
    def staff(cls, user: User, request: HttpRequest | None = None) -> By:
        return cls(Actor.STAFF, user, request)

    @classmethod
    def citizen(cls, request: HttpRequest | None = None) -> By:
        return cls(Actor.CITIZEN, None, request)


def _stale() -> DomainError:
    return DomainError(_("มีผู้อื่นแก้ไขคำร้องนี้ไปแล้ว กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"), code="stale")


def _lock(case: Case, expected_version: int | None) -> Case:
    """The request's row, locked until the transaction ends (only the request's own row: its
    organisation and type are read, not locked), checked against the version the caller saw."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("organisation", "request_type")
        .get(pk=case.pk)
    )
    if expected_version is not None and expected_version != locked.version:
        raise _stale()
    return locked


def _record(
    locked: Case,
    *,
    by: By,
    kind: EventKind,
    move: Move | None = None,
    to: Status | None = None,
    fields: dict[str, object] | None = None,
    public_message: str = "",
    citizen_message: str = "",
    internal_note: str = "",
    data: dict[str, object] | None = None,
) -> Case:
    """Apply one change to a request locked by `_lock` in the current transaction: check the
    move (named, or found from the target status `to`), save the changed fields with the
    version bumped, append exactly one event and write the audit entry."""
    assert transaction.get_connection().in_atomic_block, "changes run inside _lock's transaction"
    current = Status(locked.status)
    changed = dict(fields or {})
    if move is not None or to is not None:
        move, target = _check_move(current, by.kind, move, to)
        message = citizen_message if speaker(move) == Speaker.CITIZEN else public_message
        if MOVES[move].needs_message and not message.strip():
            raise DomainError(_("กรุณาระบุเหตุผลหรือข้อความถึงผู้ยื่นคำร้อง"), code="message_required")
        now = by.at or timezone.now()
        changed["status"] = target
        if target == Status.RECEIVED and locked.received_at is None:
            changed["received_at"] = now
        changed["completed_at"] = now if target == Status.COMPLETED else None
        to = target
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save(update_fields=[*changed, "version", "updated_at"])
    event = CaseEvent.objects.create(
        case=locked,
        created_at=by.at or timezone.now(),
        kind=kind,
        move=move or "",
        actor_kind=by.kind,
        actor=by.user,
        from_status=current if to is not None else "",
        to_status=to or "",
        public_message=public_message.strip(),
        citizen_message=citizen_message.strip(),
        internal_note=internal_note.strip(),
        data=data or {},
    )
    audit_record(
        request=by.request,
        actor=by.user,
        action=AuditAction.CASE_CHANGE,
        organisation=locked.organisation,
        object_type="case",
        object_ref=locked.number,
        details={"event": str(kind), "move": str(move or ""), "from": str(current),
                 "status": str(locked.status), "by": str(by.kind), **(data or {})},
        confidential=locked.request_type.is_confidential,
    )  # fmt: skip
    event_recorded.send(sender=Case, case=locked, event=event)
    return locked


def _check_move(
    current: Status, actor: Actor, move: Move | None, to: Status | None
) -> tuple[Move, Status]:
    if move is None:  # found from the target status (case_transition)
        move = next(
            (
                m
                for m, rule in MOVES.items()
                if rule.actor == actor and rule.leads.get(current) == to
            ),
            None,
        )
    rule = MOVES.get(move) if move is not None else None
    target = rule.leads.get(current) if rule is not None else None
    if move is None or rule is None or target is None or rule.actor != actor:
        label = Status(to).label if to is not None else (Move(move).label if move else "")
        raise DomainError(
            _("ไม่สามารถเปลี่ยนสถานะจาก “%(from)s” เป็น “%(to)s” ได้")
            % {"from": current.label, "to": label},
            code="illegal_transition",
        )
    return move, target


def _change(case: Case, *, expected_version: int | None, **record: Any) -> Case:
    with transaction.atomic():
        return _record(_lock(case, expected_version), **record)


def case_move(
    *,
    case: Case,
    move: Move,
    by: By,
    expected_version: int | None = None,
    public_message: str = "",
    citizen_message: str = "",
    internal_note: str = "",
) -> Case:
    """Make the named workflow `move`; raise DomainError for a move that does not apply to the
    request's status or to this actor, for a missing message where one is needed, and for a
    stale `expected_version` (someone else changed the request since the form was shown)."""
    return _change(
        case, expected_version=expected_version, by=by, kind=EventKind.STATUS, move=move,
        public_message=public_message, citizen_message=citizen_message,
        internal_note=internal_note,
    )  # fmt: skip


def case_transition(
    *,
    case: Case,
    to: Status,
    actor_kind: Actor,
    actor: User | None = None,
    public_message: str = "",
    internal_note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """Move `case` to status `to` by the move that leads there for this actor (for callers
    that think in statuses: the demo data and the workflow's exhaustive tests). A citizen's
    message is recorded as the citizen's words."""
    by = By(actor_kind, actor, at=at)
    words = {"citizen_message" if actor_kind == Actor.CITIZEN else "public_message": public_message}
    return _change(
        case, expected_version=expected_version, by=by, kind=EventKind.STATUS, to=to,
        internal_note=internal_note, **words,
    )  # fmt: skip


def case_note(
    *,
    case: Case,
    by: By,
    expected_version: int | None,
    public_message: str = "",
    internal_note: str = "",
) -> Case:
    """Record progress: a message to the citizen and/or an internal note. On a request just
    received, this starts the work (received → in progress); otherwise the status stays."""
    if not public_message.strip() and not internal_note.strip():
        raise DomainError(_("กรุณาเขียนข้อความถึงผู้ยื่นหรือบันทึกภายใน"), code="message_required")
    with transaction.atomic():
        locked = _lock(case, expected_version)
        if locked.status not in WORKING_STATUSES:
            raise _not_now(locked)
        starts = locked.status == Status.RECEIVED
        return _record(
            locked, by=by, kind=EventKind.STATUS if starts else EventKind.NOTE,
            move=Move.START if starts else None, public_message=public_message,
            internal_note=internal_note,
        )  # fmt: skip


def _not_now(case: Case) -> DomainError:
    return DomainError(
        _("ดำเนินการนี้ไม่ได้ในสถานะ “%(status)s”") % {"status": Status(case.status).label},
        code="illegal_transition",
    )


def case_forward(
    *,
    case: Case,
    by: By,
    expected_version: int | None,
    agency: str,
    letter_number: str = "",
    public_message: str = "",
    internal_note: str = "",
) -> Case:
    """Forward the request to another agency, telling the citizen which one and the letter."""
    if not agency.strip():
        raise DomainError(_("กรุณาระบุชื่อหน่วยงานที่ส่งต่อ"), code="agency_required")
    message = _("ส่งเรื่องต่อไปยัง %(agency)s") % {"agency": agency.strip()}
    if letter_number.strip():
        message += " " + _("หนังสือเลขที่ %(letter)s") % {"letter": letter_number.strip()}
    if public_message.strip():
        message += "\n" + public_message.strip()
    return _change(
        case, expected_version=expected_version, by=by, kind=EventKind.STATUS,
        move=Move.FORWARD, public_message=message, internal_note=internal_note,
        data={"agency": agency.strip(), "letter_number": letter_number.strip()},
    )  # fmt: skip


def case_assign(
    *,
    case: Case,
    department: Department,
    assignee: User | None,
    by: By,
    expected_version: int | None = None,
    internal_note: str = "",
) -> Case:
    """Route `case` to a department of its organisation and, optionally, one of its active
    officers; a confidential request only to someone granted confidential access."""
    if department.organisation_id != case.organisation_id:
        raise DomainError(_("กอง/สำนักนี้ไม่ได้อยู่ในองค์กรนี้"), code="foreign_department")
    with transaction.atomic():
        locked = _lock(case, expected_version)
        if locked.status not in OPEN_STATUSES:
            raise _not_now(locked)
        if assignee is not None:
            membership = Membership.objects.filter(
                user=assignee, organisation_id=locked.organisation_id, is_active=True
            ).first()
            if membership is None:
                raise DomainError(_("ผู้รับผิดชอบไม่ได้เป็นเจ้าหน้าที่ขององค์กรนี้"), code="foreign_assignee")
            if locked.request_type.is_confidential and not membership.can_see_confidential:
                raise DomainError(
                    _("เรื่องนี้เป็นเรื่องลับ มอบหมายได้เฉพาะเจ้าหน้าที่ที่ได้รับสิทธิ์ดูเรื่องลับ"),
                    code="assignee_not_granted",
                )
        return _record(
            locked, by=by, kind=EventKind.ASSIGNMENT,
            fields={"department": department,
                    "assignee_id": assignee.pk if assignee is not None else None},
            internal_note=internal_note.strip()
            or _("มอบหมายให้ %(department)s") % {"department": department.name_th},
            data={"department": department.pk,
                  "assignee": assignee.pk if assignee is not None else None},
        )  # fmt: skip


def case_mark_duplicate(
    *,
    case: Case,
    original: Case,
    by: By,
    expected_version: int | None,
    internal_note: str = "",
) -> Case:
    """Close `case` as a duplicate of `original` (not accepted, linked to it). The citizen is
    told the matter is already being handled, without the other request's number (it may be
    another citizen's)."""
    if original.organisation_id != case.organisation_id or original.pk == case.pk:
        raise DomainError(_("ไม่พบคำร้องต้นเรื่อง"), code="original_missing")
    if original.duplicate_of_id is not None:
        raise DomainError(_("คำร้องต้นเรื่องเป็นเรื่องซ้ำเอง กรุณาเลือกคำร้องที่กำลังดำเนินการ"), code="chain")
    note = _("ซ้ำกับคำร้องเลขที่ %(number)s") % {"number": original.display_number}
    return _change(
        case, expected_version=expected_version, by=by, kind=EventKind.STATUS,
        move=Move.REJECT, fields={"duplicate_of": original},
        public_message=_("เรื่องนี้มีผู้แจ้งไว้แล้ว หน่วยงานกำลังดำเนินการตามคำร้องที่แจ้งไว้ก่อน"),
        internal_note=f"{note}\n{internal_note}".strip(),
        data={"duplicate_of": original.number},
    )  # fmt: skip


RESULT_PHOTO_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.COMPLETED})


def case_result_photo_add(
    *,
    case: Case,
    photo: NewFile,
    is_public: bool,
    by: By,
    expected_version: int | None,
    internal_note: str = "",
) -> Attachment:
    """Attach a photo of the work (before/after); public ones are shown on the tracking page."""
    if not photo.content_type.startswith("image/"):
        raise DomainError(_("ภาพผลการดำเนินงานต้องเป็นไฟล์ภาพ JPG หรือ PNG"), code="not_image")
    with files_removed_on_failure(), transaction.atomic():
        locked = _lock(case, expected_version)
        if locked.status not in RESULT_PHOTO_STATUSES:
            raise _not_now(locked)
        attachment = attachment_add(
            case=locked, new_file=replace(photo, kind=AttachmentKind.RESULT),
            uploaded_by=by.user, is_public=is_public,
        )  # fmt: skip
        _record(
            locked, by=by, kind=EventKind.ATTACHMENT,
            internal_note=internal_note.strip() or attachment.original_name,
            data={"attachment": attachment.pk, "public": is_public},
        )  # fmt: skip
    return attachment


def case_photo_publish(*, attachment: Attachment, is_public: bool, by: By) -> Attachment:
    """Show a result photo to the citizen, or hide it again."""
    if attachment.kind != AttachmentKind.RESULT:
        raise DomainError(_("แสดงต่อผู้ยื่นได้เฉพาะภาพผลการดำเนินงาน"), code="not_publishable")
    with transaction.atomic():
        locked = _lock(attachment.case, None)
        Attachment.objects.filter(pk=attachment.pk, case=locked).update(is_public=is_public)
        attachment.is_public = is_public
        _record(
            locked, by=by, kind=EventKind.PUBLICATION,
            data={"attachment": attachment.pk, "public": is_public},
        )  # fmt: skip
    return attachment


# --- The citizen's changes (tracking) ----------------------------------------------------------


def case_cancel(*, case: Case, reason: str, by: By) -> Case:
    """The citizen cancels a request staff have not received yet; the reason is theirs."""
    return case_move(case=case, move=Move.CANCEL, by=by, citizen_message=reason)


def case_answer(*, case: Case, message: str, by: By, files: tuple[NewFile, ...] = ()) -> Case:
    """The citizen answers staff's request for information (with files): back to work."""
    with files_removed_on_failure(), transaction.atomic():
        locked = _lock(case, None)
        if locked.status != Status.WAITING_CITIZEN:
            raise _not_now(locked)
        added = [attachment_add(case=locked, new_file=new_file).pk for new_file in files]
        return _record(
            locked, by=by, kind=EventKind.STATUS, move=Move.ANSWER, citizen_message=message,
            data={"attachments": added} if added else None,
        )  # fmt: skip


def case_not_solved(*, case: Case, reason: str, by: By) -> Case:
    """The citizen says a completed request is not solved: it goes back to work."""
    return case_move(case=case, move=Move.NOT_SOLVED, by=by, citizen_message=reason)


def case_feedback_record(
    *, case: Case, kind: EventKind, by: By, comment: str = "", score: int | None = None
) -> Case:
    """Put the citizen's confirmation ("solved") or rating on the timeline, seen by staff and
    by the citizen. The figures themselves are kept by tracking's Feedback."""
    if kind not in {EventKind.CONFIRMED, EventKind.RATED}:
        raise ValueError(kind)
    return _change(
        case, expected_version=None, by=by, kind=kind, citizen_message=comment,
        data={"score": score} if score is not None else None,
    )  # fmt: skip
