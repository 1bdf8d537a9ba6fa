"""The workflow: every legal move works, every illegal one is refused, each leaves a trace."""

from __future__ import annotations

import itertools

import pytest

from onestop.cases.models import Case, CaseEvent
from onestop.cases.services import case_transition
from onestop.cases.workflow import Actor, Move, Status, allowed_moves, transitions
from onestop.core.errors import DomainError
from onestop.organisations.models import Organisation
from tests.conftest import Staff
from tests.factories import make_case

TRANSITIONS = transitions()

# A shortest path from "submitted" to each status, to put a request there before testing a move.
PATH_TO = {
    Status.SUBMITTED: [],
    Status.RECEIVED: [Status.RECEIVED],
    Status.IN_PROGRESS: [Status.RECEIVED, Status.IN_PROGRESS],
    Status.WAITING_CITIZEN: [Status.RECEIVED, Status.WAITING_CITIZEN],
    Status.FORWARDED: [Status.FORWARDED],
    Status.COMPLETED: [Status.RECEIVED, Status.COMPLETED],
    Status.REJECTED: [Status.REJECTED],
    Status.CANCELLED: [Status.CANCELLED],
}


def _case_in(organisation: Organisation, status: Status) -> Case:
    case = make_case(organisation)
    for step in PATH_TO[status]:
        actor = next(iter(TRANSITIONS[(Status(case.status), step)]))
        case = case_transition(case=case, to=step, actor_kind=actor, public_message="เหตุผล")
    assert case.status == status
    return case


LEGAL = [(frm, to, actor) for (frm, to), actors in TRANSITIONS.items() for actor in actors]
ILLEGAL = [
    (frm, to, actor)
    for frm, to, actor in itertools.product(Status, Status, Actor)
    if (frm, to) not in TRANSITIONS or actor not in TRANSITIONS[(frm, to)]
]


@pytest.mark.parametrize(("frm", "to", "actor"), LEGAL)
def test_every_legal_move_changes_the_status_and_appends_an_event(
    org_a: Organisation, staff_a: Staff, frm: Status, to: Status, actor: Actor
) -> None:
    case = _case_in(org_a, frm)
    events_before = case.events.count()
    user = staff_a.counter if actor == Actor.STAFF else None
    moved = case_transition(
        case=case, to=to, actor_kind=actor, actor=user,
        public_message="ข้อความถึงผู้ยื่น", internal_note="บันทึกภายใน",
    )  # fmt: skip
    assert moved.status == to
    assert Case.objects.get(pk=case.pk).status == to
    event = CaseEvent.objects.filter(case=case).order_by("-pk").first()
    assert event is not None
    assert case.events.count() == events_before + 1
    assert (event.from_status, event.to_status, event.actor_kind) == (frm, to, actor)
    assert event.actor == user
    # The citizen's words are kept as theirs, never as a message to the citizen.
    words = "citizen_message" if actor == Actor.CITIZEN else "public_message"
    assert getattr(event, words) == "ข้อความถึงผู้ยื่น"
    assert (event.public_message if actor == Actor.CITIZEN else event.citizen_message) == ""
    assert event.internal_note == "บันทึกภายใน"


@pytest.mark.parametrize(("frm", "to", "actor"), ILLEGAL)
def test_every_illegal_move_is_refused_and_changes_nothing(
    org_a: Organisation, frm: Status, to: Status, actor: Actor
) -> None:
    case = _case_in(org_a, frm)
    events_before = case.events.count()
    with pytest.raises(DomainError) as error:
        case_transition(case=case, to=to, actor_kind=actor, public_message="เหตุผล")
    assert error.value.code == "illegal_transition"
    assert Case.objects.get(pk=case.pk).status == frm
    assert case.events.count() == events_before


def test_rejecting_without_a_reason_is_refused(org_a: Organisation) -> None:
    case = make_case(org_a)
    with pytest.raises(DomainError) as error:
        case_transition(case=case, to=Status.REJECTED, actor_kind=Actor.STAFF, public_message=" ")
    assert error.value.code == "message_required"
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_a_citizen_may_cancel_only_before_the_request_is_received(org_a: Organisation) -> None:
    assert Move.CANCEL in allowed_moves(Status.SUBMITTED, Actor.CITIZEN)
    assert Move.CANCEL not in allowed_moves(Status.RECEIVED, Actor.CITIZEN)


def test_receiving_and_completing_record_their_times_and_reopening_clears_completion(
    org_a: Organisation,
) -> None:
    case = _case_in(org_a, Status.COMPLETED)
    assert case.received_at is not None and case.completed_at is not None
    reopened = case_transition(
        case=case, to=Status.IN_PROGRESS, actor_kind=Actor.CITIZEN, public_message="ยังไม่ได้แก้"
    )
    assert reopened.completed_at is None
    assert reopened.received_at == case.received_at


def test_a_change_based_on_a_stale_page_is_refused(org_a: Organisation) -> None:
    case = make_case(org_a)
    seen_version = case.version
    case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    with pytest.raises(DomainError) as error:
        case_transition(
            case=case, to=Status.REJECTED, actor_kind=Actor.STAFF,
            public_message="ซ้ำ", expected_version=seen_version,
        )  # fmt: skip
    assert error.value.code in {"stale", "illegal_transition"}
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED


def test_the_status_labels_are_the_thai_the_citizen_reads() -> None:
    assert str(Status.SUBMITTED.label) == "ยื่นคำร้อง"
    assert str(Status.COMPLETED.label) == "ดำเนินการแล้วเสร็จ"
    assert str(Status.REJECTED.label) == "ไม่รับเรื่อง"
