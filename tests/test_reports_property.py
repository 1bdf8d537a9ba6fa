"""Property: whatever workflow actions happen, in whatever order and at whatever times, the
rollups kept live equal a full recount from the event log, and agree with the requests."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.db import models, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onestop.cases.models import Case, CaseEvent, Channel, EventKind
from onestop.cases.services import (
    By,
    case_assign,
    case_feedback_record,
    case_move,
    case_note,
)
from onestop.cases.workflow import OPEN_STATUSES, Actor, Move
from onestop.core.errors import DomainError
from onestop.core.models import Holiday
from onestop.organisations.models import Organisation
from onestop.reports.models import (
    CaseState,
    DailyCount,
    Distribution,
    Measure,
    MonthlyCount,
    MonthlyDistribution,
    MonthlyKeyCount,
    MonthlyKeyDistribution,
    OpenCount,
)
from onestop.reports.rollups import rollups_rebuild
from tests import reports_data
from tests.conftest import Staff

START = dt.datetime(2025, 9, 25, 9, tzinfo=reports_data.BANGKOK)  # across FY 2568 → 2569
TYPES = ("street-light", "road-drain", "corruption")  # the last one is confidential
MOVES = [m for m in Move if m != Move.SUBMIT]

action = st.one_of(
    st.tuples(st.just("submit"), st.sampled_from(TYPES), st.sampled_from(list(Channel))),
    st.tuples(st.just("move"), st.integers(0, 5), st.sampled_from(MOVES)),
    st.tuples(st.just("assign"), st.integers(0, 5), st.sampled_from(["engineering", "health"])),
    # To an officer by name as well: CaseState keeps the officer for the dashboard.
    st.tuples(st.just("assign_officer"), st.integers(0, 5), st.sampled_from(["officer", "head"])),
    st.tuples(st.just("rate"), st.integers(0, 5), st.integers(1, 5)),
    st.tuples(st.just("confirm"), st.integers(0, 5), st.none()),
    st.tuples(st.just("note"), st.integers(0, 5), st.none()),
)
steps = st.lists(st.tuples(action, st.integers(0, 80)), min_size=1, max_size=30)


def _rows(model: type[models.Model]) -> Counter[tuple[object, ...]]:
    names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return Counter(tuple(row) for row in model._default_manager.values_list(*names))


def _snapshot() -> tuple[Counter[tuple[object, ...]], ...]:
    tables = (DailyCount, Distribution, MonthlyCount, MonthlyDistribution, MonthlyKeyCount,
              MonthlyKeyDistribution, OpenCount, CaseState)  # fmt: skip
    return tuple(_rows(m) for m in tables)


def _apply(organisation: Organisation, staff: Staff, plan: list[tuple[Any, int]]) -> None:
    cases: list[Case] = []
    now = START
    for (kind, target, arg), hours in plan:
        now += dt.timedelta(hours=hours)
        staff_by = By(Actor.STAFF, staff.head, at=now)
        citizen_by = By(Actor.CITIZEN, at=now)
        if kind == "submit":
            day = now.date().isoformat()
            cases.append(reports_data.submit(organisation, target, day, channel=arg,
                                             hour=now.hour))  # fmt: skip
            continue
        if not cases:
            continue
        case = cases[target % len(cases)]
        try:
            if kind == "move":
                if arg in {Move.ANSWER, Move.CANCEL, Move.NOT_SOLVED}:
                    case_move(case=case, move=arg, by=citizen_by, citizen_message="ok")
                else:
                    case_move(case=case, move=arg, by=staff_by, public_message="ok")
            elif kind == "assign":
                department = organisation.departments.get(key=arg)
                case_assign(case=case, department=department, assignee=None, by=staff_by)
            elif kind == "assign_officer":
                engineering = organisation.departments.get(key="engineering")
                officer = getattr(staff, arg)
                case_assign(case=case, department=engineering, assignee=officer, by=staff_by)
            elif kind == "rate":
                case_feedback_record(case=case, kind=EventKind.RATED, score=arg, by=citizen_by)
            elif kind == "confirm":
                case_feedback_record(case=case, kind=EventKind.CONFIRMED, by=citizen_by)
            else:
                case_note(case=case, by=staff_by, expected_version=None, public_message="งาน")
        except DomainError:
            pass  # a move the workflow refuses changes nothing


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_live_rollups_always_equal_a_full_recount(
    org_a: Organisation, staff_a: Staff, plan: list[tuple[Any, int]]
) -> None:
    with transaction.atomic():
        for day in reports_data.HOLIDAYS:
            Holiday.objects.get_or_create(date=day, defaults={"name_th": "วันหยุด"})
        _apply(org_a, staff_a, plan)
        live = _snapshot()
        # Against the requests themselves: what is open now, and counts of the log's events.
        open_cases = Case.objects.filter(status__in=OPEN_STATUSES).count()
        assert (OpenCount.objects.aggregate(n=Sum("count"))["n"] or 0) == open_cases
        assert not OpenCount.objects.filter(count__lte=0).exists()
        events = CaseEvent.objects.all()
        daily = DailyCount.objects.aggregate(
            received=Sum("received"), completed=Sum("completed"), cancelled=Sum("cancelled"),
            reopened=Sum("reopened_by_citizen"),
        )  # fmt: skip
        assert (daily["received"] or 0) == events.filter(move=Move.SUBMIT).count()
        assert (daily["completed"] or 0) == events.filter(move=Move.COMPLETE).count()
        assert (daily["cancelled"] or 0) == events.filter(move=Move.CANCEL).count()
        assert (daily["reopened"] or 0) == events.filter(move=Move.NOT_SOLVED).count()
        completions = Distribution.objects.filter(measure=Measure.COMPLETION)
        assert (completions.aggregate(n=Sum("count"))["n"] or 0) == (daily["completed"] or 0)
        ratings = Distribution.objects.filter(measure=Measure.RATING)
        assert (ratings.aggregate(n=Sum("count"))["n"] or 0) == events.filter(
            kind=EventKind.RATED
        ).count()
        # The full recount from the event log gives exactly the same rows.
        rollups_rebuild()
        assert _snapshot() == live
        transaction.set_rollback(True)
