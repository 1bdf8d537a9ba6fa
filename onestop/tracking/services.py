"""What a citizen can do on the status page of a request they proved is theirs.

Every change goes through `cases.services` (the workflow's citizen moves, with the citizen's
words kept as theirs); these functions add what belongs to tracking (the feedback figures) in
the same transaction and translate the refusals into plain Thai."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onestop.cases.models import Case, EventKind
from onestop.cases.services import (
    By,
    NewFile,
    case_answer,
    case_cancel,
    case_feedback_record,
    case_not_solved,
)
from onestop.cases.workflow import Actor, Move, Status, allowed_moves
from onestop.core.errors import DomainError
from onestop.tracking.models import Feedback, FeedbackKind
from onestop.tracking.selectors import feedback_state

log = logging.getLogger("onestop.tracking")


def _require_move(case: Case, move: Move, message: str) -> None:
    """Refuse, in the citizen's words, a move the workflow does not offer them now."""
    if move not in allowed_moves(Status(case.status), Actor.CITIZEN):
        raise DomainError(message, code="wrong_status")


def tracking_cancel(*, case: Case, reason: str, request: HttpRequest | None = None) -> Case:
    """Cancel a request that staff have not received yet."""
    _require_move(case, Move.CANCEL, _("ยกเลิกได้เฉพาะคำร้องที่เจ้าหน้าที่ยังไม่ได้รับเรื่อง"))
    if not reason.strip():
        raise DomainError(_("กรุณาระบุเหตุผลที่ยกเลิก"), code="reason_required")
    return case_cancel(case=case, reason=reason, by=By.citizen(request))


def tracking_add_information(
    *, case: Case, message: str, files: tuple[NewFile, ...] = (), request: HttpRequest | None = None
) -> Case:
    """Answer staff's request for more information: a message (and files) on the timeline, then
    the request goes back to "in progress"."""
    _require_move(case, Move.ANSWER, _("ส่งข้อมูลเพิ่มเติมได้เฉพาะเมื่อเจ้าหน้าที่ขอข้อมูลจากท่าน"))
    if not message.strip():
        raise DomainError(_("กรุณากรอกข้อมูลเพิ่มเติม"), code="message_required")
    return case_answer(case=case, message=message, files=files, by=By.citizen(request))


def _require_unanswered_completion(case: Case) -> None:
    _require_move(case, Move.NOT_SOLVED, _("ตอบได้เฉพาะคำร้องที่ดำเนินการแล้วเสร็จ"))
    if feedback_state(case=case).answered_since_completion:
        raise DomainError(_("ท่านได้ตอบเรื่องนี้แล้ว"), code="already_answered")


def tracking_confirm_solved(*, case: Case, request: HttpRequest | None = None) -> Feedback:
    """The citizen confirms the problem is really solved (a figure, and a line on the
    timeline that staff and the citizen see)."""
    _require_unanswered_completion(case)
    with transaction.atomic():
        case_feedback_record(case=case, kind=EventKind.CONFIRMED, by=By.citizen(request))
        return Feedback.objects.create(
            organisation_id=case.organisation_id, case=case, kind=FeedbackKind.SOLVED
        )


def tracking_report_not_solved(
    *, case: Case, reason: str, request: HttpRequest | None = None
) -> Case:
    """The citizen says the problem is not solved: the request is reopened (back to "in
    progress", the reason on the timeline for staff) and the answer is kept as feedback, which
    counts against the organisation in its figures. The staff in charge are told by
    notifications (its outbox plans the e-mail from the event, in this transaction)."""
    _require_unanswered_completion(case)
    if not reason.strip():
        raise DomainError(_("กรุณาระบุว่ายังมีปัญหาอะไร"), code="reason_required")
    with transaction.atomic():
        Feedback.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            kind=FeedbackKind.NOT_SOLVED,
            comment=reason.strip(),
        )
        reopened = case_not_solved(case=case, reason=reason, by=By.citizen(request))
    log.warning(
        "tracking reopened by citizen organisation=%s number=%s", case.organisation_id, case.number
    )
    return reopened


def tracking_rate(
    *, case: Case, score: int, comment: str = "", request: HttpRequest | None = None
) -> Feedback:
    """Rate the service from 1 to 5, once per request (a database constraint)."""
    _require_move(case, Move.NOT_SOLVED, _("ให้คะแนนได้เมื่อดำเนินการแล้วเสร็จ"))
    if not 1 <= score <= 5:
        raise DomainError(_("กรุณาเลือกคะแนน 1 ถึง 5"), code="score")
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                organisation_id=case.organisation_id,
                case=case,
                kind=FeedbackKind.RATING,
                score=score,
                comment=comment.strip(),
            )
            case_feedback_record(
                case=case, kind=EventKind.RATED, by=By.citizen(request), comment=comment,
                score=score,
            )  # fmt: skip
            return feedback
    except IntegrityError as exc:
        raise DomainError(_("ท่านให้คะแนนคำร้องนี้แล้ว"), code="already_rated") from exc
