"""The staff dashboard (ภาพรวมผลการดำเนินงาน): the figures of the fixed history worked out by hand
(tests/reports_data.py), who sees what, the filters and their refusals, the XLSX downloads,
and a query count that does not grow with the requests."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from onestop.cases.models import Case, Channel
from onestop.cases.services import By, case_assign
from onestop.cases.workflow import Actor, Move
from onestop.catalog.models import Category
from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Organisation
from onestop.reports.dashboard import DashboardQuery, Viewer, dashboard_get
from onestop.reports.models import DailyCount, MonthlyKeyCount
from tests import reports_data
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import request_type
from tests.reports_data import TODAY, History, at, move, submit

URL = "/staff/wangchao/dashboard/"


@pytest.fixture
def history(org_a: Organisation, staff_a: Staff) -> History:
    return reports_data.build(org_a, staff_a.head)


@pytest.fixture(autouse=True)
def on_30_january_2026() -> Any:
    with mock.patch("onestop.backoffice.views.dashboard.today", return_value=TODAY):
        yield


def page(client: Client, params: dict[str, str] | None = None, **extra: Any) -> str:
    response = client.get(URL, params or {}, **extra)
    assert response.status_code == 200
    return response.content.decode()


def value(html: str, label: str) -> str:
    """The value of the summary row `label` (or the first cell after a row header)."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th><td>([^<]*)</td>', html)
    assert match, f"no row {label!r}"
    return match.group(1)


def cells(html: str, label: str) -> list[str]:
    """Every cell of the first row headed `label`."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>((?:<td>[^<]*</td>)+)', html)
    assert match, f"no row {label!r}"
    return re.findall(r"<td>([^<]*)</td>", match.group(1))


# --- Figures, by hand -----------------------------------------------------------------------------


def test_the_executive_sees_this_fiscal_years_figures_as_worked_out_by_hand(
    client: Client, staff_a: Staff, history: History
) -> None:
    html = page(sign_in(client, staff_a.executive))
    # FY 2569 from 1 Oct 2025: C2, C3, C4, C5 (confidential: the executive has the grant), C6,
    # C7, C8, C9 filed; C1 (Sep), C2 twice, C5, C9 completed, all but C1 on time.
    assert value(html, "รับคำร้อง") == "8"
    assert value(html, "ดำเนินการแล้วเสร็จ") == "5"
    assert value(html, "แล้วเสร็จภายในระยะเวลาที่กำหนด") == "80.0%"
    # Completion in working days: 9 (C1), 3 and 6 (C2), 21 (C5), 2 (C9): median 6, and the
    # 90th percentile 3.6 ranks in: 9 + 0.6 × (21 − 9) = 16.2.
    assert value(html, "แล้วเสร็จ: มัธยฐาน (วันทำการ)") == "6"
    assert value(html, "แล้วเสร็จ: 90% ภายใน (วันทำการ)") == "16.2"
    # First responses: C2 0, C3 1, C5 1, C6 1, C7 1, C9 0 (C1's was in September).
    assert value(html, "ตอบกลับครั้งแรก: มัธยฐาน (วันทำการ)") == "1"
    assert value(html, "ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไขหลังแจ้งว่าเสร็จ") == "20.0%"
    assert value(html, "ความพึงพอใจเฉลี่ย (เต็ม 5)") == "4.50"
    assert value(html, "กำลังดำเนินการขณะนี้ (ทั้งหมด)") == "2"  # C7, C8
    assert value(html, "เกินกำหนดขณะนี้ (ทั้งหมด)") == "1"  # C7, due 28 Jan
    assert (value(html, "ส่งต่อหน่วยงานอื่น"), value(html, "ไม่รับเรื่อง")) == ("1", "1")
    assert value(html, "ผู้ยื่นยกเลิก") == "1"


def test_breakdowns_by_channel_and_department_add_up_to_the_hand_count(
    client: Client, staff_a: Staff, history: History
) -> None:
    html = page(sign_in(client, staff_a.executive))
    # Received, completed, still open, overdue, on-time share.
    assert cells(html, "ออนไลน์")[:5] == ["5", "3", "1", "1", "66.7%"]  # C3 C5 C6 C7 C9 / C1 C5 C9
    assert cells(html, "ยื่นที่ศูนย์บริการ")[:5] == ["2", "2", "1", "0", "100.0%"]  # C2 C8 / C2×2
    assert cells(html, "โทรศัพท์")[:2] == ["1", "0"]  # C4, cancelled
    # Departments in charge when it happened: C9 was filed with engineering and completed by
    # health; the confidential complaint C5 went to the clerk's office.
    assert cells(html, "กองช่าง")[:5] == ["6", "3", "2", "1", "66.7%"]
    assert cells(html, "กองสาธารณสุขและสิ่งแวดล้อม")[:2] == ["1", "1"]
    assert cells(html, "สำนักปลัด")[:2] == ["1", "1"]


def test_the_weekly_backlog_is_derived_from_the_day_counts(
    client: Client, staff_a: Staff, history: History
) -> None:
    html = page(sign_in(client, staff_a.executive))
    # Weeks end on Fridays up to today (30 Jan). Week to 2 Jan: C3 filed and forwarded: 0 open.
    # To 9 Jan: C4 C6 C7 C9 filed, C4 cancelled, C6 not accepted: C7 and C9 open. To 16 Jan:
    # C9 completed. To 30 Jan: C8 filed.
    assert cells(html, "2 ม.ค. 2569") == ["1", "0", "0"]
    assert cells(html, "9 ม.ค. 2569") == ["4", "0", "2"]
    assert cells(html, "16 ม.ค. 2569") == ["0", "1", "1"]
    assert cells(html, "30 ม.ค. 2569") == ["1", "0", "2"]


def months(html: str) -> dict[str, tuple[str, str]]:
    """The 12 months' chart as its table says it: month -> (received, completed)."""
    chart = html.split('id="table-months"')[1].split("</table>", maxsplit=1)[0]
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', chart)
    return {label: tuple(re.findall(r"</svg> ([^<]*)</td>", rest)) for label, rest in rows}


def test_the_twelve_months_chart_has_the_hand_counted_figures_in_its_table(
    client: Client, staff_a: Staff, history: History
) -> None:
    html = page(sign_in(client, staff_a.executive))
    chart = months(html)
    # February 2025 to January 2026, whatever the period chosen. Filed: C1 in September, C2
    # and C5 in October, C3 in December, C4 C6 C7 C8 C9 in January. Completed: C1 (9 Oct) and
    # C2 twice in October, C5 (3 Nov) in November, C9 in January.
    labels = list(chart)
    assert (labels[0], labels[-1]) == ("ก.พ. 2568", "ม.ค. 2569")
    assert len(chart) == 12
    assert chart["ส.ค. 2568"] == ("0", "0")
    assert chart["ก.ย. 2568"] == ("1", "0")
    assert chart["ต.ค. 2568"] == ("2", "3")
    assert chart["พ.ย. 2568"] == ("0", "1")
    assert chart["ธ.ค. 2568"] == ("1", "0")
    assert chart["ม.ค. 2569"] == ("5", "1")
    # The bars are drawn in the table (no script): the longest is January's 5 received, and
    # October's 3 completed is 60 % of it.
    section = html.split('id="table-months"')[1].split("</section>")[0]
    assert re.search(r'ม\.ค\. 2569</th><td class="bar-cell"><svg class="bar"[^>]*aria-hidden="true"'
                     r'[^>]*><rect class="series-1" width="100" height="1"/></svg> 5</td>',
                     section)  # fmt: skip
    assert re.search(r'ต\.ค\. 2568</th>.*?<rect class="series-2" width="60" ', section)
    assert "<script" not in section and "no-print" not in section.split("</table>")[0]
    # The same months under the period of another year, and what the public page shows.
    assert months(page(client, {"period": "year", "year": "2568"})) == chart


def test_the_twelve_months_follow_the_channel_and_the_confidential_grant(
    client: Client, org_a: Organisation, staff_a: Staff, history: History
) -> None:
    # Online only: C1 (Sep); C5 (Oct, completed Nov), C1 completed in Oct; C3 (Dec); C6 C7 C9
    # (Jan), C9 completed.
    chart = months(page(sign_in(client, staff_a.executive), {"channel": Channel.WEB}))
    shown = ("ก.ย. 2568", "ต.ค. 2568", "พ.ย. 2568", "ธ.ค. 2568", "ม.ค. 2569")
    assert [chart[m] for m in shown] == [("1", "0"), ("1", "1"), ("0", "1"), ("1", "0"), ("3", "1")]
    # Without the grant, the confidential C5 is in no month: October has C2 only, November
    # no completion.
    chart = months(page(sign_in(client, staff_a.admin)))
    assert (chart["ต.ค. 2568"], chart["พ.ย. 2568"]) == (("1", "3"), ("0", "0"))


def test_it_says_how_fresh_the_figures_are(
    client: Client, staff_a: Staff, history: History
) -> None:
    # The rollups change in the transaction of each change of a request: the last change they
    # hold is the organisation's latest (C8, filed on 30 January), for a head too.
    for user in (staff_a.executive, staff_a.head):
        html = page(sign_in(client, user))
        assert "ข้อมูล ณ" in html and "เปลี่ยนแปลงล่าสุดเมื่อ 30 มกราคม 2569" in html


def test_the_twelve_months_print_with_their_bars(client: Client, staff_a: Staff) -> None:
    css = (Path(settings.BASE_DIR) / "static/css/dashboard-print.css").read_text()
    assert ".bar" in css and "print-color-adjust: exact" in css


def test_periods_quarter_month_and_chosen_days(
    client: Client, staff_a: Staff, history: History
) -> None:
    sign_in(client, staff_a.executive)
    # Quarter 1 of FY 2569 (Oct to Dec 2025): C2, C3, C5 filed; C1, C2 twice, C5 completed.
    html = page(client, {"period": "quarter", "year": "2569", "quarter": "1"})
    assert (value(html, "รับคำร้อง"), value(html, "ดำเนินการแล้วเสร็จ")) == ("3", "4")
    assert value(html, "แล้วเสร็จภายในระยะเวลาที่กำหนด") == "75.0%"
    # January 2026: C4, C6, C7, C8, C9 filed; C9 completed.
    html = page(client, {"period": "month", "month": "2026-01"})
    assert (value(html, "รับคำร้อง"), value(html, "ดำเนินการแล้วเสร็จ")) == ("5", "1")
    # 5 to 7 January: C4, C6, C7.
    html = page(client, {"period": "custom", "start": "2026-01-05", "end": "2026-01-07"})
    assert value(html, "รับคำร้อง") == "3"
    # The previous fiscal year (2568): only C1, filed on 26 September 2025.
    html = page(client, {"period": "year", "year": "2568"})
    assert (value(html, "รับคำร้อง"), value(html, "ดำเนินการแล้วเสร็จ")) == ("1", "0")


def test_filters_by_channel_department_category_and_type(
    client: Client, org_a: Organisation, staff_a: Staff, history: History
) -> None:
    sign_in(client, staff_a.executive)
    html = page(client, {"channel": Channel.COUNTER})
    assert (value(html, "รับคำร้อง"), value(html, "ดำเนินการแล้วเสร็จ")) == ("2", "2")
    health = org_a.departments.get(key="health")
    html = page(client, {"department": str(health.pk)})
    assert (value(html, "รับคำร้อง"), value(html, "ดำเนินการแล้วเสร็จ")) == ("1", "1")
    street_light = request_type(org_a, "street-light")
    html = page(client, {"request_type": str(street_light.pk)})
    # C2, C6, C8, C9 filed in FY 2569; C1, C2 twice, C9 completed.
    assert (value(html, "รับคำร้อง"), value(html, "ดำเนินการแล้วเสร็จ")) == ("4", "4")
    html = page(client, {"category": str(street_light.category_id)})
    assert value(html, "รับคำร้อง") == "6"  # street lights and roads share "utilities"


# --- Who sees what --------------------------------------------------------------------------------


def test_a_head_sees_only_their_department_and_no_confidential_type(
    client: Client, org_a: Organisation, staff_a: Staff, history: History
) -> None:
    html = page(sign_in(client, staff_a.head))
    assert value(html, "รับคำร้อง") == "6"  # engineering's: C2 C3 C6 C7 C8 C9
    assert "สำนักปลัด" not in html
    assert "แจ้งการทุจริต" not in html
    # Asking for another department is refused, not obeyed.
    health = org_a.departments.get(key="health")
    html = page(client, {"department": str(health.pk)})
    assert "error-summary" in html
    assert value(html, "รับคำร้อง") == "6"


def test_confidential_types_count_only_for_members_with_the_grant(
    client: Client, org_a: Organisation, staff_a: Staff, history: History
) -> None:
    late = submit(org_a, "corruption", "2026-01-05", subject=reports_data.CONFIDENTIAL_SUBJECT)
    Case.objects.filter(pk=late.pk).update(due_date=TODAY.replace(day=20))  # overdue now
    html = page(sign_in(client, staff_a.admin))  # an administrator without the grant
    assert value(html, "รับคำร้อง") == "7"
    assert value(html, "ดำเนินการแล้วเสร็จ") == "4"
    assert late.display_number not in html
    assert "แจ้งการทุจริต" not in html
    assert reports_data.CONFIDENTIAL_SUBJECT not in html
    corruption = request_type(org_a, "corruption")
    html = page(client, {"request_type": str(corruption.pk)})
    assert "error-summary" in html
    assert value(html, "รับคำร้อง") == "7"
    html = page(sign_in(client, staff_a.executive))
    assert value(html, "รับคำร้อง") == "9"  # with C5 and the late complaint
    assert "แจ้งการทุจริตของเจ้าหน้าที่/พนักงาน" in html
    assert late.display_number in html  # in the overdue list, for the executive only


@pytest.mark.parametrize("role", ["officer", "counter"])
def test_officers_and_the_counter_are_refused(
    client: Client, staff_a: Staff, role: str, history: History
) -> None:
    sign_in(client, getattr(staff_a, role))
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"xlsx": "all"}).status_code == 404
    inbox = client.get("/staff/wangchao/").content.decode()
    assert URL not in inbox


def test_staff_of_another_organisation_get_404(
    client: Client, staff_b: Staff, history: History
) -> None:
    sign_in(client, staff_b.executive)
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"xlsx": "summary"}).status_code == 404
    assert client.get("/staff/other/dashboard/").status_code == 200


def test_the_navigation_links_to_it_for_executives_heads_and_administrators(
    client: Client, staff_a: Staff
) -> None:
    for user in (staff_a.executive, staff_a.head, staff_a.admin):
        assert URL in sign_in(client, user).get("/staff/wangchao/").content.decode()


def test_it_prints_on_a4_without_navigation_or_forms(
    client: Client, staff_a: Staff, history: History
) -> None:
    html = page(sign_in(client, staff_a.executive))
    assert 'href="/static/css/dashboard-print.css" media="print"' in html
    css = (Path(settings.BASE_DIR) / "static/css/dashboard-print.css").read_text()
    assert "size: A4" in css
    assert ".staff-nav" in css and "form" in css


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"


# --- Filters: wrong, hostile, oversized input -----------------------------------------------------


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"period": "custom", "start": "2026-01-05"},
         ("เลือกทั้งวันเริ่มต้นและวันสิ้นสุด", "Choose both the first and the last day")),
        ({"period": "custom", "start": "2026-01-07", "end": "2026-01-05"},
         ("วันเริ่มต้นต้องไม่อยู่หลังวันสิ้นสุด", "The first day must not be after the last day")),
        ({"period": "custom", "start": "2020-01-01", "end": "2026-01-05"},
         ("ยาวได้ไม่เกิน 3 ปี", "at most 3 years")),
        ({"period": "custom", "start": "2026-02-31", "end": "2026-03-01"}, ("วันที่", "date")),
        ({"year": "1999"}, ("เลือก", "Select a valid choice")),
        ({"period": "decade"}, ("เลือก", "Select a valid choice")),
        ({"channel": "<script>alert(1)</script>"}, ("เลือก", "Select a valid choice")),
        ({"department": "99999999"}, ("เลือก", "Select a valid choice")),
        ({"department": "1 OR 1=1"}, ("เลือก", "Select a valid choice")),
        ({"start": "9" * 5000, "period": "custom", "end": "2026-01-01"}, ("วันที่", "date")),
    ],
)  # fmt: skip
def test_invalid_filters_are_explained_in_thai_and_english_and_this_year_is_shown(
    client: Client, staff_a: Staff, history: History, params: dict[str, str], words: tuple[str, str]
) -> None:
    thai, english = words
    sign_in(client, staff_a.executive)
    html = page(client, params)
    assert "error-summary" in html
    assert thai in html
    assert "<script>alert(1)" not in html
    assert value(html, "รับคำร้อง") == "8"  # the default period instead
    assert english in page(client, params, HTTP_ACCEPT_LANGUAGE="en")


def test_a_department_of_another_organisation_is_not_a_choice(
    client: Client, org_b: Organisation, staff_a: Staff, history: History
) -> None:
    other = org_b.departments.get(key="health")
    other_category = Category.objects.filter(organisation=org_b).first()
    assert other_category is not None
    sign_in(client, staff_a.executive)
    for params in ({"department": str(other.pk)}, {"category": str(other_category.pk)}):
        html = page(client, params)
        assert "error-summary" in html
        assert value(html, "รับคำร้อง") == "8"


def test_repeating_a_filter_takes_one_value_and_stays_valid(
    client: Client, staff_a: Staff, history: History
) -> None:
    sign_in(client, staff_a.executive)
    html = page(client, {"channel": ["phone", "counter"]})  # type: ignore[dict-item]
    assert "error-summary" not in html
    assert value(html, "รับคำร้อง") == "2"  # the last one wins, as in every Django form


# --- By officer, and the overdue list -------------------------------------------------------------


def test_by_officer_workload_overdue_and_on_time(
    client: Client, org_a: Organisation, staff_a: Staff, history: History
) -> None:
    engineering = org_a.departments.get(key="engineering")
    c7 = history.cases["C7"]
    case_assign(case=c7, department=engineering, assignee=staff_a.officer,
                by=By(Actor.STAFF, staff_a.head, at=at("2026-01-20")))  # fmt: skip
    extra = submit(org_a, "street-light", "2026-01-19")
    move(extra, Move.RECEIVE, "2026-01-19", staff_a.head)
    case_assign(case=extra, department=engineering, assignee=staff_a.officer,
                by=By(Actor.STAFF, staff_a.head, at=at("2026-01-19", 15)))  # fmt: skip
    move(extra, Move.COMPLETE, "2026-01-21", staff_a.head, "ซ่อมแล้ว")
    html = page(sign_in(client, staff_a.executive))
    name = staff_a.officer.get_full_name() or staff_a.officer.get_username()
    # Open now: C7 (overdue); completed in the year: the extra request, on time.
    assert cells(html, name) == ["1", "1", "1", "100.0%"]


def test_the_overdue_list_links_to_the_request(
    client: Client, staff_a: Staff, history: History
) -> None:
    html = page(sign_in(client, staff_a.executive))
    c7 = history.cases["C7"]
    assert f'<a href="/staff/wangchao/cases/{c7.number}/">{c7.display_number}</a>' in html
    c8 = history.cases["C8"]
    assert c8.display_number not in html  # open, but not yet late


# --- XLSX -----------------------------------------------------------------------------------------


def test_every_table_downloads_as_xlsx_holding_the_figures(
    client: Client, staff_a: Staff, history: History
) -> None:
    sign_in(client, staff_a.executive)
    response = client.get(URL, {"xlsx": "all"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "summary", "weeks", "months", "departments", "officers", "channels", "categories",
        "types", "overdue",
    ]  # fmt: skip
    sheet = workbook["months"].iter_rows(min_row=4, max_row=15, values_only=True)
    by_month = {row[0].strftime("%Y-%m"): row[1:3] for row in sheet}  # type: ignore[union-attr]
    assert (by_month["2025-10"], by_month["2026-01"]) == ((2, 3), (5, 1))
    assert workbook["months"]["A4"].number_format == "yyyy-mm"
    summary = {row[0]: row[1] for row in workbook["summary"].iter_rows(min_row=4, values_only=True)}
    assert summary["รับคำร้อง"] == 8
    assert summary["แล้วเสร็จภายในระยะเวลาที่กำหนด"] == pytest.approx(0.8)
    assert summary["แล้วเสร็จ: 90% ภายใน (วันทำการ)"] == pytest.approx(16.2)
    rows = workbook["channels"].iter_rows(min_row=4, values_only=True)
    channels = {row[0]: row[1:3] for row in rows}
    assert channels["ออนไลน์"] == (5, 3)
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="dashboard").exists()


def test_one_table_downloads_alone_and_text_never_becomes_a_formula(
    client: Client, org_a: Organisation, staff_a: Staff, history: History
) -> None:
    Case.objects.filter(pk=history.cases["C7"].pk).update(subject='=HYPERLINK("http://x")')
    sign_in(client, staff_a.executive)
    response = client.get(URL, {"xlsx": "overdue", "channel": "web"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["overdue"]
    subjects = [row[1] for row in workbook["overdue"].iter_rows(min_row=4, values_only=True)]
    assert subjects == ['\'=HYPERLINK("http://x")']
    assert client.get(URL, {"xlsx": "nonsense"}).status_code == 404


# --- Speed ----------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_requests(
    client: Client, org_a: Organisation, staff_a: Staff, history: History
) -> None:
    sign_in(client, staff_a.executive)
    page(client)  # sessions, caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client, {"channel": ""})
        return len(captured)

    before = queries()
    for day in ("2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"):
        for kind in ("street-light", "road-drain", "garbage-bin"):
            submit(org_a, kind, day)
    assert queries() == before
    assert before <= 20


def test_the_demo_executive_sees_the_dashboard(client: Client, no_personas: None) -> None:
    call_command("load_demo", "--requests", "20", stdout=io.StringIO())
    executive = User.objects.get(username="wangchao-executive")
    html = sign_in(client, executive).get("/staff/wangchao/").content.decode()
    assert URL in html
    response = client.get(URL)
    assert response.status_code == 200
    assert "ภาพรวมผลการดำเนินงาน" in response.content.decode()


def test_whole_months_read_the_month_rows_and_agree_with_the_day_rows(
    org_a: Organisation, staff_a: Staff, history: History
) -> None:
    viewer = Viewer(None, sees_confidential=True)
    year = DashboardQuery(dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    # The same year less its last day is no whole number of months: the day rows.
    days = DashboardQuery(dt.date(2025, 10, 1), dt.date(2026, 9, 29))
    by_month = dashboard_get(organisation=org_a, viewer=viewer, today=TODAY, query=year)
    by_day = dashboard_get(organisation=org_a, viewer=viewer, today=TODAY, query=days)
    assert by_month.total == by_day.total
    for part in ("types", "categories", "departments", "channels"):
        assert getattr(by_month, part) == getattr(by_day, part)
    assert (
        MonthlyKeyCount.objects.filter(organisation=org_a).count()
        < DailyCount.objects.filter(organisation=org_a).count()
    )
