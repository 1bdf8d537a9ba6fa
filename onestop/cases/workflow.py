"""The life of a request: its statuses and the moves allowed between them.

    submitted ──► received ──► in_progress ──► completed
        │            │  ▲          │  ▲            │
        │            │  └──────────┼──┘ (reopen) ◄─┘
        │            ├──► waiting_citizen ◄──┘
        ├──► rejected (with a reason) ◄── received / waiting_citizen
        ├──► forwarded to another agency ◄── received / in_progress
        └──► cancelled by the citizen (only before it is received)

Every move is listed below with who may make it; `cases.services.case_transition` is the only
code that changes a status."""

from __future__ import annotations

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("ยื่นคำร้อง")
    RECEIVED = "received", _("รับเรื่อง")
    IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
    WAITING_CITIZEN = "waiting_citizen", _("รอข้อมูลเพิ่มเติม")
    FORWARDED = "forwarded", _("ส่งต่อหน่วยงานอื่น")
    COMPLETED = "completed", _("ดำเนินการแล้วเสร็จ")
    REJECTED = "rejected", _("ไม่รับเรื่อง")
    CANCELLED = "cancelled", _("ยกเลิกโดยผู้ยื่น")


class Actor(models.TextChoices):
    STAFF = "staff", _("เจ้าหน้าที่")
    CITIZEN = "citizen", _("ผู้ยื่นคำร้อง")
    SYSTEM = "system", _("ระบบ")


class Move(NamedTuple):
    actors: frozenset[Actor]
    needs_message: bool = False  # the citizen must be told why (reason, question, agency)


S, STAFF, CITIZEN = Status, frozenset({Actor.STAFF}), frozenset({Actor.CITIZEN})

TRANSITIONS: dict[tuple[Status, Status], Move] = {
    (S.SUBMITTED, S.RECEIVED): Move(STAFF),
    (S.SUBMITTED, S.REJECTED): Move(STAFF, needs_message=True),
    (S.SUBMITTED, S.FORWARDED): Move(STAFF, needs_message=True),
    (S.SUBMITTED, S.CANCELLED): Move(CITIZEN, needs_message=True),
    (S.RECEIVED, S.IN_PROGRESS): Move(STAFF),
    (S.RECEIVED, S.WAITING_CITIZEN): Move(STAFF, needs_message=True),
    (S.RECEIVED, S.FORWARDED): Move(STAFF, needs_message=True),
    (S.RECEIVED, S.REJECTED): Move(STAFF, needs_message=True),
    (S.RECEIVED, S.COMPLETED): Move(STAFF, needs_message=True),
    (S.IN_PROGRESS, S.WAITING_CITIZEN): Move(STAFF, needs_message=True),
    (S.IN_PROGRESS, S.FORWARDED): Move(STAFF, needs_message=True),
    (S.IN_PROGRESS, S.COMPLETED): Move(STAFF, needs_message=True),
    # The citizen's answer (or staff who got it by phone) puts the work back in progress.
    (S.WAITING_CITIZEN, S.IN_PROGRESS): Move(frozenset({Actor.STAFF, Actor.CITIZEN})),
    (S.WAITING_CITIZEN, S.REJECTED): Move(STAFF, needs_message=True),
    # Reopen: staff, or the citizen saying "this is not solved" (counts against the organisation).
    (S.COMPLETED, S.IN_PROGRESS): Move(frozenset({Actor.STAFF, Actor.CITIZEN}), needs_message=True),
    (S.REJECTED, S.RECEIVED): Move(STAFF, needs_message=True),
    (S.FORWARDED, S.RECEIVED): Move(STAFF, needs_message=True),
}

OPEN_STATUSES = frozenset({S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.WAITING_CITIZEN})
CLOSED_STATUSES = frozenset(Status) - OPEN_STATUSES


def allowed_moves(current: Status, actor: Actor) -> list[Status]:
    """The statuses `actor` may move a request in `current` to, in declaration order."""
    return [
        to for (frm, to), move in TRANSITIONS.items() if frm == current and actor in move.actors
    ]
