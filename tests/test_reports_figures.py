"""Every figure of the performance reports, checked against values worked out by hand on the
fixed history of tests/reports_data.py (fiscal years, quarters, B.E., holidays, reopened,
forwarded, cancelled and confidential requests)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import models

from onestop.organisations.models import Organisation
from onestop.reports.figures import Histogram
from onestop.reports.models import (
    CaseState,
    DailyCount,
    Distribution,
    MonthlyCount,
    MonthlyDistribution,
    OpenCount,
)
from onestop.reports.selectors import (
    Period,
    fiscal_year,
    fiscal_year_period,
    month_period,
    public_performance,
    target_standing,
)
from onestop.reports.workdays import working_days_between
from tests import reports_data
from tests.conftest import Staff
from tests.reports_data import TODAY, History

D = dt.date
FY2569 = fiscal_year_period(2569)
Q1_2569 = Period(D(2025, 10, 1), D(2025, 12, 31))


@pytest.fixture
def history(org_a: Organisation, staff_a: Staff) -> History:
    return reports_data.build(org_a, staff_a.head)


def test_fiscal_years_run_october_to_september_in_buddhist_era() -> None:
    assert fiscal_year(D(2025, 9, 30)) == 2568
    assert fiscal_year(D(2025, 10, 1)) == 2569
    assert fiscal_year(D(2026, 9, 30)) == 2569
    assert fiscal_year_period(2569) == Period(D(2025, 10, 1), D(2026, 9, 30))
    assert month_period(2024, 2) == Period(D(2024, 2, 1), D(2024, 2, 29))
    assert month_period(2025, 12) == Period(D(2025, 12, 1), D(2025, 12, 31))


def test_working_days_skip_weekends_and_holidays() -> None:
    holidays = set(reports_data.HOLIDAYS)
    assert working_days_between(D(2025, 9, 26), D(2025, 9, 29), holidays=holidays) == 1  # Fri→Mon
    assert working_days_between(D(2025, 10, 8), D(2025, 10, 14), holidays=holidays) == 3
    assert working_days_between(D(2025, 10, 1), D(2025, 11, 3), holidays=holidays) == 21
    assert working_days_between(D(2025, 12, 30), D(2026, 1, 2), holidays=holidays) == 1
    assert working_days_between(D(2026, 1, 8), D(2026, 1, 8), holidays=holidays) == 0
    assert working_days_between(D(2026, 1, 9), D(2026, 1, 8), holidays=holidays) == 0
    # The same by brute force over two years, against every start and end in a window.
    start = D(2025, 9, 1)
    for a in range(0, 60, 7):
        for b in range(0, 120, 5):
            first, last = start + dt.timedelta(days=a), start + dt.timedelta(days=b)
            expected = sum(
                1 for i in range(1, (last - first).days + 1)
                if (d := first + dt.timedelta(days=i)).weekday() < 5 and d not in holidays
            )  # fmt: skip
            assert working_days_between(first, last, holidays=holidays) == expected


def test_percentiles_from_a_histogram_equal_those_of_the_raw_values() -> None:
    values = [2, 3, 6, 9, 21]
    histogram = Histogram(Counter(values))
    assert histogram.percentile(0.5) == 6
    assert histogram.percentile(0.9) == pytest.approx(16.2)  # 9 + 0.6 × (21 - 9)
    assert Histogram(Counter([3, 6, 9, 21])).percentile(0.5) == 7.5
    assert Histogram(Counter({61: 3, 1: 1})).percentile(0.5) == math.inf  # "more than 60"
    assert Histogram().percentile(0.5) is None


def test_fiscal_year_2569_figures(org_a: Organisation, history: History) -> None:
    report = public_performance(organisation=org_a, chosen=FY2569, today=TODAY)
    total = report.this_fiscal_year.total
    # C2 C3 C4 C5 C6 C7 C8 C9 (C1 was filed in FY 2568); the confidential C5 is in the total.
    assert total.received == 8
    # C1 (9 Oct), C2 twice (14 and 17 Oct), C5 (3 Nov), C9 (12 Jan).
    assert total.completed == 5
    assert total.completed_on_time == 4  # all but C1 (2 working days late)
    assert total.on_time_share == pytest.approx(0.8)
    assert sorted(total.completion.counts.elements()) == [2, 3, 6, 9, 21]
    assert total.completion.percentile(0.5) == 6
    assert total.completion.percentile(0.9) == pytest.approx(16.2)
    # First responses in the year: C2 0, C5 1, C3 1, C6 1, C7 1, C9 0 (C1's was in FY 2568).
    assert sorted(total.first_response.counts.elements()) == [0, 0, 1, 1, 1, 1]
    assert total.first_response.percentile(0.5) == 1
    assert total.reopened_by_citizen == 1
    assert total.reopened_share == pytest.approx(0.2)
    assert (total.forwarded, total.rejected, total.cancelled) == (1, 1, 1)
    assert total.confirmed_solved == 1
    assert total.rating_count == 2
    assert total.rating_average == pytest.approx(4.5)
    assert total.rating_distribution() == [(5, 1), (4, 1), (3, 0), (2, 0), (1, 0)]
    # Filed this year and still open: C7 (waiting, due 28 Jan: late) and C8 (due 10 Feb).
    assert (total.open_now, total.overdue_now) == (2, 1)
    assert (report.open_now, report.overdue_now) == (2, 1)


def test_first_quarter_and_this_month(org_a: Organisation, history: History) -> None:
    q1 = public_performance(organisation=org_a, chosen=Q1_2569, today=TODAY).chosen.total
    assert q1.received == 3  # C2, C5, C3 (30 Dec)
    assert q1.completed == 4  # C1, C2 twice, C5
    assert q1.completed_on_time == 3
    assert q1.completion.percentile(0.5) == 7.5  # 3 6 9 21
    assert q1.completion.percentile(0.9) == pytest.approx(17.4)  # 9 + 0.7 × 12
    assert q1.rating_count == 1 and q1.rating_average == 4
    assert q1.forwarded == 0  # C3 was forwarded on 2 January: the next quarter

    month = public_performance(organisation=org_a, chosen=Q1_2569, today=TODAY).this_month
    assert month.period == Period(D(2026, 1, 1), D(2026, 1, 31))
    total = month.total
    assert total.received == 5  # C4 C6 C7 C8 C9
    assert (total.completed, total.forwarded, total.rejected, total.cancelled) == (1, 1, 1, 1)
    assert sorted(total.first_response.counts.elements()) == [0, 1, 1, 1]  # C9 C3 C6 C7
    assert (total.open_now, total.overdue_now) == (2, 1)


def test_confidential_types_are_in_totals_but_never_rows(
    org_a: Organisation, history: History
) -> None:
    report = public_performance(organisation=org_a, chosen=FY2569, today=TODAY)
    labels = [row.label for row in report.chosen.types]
    assert "แจ้งการทุจริตของเจ้าหน้าที่/พนักงาน" not in labels
    assert "ร้องเรียน/ร้องทุกข์ หน่วยงานภาครัฐ" not in [r.label for r in report.chosen.categories]
    rows = {row.label: row.figures for row in report.chosen.types}
    assert rows["ไฟฟ้าสาธารณะ"].received == 4  # C2 C6 C8 C9
    assert rows["ไฟฟ้าสาธารณะ"].completed == 4  # C1 C2 C2 C9
    assert rows["การซ่อมถนนสาธารณะและรางระบายน้ำ"].received == 2
    assert rows["ขอถังรองรับขยะ"].cancelled == 1
    categories = {row.label: row.figures for row in report.chosen.categories}
    assert categories["ระบบสาธารณูปโภค"].received == 6
    assert categories["สาธารณสุข"].received == 1
    assert sum(r.figures.received for r in report.chosen.types) == 7  # the total less C5


def test_twelve_months_received_and_completed(org_a: Organisation, history: History) -> None:
    months = public_performance(organisation=org_a, chosen=FY2569, today=TODAY).months
    assert months[0].month == D(2025, 2, 1) and months[-1].month == D(2026, 1, 1)
    figures = {m.month: (m.received, m.completed) for m in months}
    assert figures[D(2025, 9, 1)] == (1, 0)
    assert figures[D(2025, 10, 1)] == (2, 3)
    assert figures[D(2025, 11, 1)] == (0, 1)
    assert figures[D(2025, 12, 1)] == (1, 0)
    assert figures[D(2026, 1, 1)] == (5, 1)


def test_recently_completed_work_leaves_out_confidential_requests(
    org_a: Organisation, history: History
) -> None:
    recent = public_performance(organisation=org_a, chosen=FY2569, today=TODAY).recent
    assert [w.subject for w in recent] == ["ไฟส่องสว่างดับทั้งซอย", "ไฟฟ้าดับหน้าหมู่บ้าน",
                                          "ไฟฟ้าดับหน้าหมู่บ้าน"]  # fmt: skip
    assert recent[0].photo_id is not None and recent[1].photo_id is None


def test_where_a_request_stands_against_its_target(history: History) -> None:
    cases = history.cases
    assert target_standing(case=cases["C7"], today=TODAY).late_days == 2  # type: ignore[union-attr]
    assert target_standing(case=cases["C8"], today=TODAY).late_days == 0  # type: ignore[union-attr]
    c1 = target_standing(case=cases["C1"], today=TODAY)
    assert c1 is not None and c1.finished and c1.late_days == 2
    assert target_standing(case=cases["C4"], today=TODAY) is None  # cancelled


def _rows() -> tuple[set[tuple[object, ...]], ...]:
    def rows(
        model: type[models.Model], exclude: tuple[str, ...] = ("id",)
    ) -> set[tuple[object, ...]]:
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in exclude]
        return {tuple(row) for row in model._default_manager.values_list(*names)}

    return (
        rows(DailyCount), rows(Distribution), rows(MonthlyCount), rows(MonthlyDistribution),
        rows(OpenCount), rows(CaseState, ()),
    )  # fmt: skip


def test_the_rebuild_from_the_event_log_gives_the_same_rollups(
    org_a: Organisation, history: History
) -> None:
    live = _rows()
    assert live[0] and live[1] and live[2]
    call_command("reports_rebuild", verbosity=0)
    assert _rows() == live


def test_a_rebuild_of_one_organisation_leaves_the_others_alone(
    org_a: Organisation, org_b: Organisation, staff_b: Staff, history: History
) -> None:
    reports_data.submit(org_b, "street-light", "2026-01-07")
    live = _rows()
    DailyCount.objects.filter(organisation=org_a).update(received=0)  # damaged
    call_command("reports_rebuild", organisation="wangchao", verbosity=0)
    assert _rows() == live
    assert DailyCount.objects.filter(organisation=org_b).get().received == 1
