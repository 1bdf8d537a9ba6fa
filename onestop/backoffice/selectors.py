"""Reads for the back office. Every function names the user and the organisation it reads for,
and returns only what that member may see (department scope, confidential types)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from onestop.backoffice.models import ReplyTemplate
from onestop.backoffice.permissions import Action, StaffAccess, staff_access

# The case page reads reply templates; they live with the other settings in `staff_selectors`.
from onestop.backoffice.staff_selectors import reply_template_get as reply_template_get  # noqa: PLC0414 (re-export)
from onestop.cases import numbering
from onestop.cases.models import Attachment, Case, CaseEvent, RoutingRule
from onestop.cases.search import case_search
from onestop.cases.workflow import CLOSED_STATUSES, OPEN_STATUSES, Status
from onestop.catalog.models import RequestType
from onestop.core.models import AuditLog
from onestop.organisations.models import Department, Membership, Organisation, Role

PAGE_SIZE = 50
_FAR_FUTURE = dt.date(9999, 12, 31)

TABS = ("new", "mine", "department", "waiting", "overdue", "all", "closed")
SORTS = ("-submitted", "submitted", "due", "-priority")


def _access(*, user: User, organisation: Organisation, access: StaffAccess | None) -> StaffAccess:
    if access is not None:
        if access.user.pk != user.pk or access.organisation.pk != organisation.pk:
            raise Http404
        return access
    found = staff_access(user=user, organisation=organisation)
    if found is None:
        raise Http404
    return found


def case_scope_for_staff(
    *, user: User, organisation: Organisation, access: StaffAccess | None = None
) -> QuerySet[Case]:
    """Every request of `organisation` this member may see, unordered."""
    access = _access(user=user, organisation=organisation, access=access)
    cases = Case.objects.filter(organisation=organisation)
    if not access.can_see_confidential:
        # NOT IN a short list, not a join: the inbox's index on (organisation, submitted_at)
        # stays usable (measured in bench/bench_inbox.py).
        confidential = RequestType.objects.filter(organisation=organisation, is_confidential=True)
        cases = cases.exclude(request_type_id__in=confidential.values("pk"))
    if not access.sees_whole_organisation:
        mine = Q(assignee=user)
        if access.department_id is not None:
            mine |= Q(department_id=access.department_id)
        cases = cases.filter(mine)
    return cases


def late_condition(today: dt.date) -> Q:
    """Open and past its completion date, or still unanswered past its first-response date."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(due_date__lt=today) | Q(status=Status.SUBMITTED, first_response_due__lt=today)
    )


def _tab_conditions(access: StaffAccess, today: dt.date) -> dict[str, Q]:
    open_ = Q(status__in=OPEN_STATUSES)
    department = (
        Q(department_id=access.department_id) & open_
        if access.department_id is not None
        else Q(pk__in=[])
    )
    return {
        "new": Q(status=Status.SUBMITTED),
        "mine": Q(assignee=access.user) & open_,
        "department": department,
        "waiting": Q(status=Status.WAITING_CITIZEN),
        "overdue": late_condition(today),
        "all": Q(),
        "closed": Q(status__in=CLOSED_STATUSES),
    }


def default_tab(access: StaffAccess) -> str:
    if access.role == Role.COUNTER:
        return "new"
    if access.department_id is not None:
        return "department"
    return "all"


@dataclass
class InboxQuery:
    tab: str = "all"
    status: str = ""
    category: int | None = None
    request_type: int | None = None
    department: int | None = None
    assignee: int | None = None
    channel: str = ""
    overdue: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    sort: str = "-submitted"
    after: str = ""


@dataclass
class InboxPage:
    cases: Sequence[Case]
    counts: dict[str, int]
    next_cursor: str = ""
    today: dt.date = field(default_factory=timezone.localdate)


def _sort_key(sort: str) -> tuple[str, bool]:
    """(annotated key, descending)."""
    return {
        "-submitted": ("submitted_at", True),
        "submitted": ("submitted_at", False),
        "due": ("due_key", False),
        "-priority": ("priority", True),
    }[sort]


def _encode_cursor(case: Case, key: str) -> str:
    value = getattr(case, key)
    text = value.isoformat() if isinstance(value, dt.date | dt.datetime) else str(value)
    return f"{text}~{case.pk}"


def _decode_cursor(cursor: str, key: str) -> tuple[object, int] | None:
    text, _sep, pk = cursor.rpartition("~")
    if not text or not pk.isdigit():
        return None
    try:
        value: object
        if key == "submitted_at":
            value = dt.datetime.fromisoformat(text)
            if timezone.is_naive(value):
                return None
        elif key == "due_key":
            value = dt.date.fromisoformat(text)
        else:
            value = int(text)
    except ValueError:
        return None
    return value, int(pk)


def _filter(cases: QuerySet[Case], query: InboxQuery, today: dt.date) -> QuerySet[Case]:
    if query.status in Status.values:
        cases = cases.filter(status=query.status)
    if query.category:
        cases = cases.filter(request_type__category_id=query.category)
    if query.request_type:
        cases = cases.filter(request_type_id=query.request_type)
    if query.department:
        cases = cases.filter(department_id=query.department)
    if query.assignee:
        cases = cases.filter(assignee_id=query.assignee)
    if query.channel:
        cases = cases.filter(channel=query.channel)
    if query.overdue:
        cases = cases.filter(late_condition(today))
    if query.date_from:
        cases = cases.filter(submitted_at__date__gte=query.date_from)
    if query.date_to:
        cases = cases.filter(submitted_at__date__lte=query.date_to)
    if query.q.strip():
        cases = case_search(cases, query.q)
    return cases


def case_list_for_staff(
    *,
    user: User,
    organisation: Organisation,
    query: InboxQuery | None = None,
    access: StaffAccess | None = None,
    page_size: int | None = None,
) -> InboxPage:
    """One page of the inbox, its tab counts and the cursor of the next page (keyset
    pagination: the page after the last row seen, fast at any depth)."""
    access = _access(user=user, organisation=organisation, access=access)
    page_size = page_size or PAGE_SIZE
    query = query or InboxQuery()
    today = timezone.localdate()
    scope = case_scope_for_staff(user=user, organisation=organisation, access=access)

    filtered = _filter(scope, query, today)
    conditions = _tab_conditions(access, today)

    counts = filtered.aggregate(
        **{tab: Count("pk", filter=condition) for tab, condition in conditions.items()}
    )
    tab = query.tab if query.tab in conditions else "all"
    rows = filtered.filter(conditions[tab]).annotate(
        due_key=Coalesce("due_date", _FAR_FUTURE),
        late=ExpressionWrapper(late_condition(today), output_field=BooleanField()),
    )

    sort = query.sort if query.sort in SORTS else "-submitted"
    key, descending = _sort_key(sort)
    cursor = _decode_cursor(query.after, key) if query.after else None
    if cursor is not None:
        value, pk = cursor
        if descending:
            rows = rows.filter(Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk}))
        else:
            rows = rows.filter(Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk}))
    order = [f"-{key}", "-pk"] if descending else [key, "pk"]
    page = list(
        rows.select_related(
            "request_type", "request_type__category", "department", "assignee"
        ).order_by(*order)[: page_size + 1]
    )
    next_cursor = _encode_cursor(page[page_size - 1], key) if len(page) > page_size else ""
    return InboxPage(
        cases=page[:page_size],
        counts={tab: int(counts[tab] or 0) for tab in conditions},
        next_cursor=next_cursor,
        today=today,
    )


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


def staff_memberships(*, user: User) -> QuerySet[Membership]:
    """The organisations this person serves (for `/staff/`)."""
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "department")
        .order_by("organisation__name_th")
    )


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


def audit_list_for_staff(
    *,
    user: User,
    organisation: Organisation,
    access: StaffAccess,
    action: str = "",
    actor: str = "",
    ref: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    before: int | None = None,
    limit: int = 100,
) -> QuerySet[AuditLog]:
    """The organisation's audit trail, newest first; only for its administrators."""
    if access.user.pk != user.pk or access.organisation.pk != organisation.pk:
        raise Http404
    if not access.can_read_audit:
        raise Http404
    entries = AuditLog.objects.filter(organisation=organisation)
    if not access.can_see_confidential:  # entries about confidential requests need the grant
        entries = entries.filter(is_confidential=False)
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_username__icontains=actor)
    if ref:
        entries = entries.filter(object_ref__icontains=numbering.parse(ref) or ref)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    if before:
        entries = entries.filter(pk__lt=before)
    return entries.order_by("-pk")[:limit]


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


EXPORT_LIMIT = 50_000


def case_export_for_staff(
    *, user: User, organisation: Organisation, query: InboxQuery, access: StaffAccess
) -> QuerySet[Case]:
    """The inbox's rows for a spreadsheet, oldest first. Confidential types are never exported,
    whoever asks (they are counted only in aggregate reports)."""
    access = _access(user=user, organisation=organisation, access=access)
    if not access.can_export:
        raise Http404
    today = timezone.localdate()
    scope = case_scope_for_staff(user=user, organisation=organisation, access=access)
    scope = scope.exclude(request_type__is_confidential=True)
    rows = _filter(scope, query, today)
    conditions = _tab_conditions(access, today)
    rows = rows.filter(conditions.get(query.tab, Q()))
    return rows.select_related("request_type", "department", "assignee").order_by(
        "submitted_at", "pk"
    )[:EXPORT_LIMIT]


def routing_rules_for_admin(*, access: StaffAccess) -> QuerySet[RoutingRule]:
    if not access.can_manage_staff:
        raise Http404
    return RoutingRule.objects.filter(organisation=access.organisation).select_related(
        "request_type", "department"
    )


def routing_rule_get(*, access: StaffAccess, pk: int) -> RoutingRule:
    rule = routing_rules_for_admin(access=access).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule
