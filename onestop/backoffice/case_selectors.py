"""Reads for the page of one request in the back office: the request as this member may see it (404
otherwise), its related requests, timeline and files, where it may be assigned, and the reply
templates for its actions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404

from onestop.backoffice.models import ReplyTemplate
from onestop.backoffice.permissions import Action, StaffAccess
from onestop.backoffice.selectors import case_scope_for_staff

# The case page reads reply templates; they live with the other settings in `settings_selectors`.
from onestop.backoffice.settings_selectors import reply_template_get as reply_template_get  # noqa: PLC0414 (re-export)
from onestop.cases import numbering
from onestop.cases.models import Attachment, Case, CaseEvent
from onestop.cases.workflow import Status
from onestop.organisations.models import Department, Membership, Organisation, Role


def case_get_for_staff(
    *, user: User, organisation: Organisation, number: str, access: StaffAccess | None = None
) -> Case:
    """The request `number` if this member may see it; Http404 otherwise (the same for a number
    that does not exist, belongs to another organisation, is confidential without the grant or
    belongs to another department)."""
    canonical = numbering.parse(number)
    if canonical is None:
        raise Http404
    case = (
        case_scope_for_staff(user=user, organisation=organisation, access=access)
        .select_related("request_type", "request_type__category", "department", "assignee")
        .filter(number=canonical)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_related_for_staff(*, case: Case, access: StaffAccess) -> dict[str, object]:
    """The request this one duplicates and the requests that duplicate it, as far as this
    member may see them."""
    scope = case_scope_for_staff(user=access.user, organisation=access.organisation, access=access)
    original = scope.filter(pk=case.duplicate_of_id).first() if case.duplicate_of_id else None
    return {"original": original, "duplicates": list(scope.filter(duplicate_of=case))}


def case_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "pk")


def case_attachments(*, case: Case, access: StaffAccess) -> list[Attachment]:
    """The request's files this member may open (the ID-card photo only for identity roles)."""
    files = list(case.attachments.order_by("uploaded_at", "pk"))
    if not access.can_see_identity:
        files = [f for f in files if f.kind != "id_card"]
    return files


def attachment_get_for_staff(
    *, user: User, organisation: Organisation, number: str, pk: int, access: StaffAccess
) -> Attachment:
    case = case_get_for_staff(user=user, organisation=organisation, number=number, access=access)
    for attachment in case_attachments(case=case, access=access):
        if attachment.pk == pk:
            return attachment
    raise Http404


def assignable_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            role__in=[Role.COUNTER, Role.OFFICER, Role.HEAD],
        )
        .select_related("user", "department")
        .order_by("department__position", "user__username")
    )


@dataclass(frozen=True)
class AssignmentChoices:
    """Where this member may send a request: the departments and the people. The one rule
    behind the case page's form, the inbox's bulk bar and the check before assigning."""

    departments: QuerySet[Department]
    users: QuerySet[User]

    def allow(self, department: Department, assignee: User | None) -> bool:
        if not self.departments.filter(pk=department.pk).exists():
            return False
        return assignee is None or self.users.filter(pk=assignee.pk).exists()


def assignment_choices(*, access: StaffAccess) -> AssignmentChoices:
    departments = Department.objects.filter(organisation=access.organisation, is_active=True)
    members = assignable_members(organisation=access.organisation)
    if not access.may(Action.ASSIGN):
        departments, members = departments.none(), members.none()
    elif access.assigns_within_department:
        own = access.department_id or 0  # a head always has a department; 0 matches none
        departments = departments.filter(pk=own)
        members = members.filter(department_id=own)
    users = User.objects.filter(pk__in=members.values("user_id")).order_by("username")
    return AssignmentChoices(departments=departments, users=users)


def reply_templates_for_case(
    *, case: Case, access: StaffAccess, statuses: Mapping[str, Status]
) -> dict[str, list[ReplyTemplate]]:
    """Per action key, the organisation's templates for this request's type (or any type) and
    the status that action moves to (`statuses`; or any status). One query."""
    templates = list(
        ReplyTemplate.objects.filter(organisation=access.organisation)
        .filter(Q(request_type=case.request_type_id) | Q(request_type__isnull=True))
        .order_by("title", "pk")
    )
    return {
        action: [t for t in templates if t.status in {"", status}]
        for action, status in statuses.items()
    }
