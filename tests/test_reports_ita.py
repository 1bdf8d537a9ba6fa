"""The ITA reports (รายงานผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์ and the corruption complaints
report): figures worked out by hand from `tests/reports_data.py`, the PDF read back with
`pdftotext`, the XLSX opened with openpyxl, periods in B.E. across the fiscal-year boundary,
stored files served while fresh, and nothing personal in either file."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from onestop.cases.services import By, case_move
from onestop.cases.workflow import Actor, Move
from onestop.catalog.models import RequestType
from onestop.organisations.models import Organisation
from onestop.reports import publications
from onestop.reports.ita import ItaPeriod, ita_period, ita_report, kind_includes, periods_offered
from onestop.reports.models import PublishedReport
from tests import reports_data
from tests.conftest import Staff
from tests.documents_helpers import comparable, pdf_text
from tests.reports_data import CONFIDENTIAL_SUBJECT, HOUSE_NO, NAMES, PHONE, TODAY, History

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def history(org_a: Organisation, staff_a: Staff) -> History:
    return reports_data.build(org_a, staff_a.head)


@pytest.fixture(autouse=True)
def on_30_january_2026() -> Any:
    with mock.patch("onestop.reports.views.today", return_value=TODAY):
        yield


def url(fmt: str, kind: str, year: int, quarter: int = 0, slug: str = "wangchao") -> str:
    kwargs: dict[str, Any] = {"slug": slug, "kind": kind, "year": year}
    if quarter:
        kwargs["quarter"] = quarter
    return reverse(f"reports:ita_{fmt}", kwargs=kwargs)


def download(client: Client, *args: Any, **kwargs: Any) -> bytes:
    response = client.get(url(*args, **kwargs))
    assert response.status_code == 200, response.content[:300]
    return response.content


def sheet_rows(data: bytes, sheet: int) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


def by_label(rows: list[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    return {str(row[0]): row[1:] for row in rows[6:] if row and row[0]}


# Columns: received, completed, on time, in progress, forwarded, rejected, cancelled, average.


# --- Which types, which periods --------------------------------------------------------------


def test_the_corruption_report_counts_the_confidential_types_and_the_other_report_the_rest(
    org_a: Organisation,
) -> None:
    types = RequestType.objects.filter(organisation=org_a)
    corruption = {t.key for t in types if kind_includes("corruption", t)}
    complaints = {t.key for t in types if kind_includes("complaints", t)}
    assert corruption == {"corruption", "official-complaint", "tip-off"}
    assert "street-light" in complaints and not complaints & corruption
    assert len(complaints) + len(corruption) == types.count()


def test_fiscal_quarters_run_from_october_in_buddhist_years() -> None:
    q1 = ItaPeriod(2569, 1).period
    assert (q1.start, q1.end) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    q2 = ItaPeriod(2569, 2).period
    assert (q2.start, q2.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    q4 = ItaPeriod(2569, 4).period
    assert (q4.start, q4.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    year = ItaPeriod(2569, 0).period
    assert (year.start, year.end) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    assert [p.key for p in periods_offered(TODAY)] == [
        "2569-q2", "2569-q1", "2568-q4", "2568-q3", "2569", "2568",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="invalid"):
        ita_period(year=2569, quarter=5, today=TODAY)
    with pytest.raises(ValueError, match="not yet"):
        ita_period(year=2569, quarter=3, today=TODAY)


# --- Figures ---------------------------------------------------------------------------------


def test_the_first_quarter_counts_what_happened_in_it_across_the_fiscal_year_boundary(
    org_a: Organisation, history: History
) -> None:
    report = ita_report(organisation=org_a, kind="complaints", period=ItaPeriod(2569, 1),
                        today=TODAY)  # fmt: skip
    total = report.total
    # Received C2 (counter) and C3 (web); completed C1 (filed in FY 2568, 9 days, late) and C2
    # twice (3 and 6 days, on time); C3 forwarded in January (Q2): nothing open from Q1.
    assert (total.received, total.completed, total.completed_on_time) == (2, 3, 2)
    assert (total.in_progress, total.forwarded, total.rejected, total.cancelled) == (0, 0, 0, 0)
    assert total.average_days == 6.0  # (9 + 3 + 6) / 3
    channels = {line.label: line for line in report.by_channel}
    assert (channels["ออนไลน์"].received, channels["ออนไลน์"].completed) == (1, 1)
    assert channels["ออนไลน์"].average_days == 9.0
    assert (channels["ยื่นที่ศูนย์บริการ"].completed, channels["ยื่นที่ศูนย์บริการ"].average_days) == (
        2, 4.5,
    )  # fmt: skip
    assert channels["โทรศัพท์"].received == 0
    groups = {line.label: line.received for line in report.by_group}
    assert groups["ระบบสาธารณูปโภค"] == 2
    assert "ร้องเรียน/ร้องทุกข์ หน่วยงานภาครัฐ" not in groups  # only confidential types in it
    months = [(line.label, line.received, line.completed) for line in report.by_month]
    assert months == [("ตุลาคม 2568", 1, 3), ("พฤศจิกายน 2568", 0, 0), ("ธันวาคม 2568", 1, 0)]


def test_the_second_quarter_so_far_and_the_fiscal_year(
    org_a: Organisation, history: History
) -> None:
    q2 = ita_report(organisation=org_a, kind="complaints", period=ItaPeriod(2569, 2), today=TODAY)
    t = q2.total
    # C4 C6 C7 C8 C9 received; C9 completed (2 days); C3 forwarded, C6 rejected, C4 cancelled;
    # C7 (waiting for the citizen) and C8 (not received yet) still open.
    assert (t.received, t.completed, t.completed_on_time, t.in_progress) == (5, 1, 1, 2)
    assert (t.forwarded, t.rejected, t.cancelled, t.average_days) == (1, 1, 1, 2.0)
    year = ita_report(organisation=org_a, kind="complaints", period=ItaPeriod(2569, 0),
                      today=TODAY)  # fmt: skip
    y = year.total
    assert (y.received, y.completed, y.completed_on_time, y.in_progress) == (7, 4, 3, 2)
    assert y.average_days == 5.0  # (9 + 3 + 6 + 2) / 4
    assert len(year.by_month) == 12


def test_the_corruption_report_counts_only_the_corruption_complaint(
    org_a: Organisation, history: History
) -> None:
    report = ita_report(organisation=org_a, kind="corruption", period=ItaPeriod(2569, 1),
                        today=TODAY)  # fmt: skip
    t = report.total
    assert (t.received, t.completed, t.completed_on_time, t.average_days) == (1, 1, 1, 21.0)
    types = {line.label: line.received for line in report.by_group}
    assert types == {
        "แจ้งการทุจริตของเจ้าหน้าที่/พนักงาน": 1, "ร้องเรียนเจ้าหน้าที่ของรัฐ": 0,
        "แจ้งเบาะแสการกระทำผิด": 0,
    }  # fmt: skip


# --- The files -------------------------------------------------------------------------------


def test_the_pdf_says_in_thai_what_the_report_is_for_whom_and_when(
    client: Client, history: History
) -> None:
    response = client.get(url("pdf", "complaints", 2569, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ita-complaints-wangchao-2569-q1.pdf"' in response["Content-Disposition"]
    text = comparable(pdf_text(response.content))
    for expected in (
        "รายงานผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์",
        "เทศบาลตำบลวังเจ้า",
        "ไตรมาสที่1ปีงบประมาณพ.ศ.2569",
        "1ตุลาคม2568–31ธันวาคม2568",
        "ข้อมูลณวันที่30มกราคม2569",
        "จำแนกตามช่องทางการรับเรื่อง",
        "ตารางสรุปรายเดือน",
        # The total row: received, completed, on time, in progress, forwarded, not accepted,
        # cancelled, average working days.
        "รวมทั้งสิ้น23200006.00",
        "ออนไลน์11000009.00",
        "ยื่นที่ศูนย์บริการ12200004.50",
    ):
        assert comparable(expected) in text, expected


def test_the_report_is_in_thai_whoever_asks_first(client: Client, history: History) -> None:
    response = client.get(url("pdf", "complaints", 2569, 1), HTTP_ACCEPT_LANGUAGE="en")
    text = comparable(pdf_text(response.content))
    assert comparable("รวมทั้งสิ้น23200006.00") in text
    assert comparable("ระบบสาธารณูปโภค") in text and "Total" not in text
    english = client.get(url("xlsx", "complaints", 2569, 1), HTTP_ACCEPT_LANGUAGE="en")
    assert "ออนไลน์" in by_label(sheet_rows(english.content, 1))
    assert "ออนไลน์" in by_label(sheet_rows(download(client, "xlsx", "complaints", 2569, 1), 1))


def test_the_corruption_pdf_has_its_own_title_and_no_subject(
    client: Client, history: History
) -> None:
    text = comparable(pdf_text(download(client, "pdf", "corruption", 2569)))
    assert comparable("รายงานผลการดำเนินการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ") in text
    assert comparable("ปีงบประมาณ พ.ศ. 2569") in text
    assert comparable("แจ้งการทุจริตของเจ้าหน้าที่/พนักงาน1110000") in text
    assert comparable(CONFIDENTIAL_SUBJECT) not in text
    assert comparable("ไฟฟ้าสาธารณะ") not in text  # the other report's types


def test_the_xlsx_holds_the_same_figures_as_numbers(client: Client, history: History) -> None:
    response = client.get(url("xlsx", "complaints", 2569))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    data = response.content
    summary = sheet_rows(data, 0)
    assert summary[0][0] == "รายงานผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์"
    assert summary[1][0] == "เทศบาลตำบลวังเจ้า"
    assert summary[2][0].startswith("ปีงบประมาณ พ.ศ. 2569")
    assert by_label(summary)["รวมทั้งสิ้น"] == (7, 4, 3, 2, 1, 1, 1, 5.0)
    channels = by_label(sheet_rows(data, 1))
    assert channels["ออนไลน์"][:6] == (4, 2, 1, 1, 1, 1)  # C3 C6 C7 C9; C1 C9; C3; C6
    assert channels["ยื่นที่ศูนย์บริการ"][:4] == (2, 2, 2, 1)  # C2 C8
    assert channels["โทรศัพท์"][6] == 1  # C4 cancelled
    months = by_label(sheet_rows(data, 3))
    assert months["ตุลาคม 2568"][:2] == (1, 3)
    assert months["มกราคม 2569"][:2] == (5, 1)
    assert months["กันยายน 2569"][:2] == (0, 0)


def test_the_previous_fiscal_year_holds_only_what_happened_before_october(
    client: Client, history: History
) -> None:
    rows = by_label(sheet_rows(download(client, "xlsx", "complaints", 2568, quarter=4), 0))
    assert rows["รวมทั้งสิ้น"][:4] == (1, 0, 0, 0)  # C1 filed on 26 September, completed later


def test_nothing_personal_is_in_either_file(client: Client, history: History) -> None:
    ids = history.national_ids
    for kind in ("complaints", "corruption"):
        pdf = comparable(pdf_text(download(client, "pdf", kind, 2569)))
        book = load_workbook(io.BytesIO(download(client, "xlsx", kind, 2569)), read_only=True)
        cells = " ".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
            for v in row if v is not None
        )  # fmt: skip
        for secret in (*NAMES, PHONE, HOUSE_NO, CONFIDENTIAL_SUBJECT, *ids,
                       *(c.subject for c in history.cases.values())):  # fmt: skip
            assert comparable(secret) not in pdf, (kind, secret)
            assert secret not in cells, (kind, secret)


# --- Wrong input, other organisations ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "thai"),
    [
        ("/wangchao/performance/ita/complaints/2569/q5.pdf", 400, "ช่วงเวลาไม่ถูกต้อง"),
        ("/wangchao/performance/ita/complaints/2569/q0.pdf", 400, "ช่วงเวลาไม่ถูกต้อง"),
        ("/wangchao/performance/ita/complaints/1999.pdf", 400, "ช่วงเวลาไม่ถูกต้อง"),
        ("/wangchao/performance/ita/complaints/99999999999999999999.xlsx", 400, "ช่วงเวลาไม่ถูกต้อง"),
        ("/wangchao/performance/ita/complaints/2569/q3.pdf", 404, "ยังไม่มีข้อมูลของช่วงเวลานี้"),
        ("/wangchao/performance/ita/complaints/2570.xlsx", 404, "ยังไม่มีข้อมูลของช่วงเวลานี้"),
        ("/wangchao/performance/ita/bribes/2569.pdf", 404, "ไม่พบรายงานนี้"),
        ("/wangchao/performance/ita/complaints/2569.docx", 404, "ไม่พบหน้าที่ต้องการ"),
        ("/wangchao/performance/ita/complaints/2569/q1.pdf?x=<script>", 200, ""),
    ],
)
def test_a_period_that_does_not_exist_or_has_not_begun_is_refused_clearly(
    client: Client, org_a: Organisation, path: str, status: int, thai: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    if thai:
        assert thai in response.content.decode()


def test_the_refusal_is_in_english_for_an_english_reader(
    client: Client, org_a: Organisation
) -> None:
    response = client.get("/wangchao/performance/ita/complaints/2569/q5.pdf",
                          HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert response.status_code == 400
    assert "This period is not valid" in response.content.decode()
    response = client.get("/wangchao/performance/ita/complaints/2569/q3.pdf",
                          HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert response.status_code == 404
    assert "No data for this period yet" in response.content.decode()


def test_each_organisation_reports_its_own_requests(
    client: Client, history: History, org_b: Organisation
) -> None:
    rows = by_label(sheet_rows(download(client, "xlsx", "complaints", 2569, slug="other"), 0))
    assert rows["รวมทั้งสิ้น"][:4] == (0, 0, 0, 0)
    assert comparable("องค์การบริหารส่วนตำบลอื่น") in comparable(
        pdf_text(download(client, "pdf", "complaints", 2569, slug="other"))
    )
    assert client.get(url("pdf", "complaints", 2569, slug="nowhere")).status_code == 404
    org_b.is_active = False
    org_b.save(update_fields=["is_active"])
    assert client.get(url("pdf", "complaints", 2569, slug="other")).status_code == 404


def test_the_public_page_links_to_the_last_four_quarters_and_fiscal_years(
    client: Client, history: History
) -> None:
    html = client.get("/wangchao/performance/").content.decode()
    for kind in ("complaints", "corruption"):
        for quarter in ((2569, 2), (2569, 1), (2568, 4), (2568, 3)):
            assert f'href="{url("pdf", kind, *quarter)}"' in html
            assert f'href="{url("xlsx", kind, *quarter)}"' in html
        for year in (2569, 2568):
            assert f'href="{url("pdf", kind, year)}"' in html
    assert "รายงานผลการดำเนินการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ" in html


# --- Stored files, the monthly task ----------------------------------------------------------


def test_a_stored_report_is_served_while_fresh_and_made_again_after_a_change(
    client: Client, history: History, staff_a: Staff
) -> None:
    first = download(client, "xlsx", "complaints", 2569, quarter=2)
    stored = PublishedReport.objects.get(kind="complaints", year=2569, quarter=2, format="xlsx")
    assert default_storage.exists(str(stored.file.name))
    with mock.patch.object(publications, "ita_report", side_effect=AssertionError("made")):
        assert download(client, "xlsx", "complaints", 2569, quarter=2) == first

    # Made at noon on 30 January; C8 completed at 15:00: made again, under the same key.
    PublishedReport.objects.filter(pk=stored.pk).update(
        generated_at=reports_data.at("2026-01-30", 12)
    )
    by = By(Actor.STAFF, staff_a.head, at=reports_data.at("2026-01-30", 15))
    for name in (Move.RECEIVE, Move.COMPLETE):
        case_move(case=history.cases["C8"], move=name, public_message="ซ่อมแล้ว", by=by)
    again = download(client, "xlsx", "complaints", 2569, quarter=2)
    assert by_label(sheet_rows(first, 0))["รวมทั้งสิ้น"][:2] == (5, 1)
    assert by_label(sheet_rows(again, 0))["รวมทั้งสิ้น"][:2] == (5, 2)
    assert PublishedReport.objects.filter(kind="complaints", year=2569, quarter=2).count() == 1


def test_a_stored_report_of_an_older_layout_or_a_lost_file_is_made_again(
    client: Client, history: History
) -> None:
    download(client, "pdf", "corruption", 2569, quarter=1)
    stored = PublishedReport.objects.get(kind="corruption", quarter=1, format="pdf")
    default_storage.delete(str(stored.file.name))
    assert pdf_text(download(client, "pdf", "corruption", 2569, quarter=1))
    stored.refresh_from_db()
    assert default_storage.exists(str(stored.file.name))
    PublishedReport.objects.filter(pk=stored.pk).update(version=0)
    download(client, "pdf", "corruption", 2569, quarter=1)
    stored.refresh_from_db()
    assert stored.version == publications.VERSION


def test_the_monthly_task_makes_every_offered_report_of_every_organisation(
    history: History,
) -> None:
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        made = publications.publish_monthly.enqueue().return_value
    active = Organisation.objects.filter(is_active=True).count()
    assert made == active * 2 * 6 * 2  # kinds × periods × formats
    assert PublishedReport.objects.count() == made
    keys = set(PublishedReport.objects.values_list("kind", "year", "quarter", "format"))
    assert ("corruption", 2568, 3, "xlsx") in keys and ("complaints", 2569, 0, "pdf") in keys


def test_the_monthly_run_is_queued_once_for_the_first_of_next_month(
    settings: Any, org_a: Organisation
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    cache.clear()
    now = reports_data.at("2026-01-30", 23)
    when = publications.schedule_next(now=now)
    assert when == reports_data.at("2026-02-01", 2)
    assert publications.schedule_next(now=now) == when  # asked again: still one run
    runs = DBTaskResult.objects.filter(task_path__endswith="publish_monthly")
    assert [r.run_after for r in runs] == [when]
    for _twice in range(2):  # the daily housekeeping: today, for the 1st of next month
        call_command("reports_publish", "--schedule-only", verbosity=0)
    first = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert sorted(r.run_after for r in runs.all()) == [
        when,
        dt.datetime.combine(first, dt.time(2), tzinfo=reports_data.BANGKOK),
    ]
