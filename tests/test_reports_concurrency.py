"""Rollups under concurrent changes (threads with their own connections; on PostgreSQL in CI):
many transactions adding to the same rollup rows at once lose no count and never deadlock."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Sum

from onestop.cases.services import By, case_move
from onestop.cases.workflow import Actor, Move
from onestop.organisations.models import Organisation
from onestop.reports.models import DailyCount, Distribution, Measure, OpenCount
from onestop.reports.rollups import rollups_rebuild
from tests import reports_data
from tests.conftest import Staff
from tests.test_concurrency import _run_in_threads
from tests.test_reports_property import _snapshot

WORKERS = 8
PER_WORKER = 4


@pytest.mark.django_db(transaction=True)
def test_parallel_changes_of_many_requests_are_all_counted(
    org_a: Organisation, staff_a: Staff
) -> None:
    def work(i: int) -> None:
        for _ in range(PER_WORKER):
            # Same organisation, type, channel and day: every worker adds to the same rows.
            case = reports_data.submit(org_a, "street-light", "2026-01-07")
            by = By(Actor.STAFF, staff_a.head, at=reports_data.at("2026-01-08"))
            case = case_move(case=case, move=Move.RECEIVE, by=by)
            if i % 2:
                case_move(case=case, move=Move.COMPLETE, by=by, public_message="เสร็จ")

    assert _run_in_threads(work, WORKERS) == []
    total = WORKERS * PER_WORKER
    sums = DailyCount.objects.aggregate(
        received=Sum("received"), first=Sum("first_responded"), completed=Sum("completed")
    )
    assert sums == {"received": total, "first": total, "completed": total // 2}
    assert DailyCount.objects.count() == 2  # one row per day
    histogram = Counter(
        dict(Distribution.objects.filter(measure=Measure.COMPLETION).values_list("value", "count"))
    )
    assert histogram == Counter({1: total // 2})
    assert OpenCount.objects.aggregate(n=Sum("count"))["n"] == total // 2
    live = _snapshot()
    rollups_rebuild()
    assert _snapshot() == live
