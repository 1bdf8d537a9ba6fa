"""What a member of staff may see and do in one organisation, decided from their Membership.

One table, read by views, selectors and templates alike, so that a button is shown exactly when
the action behind it would be allowed:

| role       | sees                               | acts                                        |
|------------|------------------------------------|---------------------------------------------|
| counter    | every request of the organisation  | receive, route, start, ask, forward, not    |
|            |                                    | accept, reopen, file for walk-in citizens   |
| officer    | its department's and its own       | start, progress notes, result photos, ask,  |
|            |                                    | forward; complete when the organisation     |
|            |                                    | lets officers complete (the default; the    |
|            |                                    | head is told), else the head completes      |
| head       | its department's and its own       | as officer + receive, assign in department, |
|            |                                    | complete, not accept, reopen                |
| executive  | every request                      | reads only                                  |
| admin      | every request                      | reads only; the audit trail                 |

Confidential request types are seen only by members with `can_see_confidential`, whatever the
role. Everything is scoped to one organisation: membership of another grants nothing here."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.contrib.auth.models import User

from onestop.cases.models import Case
from onestop.organisations.models import Membership, Organisation, Role


class Action(enum.StrEnum):
    RECEIVE = "receive"
    START = "start"
    ASSIGN = "assign"
    FORWARD = "forward"
    ASK = "ask"
    NOTE = "note"
    COMPLETE = "complete"
    REJECT = "reject"
    REOPEN = "reopen"
    RESULT_PHOTO = "result_photo"
    DUPLICATE = "duplicate"


_COUNTER_ACTIONS = {
    Action.RECEIVE, Action.START, Action.ASSIGN, Action.FORWARD, Action.ASK, Action.NOTE,
    Action.REJECT, Action.REOPEN, Action.DUPLICATE,
}  # fmt: skip
_OFFICER_ACTIONS = {Action.START, Action.FORWARD, Action.ASK, Action.NOTE, Action.RESULT_PHOTO}
_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.COUNTER: frozenset(_COUNTER_ACTIONS),
    Role.OFFICER: frozenset(_OFFICER_ACTIONS),
    Role.HEAD: frozenset(Action),
    Role.EXECUTIVE: frozenset(),
    Role.ADMIN: frozenset(),
}
_WHOLE_ORGANISATION = frozenset({Role.COUNTER, Role.EXECUTIVE, Role.ADMIN})
# Roles that handle the citizen in person and may need the full ID number or the ID-card photo.
_HANDLES_IDENTITY = frozenset({Role.COUNTER, Role.OFFICER, Role.HEAD})


@dataclass(frozen=True)
class StaffAccess:
    """A user's standing in one organisation (from an active Membership)."""

    user: User
    organisation: Organisation
    membership: Membership

    @property
    def role(self) -> Role:
        return Role(self.membership.role)

    @property
    def department_id(self) -> int | None:
        return self.membership.department_id

    @property
    def can_see_confidential(self) -> bool:
        return self.membership.can_see_confidential

    @property
    def sees_whole_organisation(self) -> bool:
        return self.role in _WHOLE_ORGANISATION

    @property
    def can_see_identity(self) -> bool:
        """Full national ID (on request, logged) and the ID-card photo."""
        return self.role in _HANDLES_IDENTITY

    @property
    def can_file_for_citizens(self) -> bool:
        return self.role in {Role.COUNTER, Role.HEAD}

    @property
    def can_manage_templates(self) -> bool:
        return self.role in {Role.ADMIN, Role.HEAD, Role.COUNTER}

    @property
    def can_export(self) -> bool:
        return self.role in {Role.COUNTER, Role.HEAD, Role.EXECUTIVE, Role.ADMIN}

    @property
    def can_see_dashboard(self) -> bool:
        """The performance dashboard: heads (their department), executives and
        administrators (the whole organisation)."""
        return self.role in {Role.HEAD, Role.EXECUTIVE, Role.ADMIN}

    @property
    def can_manage_staff(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_read_audit(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def actions(self) -> frozenset[Action]:
        """What this member's role may do here; whether officers complete is the
        organisation's choice (`Organisation.officers_may_complete`)."""
        if self.role == Role.OFFICER and self.organisation.officers_may_complete:
            return _ACTIONS[self.role] | {Action.COMPLETE}
        return _ACTIONS[self.role]

    @property
    def can_act(self) -> bool:
        return bool(self.actions)

    def may(self, action: Action, case: Case | None = None) -> bool:
        """Whether this member may do `action` (to `case`, which they can already see)."""
        if action not in self.actions:
            return False
        if case is None or self.sees_whole_organisation:
            return True
        # Department roles act on their department's requests and on those assigned to them.
        return case.department_id == self.department_id or case.assignee_id == self.user.pk

    @property
    def assigns_within_department(self) -> bool:
        """Counter routes anywhere; a head assigns within the department, to its members
        (`case_selectors.assignment_choices` applies it to the case page and the bulk bar)."""
        return self.role == Role.HEAD


def staff_access(*, user: User, organisation: Organisation) -> StaffAccess | None:
    """The user's access to `organisation`, or None without an active membership."""
    if not user.is_authenticated or not user.is_active:
        return None
    membership = (
        Membership.objects.filter(user=user, organisation=organisation, is_active=True)
        .select_related("department")
        .first()
    )
    if membership is None:
        return None
    return StaffAccess(user=user, organisation=organisation, membership=membership)


def requires_second_factor(user: User) -> bool:
    """Organisation administrators must sign in with a one-time code as well (TOTP)."""
    return Membership.objects.filter(user=user, role=Role.ADMIN, is_active=True).exists()
