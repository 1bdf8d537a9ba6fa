"""The life of a request: its statuses and the named moves between them.

    submitted ──► received ──► in_progress ──► completed
        │            │  ▲          │  ▲            │
        │            │  └──────────┼──┘ (reopen) ◄─┘
        │            ├──► waiting_citizen ◄──┘
        ├──► rejected (with a reason) ◄── received / waiting_citizen
        ├──► forwarded to another agency ◄── received / in_progress
        └──► cancelled by the citizen (only before it is received)

`MOVES` is the one table of the workflow: each named move, who may make it, whether the citizen
must be told why, and where it leads from each status it applies to. Everything else (the staff
actions of the back office, the citizen's buttons on the tracking page, the services) is drawn
from it; `cases.services` is the only code that applies a move. Adding a status or a move is a
change to this file (plus its tests)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class Move(models.TextChoices):
    """The named moves of the workflow (stored on each timeline event). Their labels are verbs
    (context "action"): the same Thai words also name the status a move leads to ("Received")."""

    SUBMIT = "submit", pgettext_lazy("action", "ยื่นคำร้อง")
    RECEIVE = "receive", pgettext_lazy("action", "รับเรื่อง")
    START = "start", _("เริ่มดำเนินการ")
    ASK = "ask", _("ขอข้อมูลเพิ่มเติม")
    ANSWER = "answer", _("ผู้ยื่นส่งข้อมูลเพิ่มเติม")
    FORWARD = "forward", pgettext_lazy("action", "ส่งต่อหน่วยงานอื่น")
    COMPLETE = "complete", pgettext_lazy("action", "ดำเนินการแล้วเสร็จ")
    REJECT = "reject", pgettext_lazy("action", "ไม่รับเรื่อง")
    CANCEL = "cancel", _("ผู้ยื่นยกเลิก")
    REOPEN = "reopen", _("เปิดเรื่องอีกครั้ง")
    NOT_SOLVED = "not_solved", _("ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไข")


class Speaker(enum.Enum):
    """Whose words a move's message is: told to the citizen by staff, or said by the citizen."""

    STAFF = "staff"
    CITIZEN = "citizen"


S = Status


@dataclass(frozen=True)
class MoveRule:
    actor: Actor
    leads: Mapping[Status, Status]  # from -> to
    needs_message: bool = False  # a reason, a question, an agency, the citizen's words
    sources: frozenset[Status] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "leads", MappingProxyType(dict(self.leads)))
        object.__setattr__(self, "sources", frozenset(self.leads))


def _to(target: Status, *sources: Status) -> dict[Status, Status]:
    return dict.fromkeys(sources, target)


MOVES: Mapping[Move, MoveRule] = MappingProxyType(
    {
        Move.RECEIVE: MoveRule(Actor.STAFF, _to(S.RECEIVED, S.SUBMITTED)),
        # Work starts, or resumes after the citizen answered by phone.
        Move.START: MoveRule(Actor.STAFF, _to(S.IN_PROGRESS, S.RECEIVED, S.WAITING_CITIZEN)),
        Move.ASK: MoveRule(
            Actor.STAFF, _to(S.WAITING_CITIZEN, S.RECEIVED, S.IN_PROGRESS), needs_message=True
        ),
        Move.ANSWER: MoveRule(
            Actor.CITIZEN, _to(S.IN_PROGRESS, S.WAITING_CITIZEN), needs_message=True
        ),
        Move.FORWARD: MoveRule(
            Actor.STAFF,
            _to(S.FORWARDED, S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS),
            needs_message=True,
        ),
        Move.COMPLETE: MoveRule(
            Actor.STAFF, _to(S.COMPLETED, S.RECEIVED, S.IN_PROGRESS), needs_message=True
        ),
        Move.REJECT: MoveRule(
            Actor.STAFF,
            _to(S.REJECTED, S.SUBMITTED, S.RECEIVED, S.WAITING_CITIZEN),
            needs_message=True,
        ),
        Move.CANCEL: MoveRule(Actor.CITIZEN, _to(S.CANCELLED, S.SUBMITTED), needs_message=True),
        # Staff reopen: completed work goes back to work, a refusal or forward back to receipt.
        Move.REOPEN: MoveRule(
            Actor.STAFF,
            {S.COMPLETED: S.IN_PROGRESS, S.REJECTED: S.RECEIVED, S.FORWARDED: S.RECEIVED},
            needs_message=True,
        ),
        # The citizen says "this is not solved": back to work (counts against the organisation).
        Move.NOT_SOLVED: MoveRule(
            Actor.CITIZEN, _to(S.IN_PROGRESS, S.COMPLETED), needs_message=True
        ),
    }
)

OPEN_STATUSES = frozenset({S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.WAITING_CITIZEN})
CLOSED_STATUSES = frozenset(Status) - OPEN_STATUSES
# Statuses in which staff still work on a request (notes, result photos, assignment).
WORKING_STATUSES = frozenset({S.RECEIVED, S.IN_PROGRESS, S.WAITING_CITIZEN})


def speaker(move: Move) -> Speaker:
    return Speaker.CITIZEN if MOVES[move].actor == Actor.CITIZEN else Speaker.STAFF


def target(move: Move, current: Status) -> Status | None:
    """Where `move` leads from `current`, or None where it does not apply."""
    rule = MOVES.get(move)
    return None if rule is None else rule.leads.get(Status(current))


def allowed_moves(current: Status, actor: Actor) -> list[Move]:
    """The moves `actor` may make on a request in `current`, in declaration order."""
    return [move for move, rule in MOVES.items() if rule.actor == actor and current in rule.leads]


def transitions() -> dict[tuple[Status, Status], frozenset[Actor]]:
    """(from, to) -> who may make it: the table seen as a graph (for tests and diagrams)."""
    graph: dict[tuple[Status, Status], set[Actor]] = {}
    for rule in MOVES.values():
        for frm, to in rule.leads.items():
            graph.setdefault((frm, to), set()).add(rule.actor)
    return {edge: frozenset(actors) for edge, actors in graph.items()}
