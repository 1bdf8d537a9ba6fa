"""The one door: every staff action, drawn from the action table, changes a request through
`cases.services` with exactly one timeline event and one audit entry, committed together; the
workflow and the staff actions are one table each; confidential requests stay with the granted."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onestop.backoffice.actions import ACTIONS, staff_case_perform
from onestop.backoffice.permissions import Action, staff_access
from onestop.cases.models import AttachmentKind, Case, CaseEvent
from onestop.cases.services import By, case_assign, case_transition
from onestop.cases.workflow import MOVES, Actor, Move, Status, allowed_moves
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Membership, Organisation
from tests.backoffice_helpers import PNG, sign_in
from tests.conftest import Staff
from tests.factories import make_case

ROOT = Path(__file__).resolve().parent.parent


def _in(org: Organisation, status: Status, staff: Staff, *, type_key: str = "street-light") -> Case:
    """A request of กองช่าง brought to `status` through the workflow (as staff would)."""
    case = make_case(org, type_key=type_key)
    path = {
        Status.SUBMITTED: [],
        Status.RECEIVED: [Status.RECEIVED],
        Status.IN_PROGRESS: [Status.RECEIVED, Status.IN_PROGRESS],
        Status.WAITING_CITIZEN: [Status.RECEIVED, Status.WAITING_CITIZEN],
        Status.COMPLETED: [Status.RECEIVED, Status.IN_PROGRESS, Status.COMPLETED],
        Status.REJECTED: [Status.REJECTED],
        Status.FORWARDED: [Status.FORWARDED],
    }[status]
    for step in path:
        case = case_transition(
            case=case, to=step, actor_kind=Actor.STAFF, actor=staff.counter, public_message="ok"
        )
    return case


def _data(org: Organisation, staff: Staff, action: Action, case: Case) -> dict[str, Any]:
    data: dict[str, Any] = {"version": case.version, "public_message": "แจ้งผู้ยื่น",
                            "internal_note": "บันทึก"}  # fmt: skip
    if action == Action.ASSIGN:
        data |= {"department": org.departments.get(key="engineering"), "assignee": staff.officer}
    if action == Action.FORWARD:
        data |= {"agency": "การไฟฟ้าส่วนภูมิภาค", "letter_number": "ตก 1/2569"}
    if action == Action.DUPLICATE:
        data["original_case"] = make_case(org)
    if action == Action.RESULT_PHOTO:
        from onestop.cases.uploads import validate_upload  # noqa: PLC0415

        upload = SimpleUploadedFile("after.png", PNG, content_type="image/png")
        data |= {"photo": validate_upload(upload, kind=AttachmentKind.RESULT), "is_public": True}
    return data


CASES = [(action, status) for action, entry in ACTIONS.items() for status in entry.states]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_every_staff_action_appends_one_event_and_one_audit_entry_in_its_transaction(
    org_a: Organisation, staff_a: Staff, action: Action, status: Status
) -> None:
    """Drawn from the action table: each action, in each status it applies to, done by the
    head (who may do everything in their department)."""
    case = _in(org_a, status, staff_a)
    access = staff_access(user=staff_a.head, organisation=org_a)
    assert access is not None
    events, audits = case.events.count(), AuditLog.objects.filter(object_ref=case.number)
    audits_before = audits.count()
    staff_case_perform(
        access=access, case=case, action=action, data=_data(org_a, staff_a, action, case)
    )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == case.version + 1
    assert fresh.events.count() == events + 1
    event = fresh.events.latest("pk")
    assert event.actor == staff_a.head and event.actor_kind == Actor.STAFF
    entry = audits.latest("pk")
    assert audits.count() == audits_before + 1
    assert (entry.action, entry.actor) == (AuditAction.CASE_CHANGE, staff_a.head)
    assert entry.details["event"] == event.kind
    if ACTIONS[action].move is not None:
        assert event.move == ACTIONS[action].move
        assert fresh.status == MOVES[Move(event.move)].leads[status]


def test_a_change_whose_audit_entry_fails_is_not_made(org_a: Organisation, staff_a: Staff) -> None:
    """The change, its event and its audit entry commit together: a failure while writing the
    audit entry leaves the request as it was and no event."""
    case = _in(org_a, Status.RECEIVED, staff_a)
    events = case.events.count()
    with (
        mock.patch("onestop.core.audit.AuditLog.objects.create", side_effect=RuntimeError("disk")),
        pytest.raises(RuntimeError),
    ):
        case_transition(case=case, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF,
                        actor=staff_a.head)  # fmt: skip
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (Status.RECEIVED, case.version)
    assert fresh.events.count() == events


def test_the_event_log_says_who_what_from_and_to_and_keeps_the_citizens_words_apart(
    org_a: Organisation, staff_a: Staff
) -> None:
    case = _in(org_a, Status.COMPLETED, staff_a)
    case_transition(case=case, to=Status.IN_PROGRESS, actor_kind=Actor.CITIZEN,
                    public_message="ไฟยังดับอยู่")  # fmt: skip
    event = CaseEvent.objects.filter(case=case).latest("pk")
    assert (event.move, event.from_status, event.to_status) == (
        Move.NOT_SOLVED, Status.COMPLETED, Status.IN_PROGRESS,
    )  # fmt: skip
    assert (event.citizen_message, event.public_message) == ("ไฟยังดับอยู่", "")
    assert event.actor is None and event.actor_kind == Actor.CITIZEN


def test_staff_actions_and_citizen_buttons_follow_the_one_workflow_table() -> None:
    for entry in ACTIONS.values():
        if entry.move is not None:
            assert entry.states == MOVES[entry.move].sources, entry.key
    # The citizen's moves are exactly the tracking page's buttons.
    assert allowed_moves(Status.SUBMITTED, Actor.CITIZEN) == [Move.CANCEL]
    assert allowed_moves(Status.WAITING_CITIZEN, Actor.CITIZEN) == [Move.ANSWER]
    assert allowed_moves(Status.COMPLETED, Actor.CITIZEN) == [Move.NOT_SOLVED]
    assert allowed_moves(Status.IN_PROGRESS, Actor.CITIZEN) == []


# --- Confidential requests ----------------------------------------------------------------------


def test_a_confidential_request_is_assigned_only_to_someone_granted(
    org_a: Organisation, staff_a: Staff
) -> None:
    secret = make_case(org_a, type_key="corruption")
    office = org_a.departments.get(key="engineering")
    with pytest.raises(DomainError) as refused:
        case_assign(case=secret, department=office, assignee=staff_a.officer,
                    by=By.staff(staff_a.executive))  # fmt: skip
    assert refused.value.code == "assignee_not_granted"
    assert Case.objects.get(pk=secret.pk).assignee is None
    Membership.objects.filter(user=staff_a.officer).update(can_see_confidential=True)
    assigned = case_assign(case=secret, department=office, assignee=staff_a.officer,
                           by=By.staff(staff_a.executive))  # fmt: skip
    assert assigned.assignee == staff_a.officer


def test_audit_entries_about_confidential_requests_are_listed_only_to_the_granted(
    org_a: Organisation, staff_a: Staff
) -> None:
    secret = make_case(org_a, type_key="corruption")
    plain = make_case(org_a)
    for case in (secret, plain):
        case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF,
                        actor=staff_a.executive)  # fmt: skip
    admin = sign_in(Client(), staff_a.admin)  # the admin persona has no confidential grant
    page = admin.get("/staff/wangchao/audit/").content.decode()
    assert plain.display_number in page  # request numbers are shown as people write them
    assert secret.display_number not in page and secret.number not in page
    Membership.objects.filter(user=staff_a.admin).update(can_see_confidential=True)
    page = admin.get("/staff/wangchao/audit/").content.decode()
    assert secret.display_number in page


def test_a_member_without_the_grant_never_finds_a_confidential_request_by_its_words(
    org_a: Organisation, staff_a: Staff
) -> None:
    make_case(org_a, type_key="corruption", subject="เรียกรับเงินใต้โต๊ะ")
    counter = sign_in(Client(), staff_a.counter)
    page = counter.get("/staff/wangchao/", {"tab": "all", "q": "ใต้โต๊ะ"}).content.decode()
    assert "เรียกรับเงินใต้โต๊ะ" not in page
    executive = sign_in(Client(), staff_a.executive)  # granted
    page = executive.get("/staff/wangchao/", {"tab": "all", "q": "ใต้โต๊ะ"}).content.decode()
    assert "เรียกรับเงินใต้โต๊ะ" in page


def test_the_bulk_bar_keeps_a_head_within_their_department_like_the_case_page(
    org_a: Organisation, staff_a: Staff
) -> None:
    case = _in(org_a, Status.RECEIVED, staff_a)
    office = org_a.departments.get(key="office")
    head = sign_in(Client(), staff_a.head)
    inbox = head.get("/staff/wangchao/", {"tab": "all"}).content.decode()
    assert (
        f'value="{office.pk}"'
        not in inbox.split('id="bulk-department"', 1)[-1].split("</select>")[0]
    )
    response = head.post("/staff/wangchao/bulk/", {
        "action": "assign", "cases": f"{case.number}:{case.version}", "department": office.pk,
    }, follow=True)  # fmt: skip
    assert Case.objects.get(pk=case.pk).department != office
    assert "กรุณาเลือก" in response.content.decode() or "ไม่ได้" in response.content.decode()
    # Nor to a member of another department, through either door.
    engineering = org_a.departments.get(key="engineering")
    access = staff_access(user=staff_a.head, organisation=org_a)
    assert access is not None
    with pytest.raises(DomainError):
        staff_case_perform(access=access, case=case, action=Action.ASSIGN, data={
            "version": case.version, "department": engineering, "assignee": staff_a.counter,
        })  # fmt: skip


# --- Architecture -------------------------------------------------------------------------------

_CASE_FIELDS = {"status", "version", "assignee", "assignee_id", "department", "department_id",
                "duplicate_of", "duplicate_of_id", "is_public"}  # fmt: skip


def _python_files() -> list[Path]:
    return [p for p in (ROOT / "onestop").rglob("*.py") if "migrations" not in p.parts]


def test_no_code_outside_cases_services_changes_a_request() -> None:
    """No `.update()` on requests or attachments, no `select_for_update` lock-check-bump, no
    assignment to a request's workflow fields, outside `cases/services/`."""
    offenders = []
    for path in _python_files():
        if path.relative_to(ROOT).as_posix().startswith("onestop/cases/services/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                chain = ast.unparse(node.func)
                if chain.startswith(
                    ("Case.objects", "Attachment.objects", "CaseEvent.objects")
                ) and node.func.attr in {"update", "select_for_update", "bulk_update"}:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {chain}")
            if isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and target.attr in _CASE_FIELDS
                        and ast.unparse(target.value) in {"case", "locked", "updated"}
                    ):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {target.attr}")
    assert offenders == []


def test_listeners_hear_every_change_inside_its_transaction(
    org_a: Organisation, staff_a: Staff
) -> None:
    """Notifications and report rollups listen at `event_recorded`: they hear the filing and
    each change with its event, and what they write commits or rolls back with the change."""
    from onestop.cases.signals import event_recorded  # noqa: PLC0415

    heard: list[tuple[str, str]] = []

    def listen(*, case: Case, event: CaseEvent, **_kwargs: Any) -> None:
        heard.append((case.number, event.move))
        if event.move == Move.REJECT:
            raise RuntimeError("a listener failed")

    event_recorded.connect(listen)
    try:
        case = make_case(org_a)
        case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF,
                        actor=staff_a.counter)  # fmt: skip
        with pytest.raises(RuntimeError):
            case_transition(case=case, to=Status.REJECTED, actor_kind=Actor.STAFF,
                            actor=staff_a.counter, public_message="ไม่รับ")  # fmt: skip
    finally:
        event_recorded.disconnect(listen)
    assert heard == [(case.number, Move.SUBMIT), (case.number, Move.RECEIVE),
                     (case.number, Move.REJECT)]  # fmt: skip
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED  # the failed change is undone
