"""Reads of the inbox: the requests this member may see (department scope, confidential types)
with tabs and counts, filters, Thai search, sort and keyset pages, and the export. Every
function names the user and the organisation it reads for. One request's page reads through
`case_selectors`, the organisation's settings through `settings_selectors`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from onestop.backoffice.permissions import StaffAccess, staff_access

# The case page reads reply templates; they live with the other settings in `settings_selectors`.
from onestop.backoffice.settings_selectors import reply_template_get as reply_template_get  # noqa: PLC0414 (re-export)
from onestop.cases.models import Case
from onestop.cases.search import case_search
from onestop.cases.workflow import CLOSED_STATUSES, OPEN_STATUSES, Status
from onestop.catalog.models import RequestType
from onestop.organisations.models import Organisation, Role

PAGE_SIZE = 50
# A tab's count stops at this: beyond it "more than 1,000" is what an officer needs, and an exact
# figure would read every matching row (hundreds of thousands in a big organisation).
COUNT_CAP = 1000
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
    # Exact up to COUNT_CAP; COUNT_CAP + 1 means "more than COUNT_CAP".
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

    counts = _capped_counts(filtered, conditions)
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
        # A row comparison `(key, id) < (value, pk)`: PostgreSQL reads it as one range of the
        # (organisation, key, id) index; `key < value OR (key = value AND id < pk)` it cannot.
        after = TupleLessThan if descending else TupleGreaterThan
        rows = rows.filter(after(Tuple(F(key), F("pk")), (value, pk)))
    order = [f"-{key}", "-pk"] if descending else [key, "pk"]
    page = list(
        rows.select_related(
            "request_type", "request_type__category", "department", "assignee"
        ).order_by(*order)[: page_size + 1]
    )
    next_cursor = _encode_cursor(page[page_size - 1], key) if len(page) > page_size else ""
    return InboxPage(
        cases=page[:page_size],
        counts=counts,
        next_cursor=next_cursor,
        today=today,
    )


def _capped_counts(cases: QuerySet[Case], conditions: dict[str, Q]) -> dict[str, int]:
    """Every tab's count in one query, each stopping at COUNT_CAP + 1 rows: `SELECT (SELECT
    count(*) FROM (… LIMIT 1001)), …`. Each inner query walks an index only until it has
    found enough, so the cost does not grow with the organisation (an exact count of every
    tab was a scan of all its requests on every view)."""
    parts: list[str] = []
    params: list[Any] = []
    for tab, condition in conditions.items():
        limited = cases.filter(condition).order_by().values("pk")[: COUNT_CAP + 1]
        try:
            sql, sql_params = limited.query.sql_with_params()
        except EmptyResultSet:  # a condition that matches nothing (no department)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{tab})")  # noqa: S608 (compiled)
        params.extend(sql_params)
    with connections[cases.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return {tab: int(n) for tab, n in zip(conditions, row, strict=True)}


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
