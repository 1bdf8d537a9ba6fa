"""The staff actions on a request: ONE table (label, form, the service that performs it, the
statuses it applies to, whether the inbox's bulk bar offers it). The case page, the bulk bar,
reply templates and the checks are all drawn from it; the statuses come from the workflow's
moves (`cases.workflow.MOVES`), so adding a move there and a row here is the whole change.

`staff_case_perform` is the one entry: the member's permission (`permissions.StaffAccess`) and
the request's status are checked, then the `cases.services` function does the change with its
timeline event and audit entry in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from onestop.backoffice import case_forms, case_selectors
from onestop.backoffice.permissions import Action, StaffAccess
from onestop.cases import services
from onestop.cases.models import Case
from onestop.cases.services import RESULT_PHOTO_STATUSES, By
from onestop.cases.workflow import MOVES, OPEN_STATUSES, WORKING_STATUSES, Move, Status
from onestop.core.errors import DomainError
from onestop.organisations.models import Department

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Perform = Callable[[StaffAccess, Case, dict[str, Any], HttpRequest | None], object]


@dataclass(frozen=True)
class StaffAction:
    key: Action
    label: StrPromise
    states: frozenset[Status]
    perform: Perform
    form: type[case_forms.CaseActionForm] = case_forms.MessageActionForm
    move: Move | None = None
    message_label: StrPromise | None = None  # the message to the citizen, if the form has one
    bulk_label: StrPromise | None = None  # offered in the inbox's bulk bar under this label
    composes_message: bool = False  # the service writes the citizen's message (forward)

    @property
    def message_required(self) -> bool:
        """The workflow says the citizen must be told why, and the form is where it is said."""
        needs = self.move is not None and MOVES[self.move].needs_message
        return needs and not self.composes_message

    @property
    def template_status(self) -> Status | None:
        """The status this action moves a request to, when it is always the same one (reply
        templates are chosen by it)."""
        if self.key == Action.NOTE:
            return Status.IN_PROGRESS
        targets = set(MOVES[self.move].leads.values()) if self.move else set()
        return targets.pop() if len(targets) == 1 else None


def _by(access: StaffAccess, request: HttpRequest | None) -> By:
    return By.staff(access.user, request)


def _move(move: Move) -> Perform:
    def perform(
        access: StaffAccess, case: Case, data: dict[str, Any], request: HttpRequest | None
    ) -> Case:
        return services.case_move(
            case=case, move=move, by=_by(access, request), expected_version=data["version"],
            public_message=data.get("public_message", ""),
            internal_note=data.get("internal_note", ""),
        )  # fmt: skip

    return perform


def _complete(
    access: StaffAccess, case: Case, data: dict[str, Any], request: HttpRequest | None
) -> Case:
    # An officer's completion is told to the division's heads by notifications (outbox), from
    # the event this appends.
    done = _move(Move.COMPLETE)(access, case, data, request)
    assert isinstance(done, Case)
    return done


def _note(
    access: StaffAccess, case: Case, data: dict[str, Any], request: HttpRequest | None
) -> Case:
    return services.case_note(
        case=case, by=_by(access, request), expected_version=data["version"],
        public_message=data.get("public_message", ""), internal_note=data.get("internal_note", ""),
    )  # fmt: skip


def _forward(
    access: StaffAccess, case: Case, data: dict[str, Any], request: HttpRequest | None
) -> Case:
    return services.case_forward(
        case=case, by=_by(access, request), expected_version=data["version"],
        agency=data["agency"], letter_number=data.get("letter_number", ""),
        public_message=data.get("public_message", ""), internal_note=data.get("internal_note", ""),
    )  # fmt: skip


def _assign(
    access: StaffAccess, case: Case, data: dict[str, Any], request: HttpRequest | None
) -> Case:
    department: Department = data["department"]
    assignee: User | None = data.get("assignee")
    if not case_selectors.assignment_choices(access=access).allow(department, assignee):
        raise DomainError(_("คุณมอบหมายงานให้กอง/สำนักหรือเจ้าหน้าที่นี้ไม่ได้"), code="forbidden_department")
    return services.case_assign(
        case=case, department=department, assignee=assignee, by=_by(access, request),
        expected_version=data["version"], internal_note=data.get("internal_note", ""),
    )  # fmt: skip


def _result_photo(
    access: StaffAccess, case: Case, data: dict[str, Any], request: HttpRequest | None
) -> object:
    return services.case_result_photo_add(
        case=case, photo=data["photo"], is_public=data["is_public"], by=_by(access, request),
        expected_version=data["version"], internal_note=data.get("internal_note", ""),
    )  # fmt: skip


def _duplicate(
    access: StaffAccess, case: Case, data: dict[str, Any], request: HttpRequest | None
) -> Case:
    original = data.get("original_case") or original_for(access, data.get("original", ""))
    return services.case_mark_duplicate(
        case=case, original=original, by=_by(access, request), expected_version=data["version"],
        internal_note=data.get("internal_note", ""),
    )  # fmt: skip


def original_for(access: StaffAccess, number: str) -> Case:
    """The earlier request a duplicate points at: one this member can see."""
    try:
        return case_selectors.case_get_for_staff(
            user=access.user, organisation=access.organisation, number=number, access=access
        )
    except Http404:
        raise DomainError(_("ไม่พบคำร้องเลขนี้"), code="original_missing") from None


L = gettext_lazy
# An action's label is a verb: the label of its move (`workflow.Move`, context "action"), or a
# message with the context "action" where the same Thai words also name something else.
ASSIGN = pgettext_lazy("action", "มอบหมายงาน")
ACTIONS: dict[Action, StaffAction] = {
    a.key: a
    for a in (
        StaffAction(
            Action.RECEIVE, Move.RECEIVE.label, MOVES[Move.RECEIVE].sources, _move(Move.RECEIVE),
            move=Move.RECEIVE, message_label=L("ข้อความถึงผู้ยื่นคำร้อง (ถ้ามี)"),
            bulk_label=Move.RECEIVE.label,
        ),
        StaffAction(
            Action.ASSIGN, ASSIGN, OPEN_STATUSES, _assign, form=case_forms.AssignForm,
            bulk_label=ASSIGN,
        ),
        StaffAction(
            Action.START, L("เริ่มดำเนินการ"), MOVES[Move.START].sources, _move(Move.START),
            move=Move.START, message_label=L("ข้อความถึงผู้ยื่นคำร้อง (ถ้ามี)"),
            bulk_label=L("เปลี่ยนเป็นกำลังดำเนินการ"),
        ),
        StaffAction(
            Action.NOTE, L("บันทึกความคืบหน้า"), WORKING_STATUSES, _note,
            message_label=L("ข้อความถึงผู้ยื่นคำร้อง (ผู้ยื่นเห็นในหน้าติดตาม)"),
        ),
        StaffAction(
            Action.ASK, L("ขอข้อมูลเพิ่มเติมจากผู้ยื่น"), MOVES[Move.ASK].sources,
            _move(Move.ASK), move=Move.ASK, message_label=L("ข้อมูลที่ต้องการเพิ่มเติม"),
        ),
        StaffAction(
            Action.FORWARD, Move.FORWARD.label, MOVES[Move.FORWARD].sources, _forward,
            form=case_forms.ForwardForm, move=Move.FORWARD, composes_message=True,
            message_label=L("ข้อความเพิ่มเติมถึงผู้ยื่นคำร้อง (ถ้ามี)"),
            bulk_label=Move.FORWARD.label,
        ),
        StaffAction(
            Action.COMPLETE, Move.COMPLETE.label, MOVES[Move.COMPLETE].sources, _complete,
            move=Move.COMPLETE, message_label=L("ผลการดำเนินงาน"),
            bulk_label=Move.COMPLETE.label,
        ),
        StaffAction(
            Action.REJECT, Move.REJECT.label, MOVES[Move.REJECT].sources, _move(Move.REJECT),
            move=Move.REJECT, message_label=L("เหตุผลที่ไม่รับเรื่อง"), bulk_label=Move.REJECT.label,
        ),
        StaffAction(
            Action.REOPEN, L("เปิดเรื่องอีกครั้ง"), MOVES[Move.REOPEN].sources,
            _move(Move.REOPEN), move=Move.REOPEN, message_label=L("เหตุผลที่เปิดเรื่องอีกครั้ง"),
        ),
        StaffAction(
            Action.DUPLICATE, L("รวมเป็นเรื่องซ้ำ"), MOVES[Move.REJECT].sources, _duplicate,
            form=case_forms.DuplicateForm, bulk_label=L("รวมเป็นเรื่องซ้ำ"),
        ),
        StaffAction(
            Action.RESULT_PHOTO, L("แนบภาพผลการดำเนินงาน"), RESULT_PHOTO_STATUSES, _result_photo,
            form=case_forms.ResultPhotoForm,
        ),
    )
}  # fmt: skip


def available_actions(*, access: StaffAccess, case: Case) -> list[StaffAction]:
    """The actions to offer this member on this request now, in the table's order."""
    return [a for a in ACTIONS.values() if case.status in a.states and access.may(a.key, case)]


def bulk_actions(*, access: StaffAccess) -> list[StaffAction]:
    return [a for a in ACTIONS.values() if a.bulk_label is not None and access.may(a.key)]


def action_form(
    action: Action, access: StaffAccess, *, data: Any = None, files: Any = None,
    initial: Any = None,
) -> case_forms.CaseActionForm:  # fmt: skip
    """The form for `action`, bound to `data` (and `files`) when posted."""
    entry = ACTIONS[action]
    form = entry.form(data, files, initial=initial, prefix=str(action), access=access)
    if "public_message" in form.fields and entry.message_label is not None:
        form.fields["public_message"].label = entry.message_label
        form.fields["public_message"].required = entry.message_required
    return form


def staff_case_perform(
    *,
    access: StaffAccess,
    case: Case,
    action: Action,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> object:
    """Check that this member may do `action` to `case` and that it fits the request's status,
    then perform it through `cases.services` (with the version in `data`: a change made since
    the form was shown is refused, not merged)."""
    entry = ACTIONS.get(action)
    if entry is None:
        raise DomainError(_("คำสั่งไม่ถูกต้อง"), code="invalid_action")
    if case.organisation_id != access.organisation.pk or not access.may(action, case):
        raise DomainError(_("คุณไม่มีสิทธิ์ดำเนินการนี้กับคำร้องนี้"), code="forbidden")
    if case.status not in entry.states:
        raise DomainError(
            _("ดำเนินการนี้ไม่ได้ในสถานะ “%(status)s”") % {"status": Status(case.status).label},
            code="illegal_transition",
        )
    return entry.perform(access, case, data, request)
