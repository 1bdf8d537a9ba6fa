"""The inbox stays fast as an organisation grows: tab counts stop at a cap, pages after the first
are one index range (a row comparison), and on PostgreSQL no query of the inbox reads the whole
requests table (EXPLAIN on a seeded table)."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from onestop.backoffice import selectors
from onestop.backoffice.selectors import InboxQuery, case_list_for_staff
from onestop.backoffice.views.inbox import _count_shown
from onestop.cases.models import Case, Channel
from onestop.cases.workflow import Status
from onestop.core.forms import QuickSelect
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case


def test_a_tab_count_beyond_the_cap_is_shown_as_more_than_the_cap(
    org_a: Organisation, staff_a: Staff, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for _ in range(5):
        make_case(org_a)
    page = case_list_for_staff(user=staff_a.admin, organisation=org_a, query=InboxQuery())
    assert page.counts["all"] == 4  # stopped after the cap
    assert page.counts["closed"] == 0
    assert len(page.cases) == 5  # the list itself is not capped
    response = sign_in(client, staff_a.admin).get(f"/staff/{org_a.slug}/?tab=all")
    shown = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert shown["all"] == "มากกว่า 3"
    assert shown["closed"] == "0"
    with translation.override("en"):
        assert _count_shown(4) == "more than 3"


def test_counts_are_exact_below_the_cap_and_follow_the_filters(
    org_a: Organisation, staff_a: Staff
) -> None:
    make_case(org_a, subject="ไฟฟ้าดับหน้าวัด")
    make_case(org_a, subject="ถนนชำรุด")
    page = case_list_for_staff(user=staff_a.admin, organisation=org_a, query=InboxQuery(q="ไฟฟ้าดับ"))
    assert page.counts["all"] == 1
    assert [c.subject for c in page.cases] == ["ไฟฟ้าดับหน้าวัด"]


def test_the_next_page_is_a_row_comparison_and_misses_nothing(
    org_a: Organisation, staff_a: Staff
) -> None:
    made = [make_case(org_a) for _ in range(7)]
    # Same second for several: the id breaks the tie.
    Case.objects.filter(pk__in=[c.pk for c in made[:4]]).update(submitted_at=made[0].submitted_at)
    seen: list[int] = []
    after = ""
    with CaptureQueriesContext(connection) as queries:
        while True:
            page = case_list_for_staff(
                user=staff_a.admin, organisation=org_a, query=InboxQuery(after=after),
                page_size=2,
            )  # fmt: skip
            seen += [c.pk for c in page.cases]
            after = page.next_cursor
            if not after:
                break
    assert sorted(seen) == sorted(c.pk for c in made)
    assert len(seen) == len(set(seen))
    pages = [q["sql"] for q in queries.captured_queries if "LIMIT 3" in q["sql"]]
    assert any('("cases_case"."submitted_at", "cases_case"."id") <' in sql for sql in pages)


def test_the_other_organisations_requests_are_never_counted(
    org_a: Organisation, org_b: Organisation, staff_a: Staff
) -> None:
    make_case(org_b)
    page = case_list_for_staff(user=staff_a.admin, organisation=org_a, query=InboxQuery())
    assert page.counts["all"] == 0
    assert list(page.cases) == []


def _seed(organisation: Organisation, copies: int, first: int = 1) -> None:
    """`copies` copies of one request (statuses and dates varied) by one INSERT."""
    template = make_case(organisation)
    columns = [
        str(f.column) for f in Case._meta.concrete_fields
        if f.column not in {"id", "number", "status", "submitted_at", "submission_key"}
    ]  # fmt: skip
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO cases_case ({listed}, number, status, submitted_at)"  # noqa: S608
            f" SELECT {listed}, lpad(g::text, 13, '0'),"
            " (ARRAY['submitted','received','in_progress','completed','completed','completed',"
            "'rejected','waiting_citizen'])[g %% 8 + 1], submitted_at - g * interval '7 minutes'"
            " FROM cases_case, generate_series(%s, %s) g WHERE id = %s",
            [first, first + copies - 1, template.pk],
        )
        cursor.execute("ANALYZE cases_case")


def _plans(queries: list[dict[str, str]]) -> list[str]:
    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            if "cases_case" not in query["sql"] or not query["sql"].startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "query",
    [
        InboxQuery(tab="all"),
        InboxQuery(tab="new"),
        InboxQuery(tab="closed"),
        InboxQuery(tab="all", sort="submitted"),
        InboxQuery(tab="all", q="ไฟฟ้า"),
    ],
    ids=["all", "new", "closed", "oldest-first", "common-word-search"],
)
def test_on_postgresql_the_inbox_reads_the_requests_through_an_index(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, query: InboxQuery
) -> None:
    # One organisation among others (a tenth of the table), as on the platform.
    _seed(org_a, 5_000)
    _seed(org_b, 45_000, first=10_000)
    first = case_list_for_staff(user=staff_a.admin, organisation=org_a, query=query)
    assert first.counts["all"] == selectors.COUNT_CAP + 1
    deep = InboxQuery(tab=query.tab, sort=query.sort, q=query.q, after=first.next_cursor)
    with CaptureQueriesContext(connection) as captured:
        case_list_for_staff(user=staff_a.admin, organisation=org_a, query=query)
        case_list_for_staff(user=staff_a.admin, organisation=org_a, query=deep)
    plans = _plans(captured.captured_queries)
    assert len(plans) >= 4  # counts and a page, twice
    for plan in plans:
        assert "Seq Scan on cases_case" not in plan, plan


def test_the_filters_quick_select_writes_djangos_html() -> None:
    choices = [
        ("", "ทั้งหมด"),
        (1, "ไฟฟ้า & ประปา <ด่วน>"),
        ("กลุ่ม", [("a", "ก"), ("b", 'ข "ค"')]),
        (2, "ถนน"),
    ]
    attrs = {"id": "id_x", "data-x": 'a"b', "disabled": False, "autofocus": True}
    for value in ("", 1, "1", "b", None, ["1", "b"]):
        quick = QuickSelect(attrs=attrs, choices=choices).render("x", value)
        plain = forms.Select(attrs=attrs, choices=choices).render("x", value)
        assert quick == plain


def test_the_labels_of_a_request_are_djangos() -> None:
    for status, channel, priority in zip(
        Status.values, [*Channel.values, "?"] * 3, [1, 2, 3, 4, 9] * 2, strict=False
    ):
        case = Case(status=status, channel=channel, priority=priority)
        for name in ("status", "channel", "priority"):
            field = Case._meta.get_field(name)
            djangos = case._get_FIELD_display(field)  # type: ignore[attr-defined]  # Django's own
            assert getattr(case, f"get_{name}_display")() == str(djangos)
