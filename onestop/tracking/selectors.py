"""Reads for the tracking pages. Every look-up names the organisation whose page is open."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.cases.models import Attachment, AttachmentKind, Case, CaseEvent, EventKind
from onestop.cases.workflow import Actor, Move, Status
from onestop.core import crypto
from onestop.organisations.models import Organisation
from onestop.tracking.models import Feedback, FeedbackKind

# Compared against when the number does not exist, so that both paths do the same work.
_NO_CASE_DIGITS = "no-such-request"


def _digits_hash(case_number: str, digits: str) -> str:
    return crypto.lookup_hash(f"tracking-digits:{case_number}:{digits}")


def case_verify(*, organisation: Organisation, number: str | None, digits: str) -> Case | None:
    """The request of `organisation` with `number` whose phone ends with `digits`, or None.

    The same for a number that does not exist, one of another organisation, and wrong digits;
    each path makes one query and one constant-time comparison of two keyed hashes."""
    case = None
    if number is not None:
        case = (
            Case.objects.filter(organisation=organisation, number=number)
            .select_related("request_type", "department")
            .first()
        )
    expected = case.phone[-4:] if case is not None else _NO_CASE_DIGITS
    given_hash = _digits_hash(number or "", digits)
    expected_hash = _digits_hash(number or "", expected)
    if hmac.compare_digest(given_hash, expected_hash) and case is not None:
        return case
    return None


def case_get_verified(*, organisation: Organisation, case_id: int) -> Case:
    """The request `case_id` of `organisation` (the id comes from the verified session), or
    Http404."""
    case = (
        Case.objects.filter(organisation=organisation, pk=case_id)
        .select_related("organisation", "request_type", "request_type__category", "department")
        .first()
    )
    if case is None:
        raise Http404
    return case


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the public timeline: what happened, never who on the staff did it, never an
    internal note. What the citizen wrote is theirs and is not repeated here (the page is open
    to anyone holding the number and the phone's last digits); a fixed line says what they did."""

    at: dt.datetime
    title: str  # the new status, or what the citizen did
    note: str  # a fixed explanation of a citizen's action, or ""
    message: str  # a message staff chose to make public


_CITIZEN_NOTES = {
    Move.ANSWER: gettext_lazy("ท่านส่งข้อมูลเพิ่มเติมแล้ว"),
    Move.NOT_SOLVED: gettext_lazy("ท่านแจ้งว่าปัญหายังไม่ได้รับการแก้ไข จึงเปิดเรื่องอีกครั้ง"),
}


def public_timeline(*, case: Case) -> list[TimelineEntry]:
    events: QuerySet[CaseEvent] = case.events.filter(
        kind__in=[EventKind.STATUS, EventKind.NOTE, EventKind.CONFIRMED, EventKind.RATED]
    ).order_by("created_at", "pk")
    entries = []
    for event in events:
        if event.kind == EventKind.NOTE and not event.public_message:
            if event.actor_kind != Actor.CITIZEN:
                continue  # a staff note without a public message is internal
            title = _("ท่านส่งข้อมูลเพิ่มเติม")  # recorded before moves were named
        elif event.kind == EventKind.CONFIRMED:
            title = _("ท่านยืนยันว่าปัญหาได้รับการแก้ไขแล้ว")
        elif event.kind == EventKind.RATED:
            title = _("ท่านให้คะแนนความพึงพอใจ %(score)s จาก 5") % {
                "score": event.data.get("score", "-")
            }
        else:
            title = str(Status(event.to_status).label) if event.to_status else ""
        entries.append(
            TimelineEntry(
                at=event.created_at,
                title=str(title),
                note=str(_CITIZEN_NOTES.get(Move(event.move), "")) if event.move else "",
                message=event.public_message,
            )
        )
    return entries


def staff_question(timeline: list[TimelineEntry]) -> str:
    """What staff asked the citizen for: the message of the latest "waiting for the citizen"."""
    waiting = str(Status.WAITING_CITIZEN.label)
    return next((e.message for e in reversed(timeline) if e.title == waiting), "")


def public_photos(*, case: Case) -> QuerySet[Attachment]:
    """The "after" photos staff marked public for this request."""
    return case.attachments.filter(kind=AttachmentKind.RESULT, is_public=True).order_by(
        "uploaded_at", "pk"
    )


def public_photo_get(*, case: Case, pk: int) -> Attachment:
    photo = public_photos(case=case).filter(pk=pk).first()
    if photo is None:
        raise Http404
    return photo


@dataclass(frozen=True)
class FeedbackState:
    rating: Feedback | None
    answered_since_completion: bool  # solved / not solved already said for this completion


def feedback_state(*, case: Case) -> FeedbackState:
    rows = list(case.feedback.all())
    rating = next((f for f in rows if f.kind == FeedbackKind.RATING), None)
    answered = case.completed_at is not None and any(
        f.kind in {FeedbackKind.SOLVED, FeedbackKind.NOT_SOLVED}
        and f.created_at >= case.completed_at
        for f in rows
    )
    return FeedbackState(rating=rating, answered_since_completion=answered)
