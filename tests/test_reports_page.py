"""The public performance page (ผลการดำเนินงาน): reached in one click from the organisation
page and the OSS centre, figures as a citizen reads them, nothing personal, no confidential
row, a query count that does not grow with the requests, light and without JavaScript."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from onestop.cases.models import AttachmentKind, Case
from onestop.cases.services import By, Requester, case_move, case_result_photo_add, case_submit
from onestop.cases.workflow import Actor, Move
from onestop.organisations.models import Organisation
from onestop.reports.selectors import public_subject
from tests import reports_data
from tests.conftest import Staff
from tests.factories import make_case, request_type, some_place, valid_national_id
from tests.reports_data import TODAY, History

URL = "/wangchao/performance/"
Q1 = {"start": "2025-10", "end": "2025-12"}


@pytest.fixture
def history(org_a: Organisation, staff_a: Staff) -> History:
    return reports_data.build(org_a, staff_a.head)


@pytest.fixture(autouse=True)
def on_30_january_2026() -> Any:
    with mock.patch("onestop.reports.views.today", return_value=TODAY):
        yield


def page(client: Client, params: dict[str, str] | None = None, **extra: Any) -> str:
    response = client.get(URL, params or {}, **extra)
    assert response.status_code == 200
    return response.content.decode()


def row(label: str, *cells: str) -> str:
    return f'<tr><th scope="row">{label}</th>' + "".join(f"<td>{c}</td>" for c in cells)


def test_the_organisation_page_and_the_oss_centre_link_to_it(
    client: Client, org_a: Organisation
) -> None:
    for start in ("/wangchao/", "/wangchao/oss/"):
        html = client.get(start).content.decode()
        assert f'href="{URL}"' in html, start
    assert client.get(URL).status_code == 200  # no sign-in


def test_the_summary_shows_this_month_the_fiscal_year_and_the_chosen_period(
    client: Client, history: History
) -> None:
    html = page(client, Q1)
    assert "ปีงบประมาณ 2569" in html
    assert "1 ต.ค. 2568 – 30 ก.ย. 2569" in html  # the fiscal year, in B.E.
    assert "1 ต.ค. 2568 – 31 ธ.ค. 2568" in html  # the chosen quarter
    # Columns: January 2026, fiscal year 2569, October-December 2025 (hand counts: reports_data).
    assert row("รับคำร้อง", "5", "8", "&lt; 5") in html
    assert row("ดำเนินการแล้วเสร็จ", "&lt; 5", "5", "&lt; 5") in html
    assert row("ยังดำเนินการอยู่ (ของที่รับในช่วงนี้)", "&lt; 5", "&lt; 5", "0") in html
    assert row("แล้วเสร็จภายในระยะเวลาที่กำหนด", "&lt; 5", "80%", "&lt; 5") in html
    assert row("แล้วเสร็จ: มัธยฐาน (วันทำการ)", "&lt; 5", "6", "&lt; 5") in html
    assert row("แล้วเสร็จ: 90% ภายใน (วันทำการ)", "&lt; 5", "16.2", "&lt; 5") in html
    assert row("ตอบกลับครั้งแรก: มัธยฐาน (วันทำการ)", "&lt; 5", "1", "&lt; 5") in html  # Q1: C2, C5
    assert row("ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไขหลังแจ้งว่าเสร็จ", "&lt; 5", "20%", "&lt; 5") in html
    assert row("ความพึงพอใจเฉลี่ย (เต็ม 5)", "&lt; 5", "&lt; 5", "&lt; 5") in html
    assert "ข้อมูล ณ" in html and "เปลี่ยนแปลงล่าสุดเมื่อ 30 มกราคม 2569" in html


def test_the_twelve_months_are_a_table_with_drawn_bars(client: Client, history: History) -> None:
    html = page(client)
    months = html.split('id="months-title"')[1].split("</table>")[0]
    assert months.count('<tr><th scope="row">') == 12
    assert "ก.พ. 2568" in months and "ม.ค. 2569" in months
    assert re.search(r"ม\.ค\. 2569</th>\s*<td><svg class=\"bar\"[^>]*><rect class=\"received\" "
                     r"width=\"100\" height=\"1\"/></svg> 5</td>", months)  # fmt: skip
    assert "<script" not in html


def test_recently_completed_work_has_the_public_photo_and_no_confidential_subject(
    client: Client, history: History
) -> None:
    html = page(client)
    recent = html.split('id="recent-title"')[1].split("</section>")[0]
    assert "ไฟส่องสว่างดับทั้งซอย" in recent and "12 มกราคม 2569" in recent
    photo = history.cases["C9"].attachments.get(kind=AttachmentKind.RESULT)
    assert f'src="/wangchao/performance/photos/{photo.pk}/"' in recent


def test_the_page_leaks_nothing_personal_and_no_confidential_row(
    client: Client, history: History
) -> None:
    pages = [page(client), page(client, Q1), page(client, HTTP_ACCEPT_LANGUAGE="en")]
    secrets = [
        *reports_data.NAMES, reports_data.PHONE, reports_data.PHONE[1:], "+66891234567",
        reports_data.HOUSE_NO, reports_data.CONFIDENTIAL_SUBJECT, *history.national_ids,
        "แจ้งการทุจริตของเจ้าหน้าที่/พนักงาน", "Report corruption",
        "ร้องเรียน/ร้องทุกข์ หน่วยงานภาครัฐ",  # a category of confidential types only
        *(case.number for case in history.cases.values()),
        *(case.display_number for case in history.cases.values()),
        *(case.national_id_masked for case in history.cases.values()),
    ]  # fmt: skip
    for html in pages:
        for secret in secrets:
            assert secret not in html, secret


def test_a_subject_naming_the_requester_shows_the_type_instead(org_a: Organisation) -> None:
    case = make_case(org_a, subject="ไฟดับหน้าบ้านนางมาลี")  # the factory's requester is มาลี
    assert public_subject(case, fallback="ไฟฟ้าสาธารณะ") == "ไฟฟ้าสาธารณะ"
    case.subject = "ไฟดับ โทร 081 234 5678"
    assert public_subject(case, fallback="ไฟฟ้าสาธารณะ") == "ไฟฟ้าสาธารณะ"
    case.subject = "ไฟดับหน้าบ้านเลขที่ 12/3"
    assert public_subject(case, fallback="ไฟฟ้าสาธารณะ") == "ไฟฟ้าสาธารณะ"
    case.subject = "ไฟกิ่งกะพริบ"
    assert public_subject(case, fallback="ไฟฟ้าสาธารณะ") == "ไฟกิ่งกะพริบ"


def _complete_with_photo(organisation: Organisation, staff: Staff, day: str) -> Case:
    case = reports_data.submit(organisation, "street-light", day)
    by = By(Actor.STAFF, staff.head, at=reports_data.at(day, 14))
    case = case_move(case=case, move=Move.RECEIVE, by=by)
    case = case_move(case=case, move=Move.COMPLETE, by=by, public_message="ซ่อมแล้ว")
    case_result_photo_add(case=case, photo=reports_data.photo_file(), is_public=True, by=by,
                          expected_version=None)  # fmt: skip
    return case


def test_the_number_of_queries_does_not_grow_with_the_requests(
    client: Client, history: History, org_a: Organisation, staff_a: Staff
) -> None:
    page(client)  # warm: sessions, content types
    with CaptureQueriesContext(connection) as before:
        page(client, Q1)
    for day in ("2026-01-20", "2026-01-21", "2026-01-22", "2026-01-26", "2026-01-27"):
        _complete_with_photo(org_a, staff_a, day)
        reports_data.submit(org_a, "road-drain", day)
    with CaptureQueriesContext(connection) as after:
        page(client, Q1)
    assert len(after) == len(before) <= 20


def test_the_page_is_light(client: Client, history: History) -> None:
    html = page(client)
    css = sum(
        (Path(settings.BASE_DIR) / "static" / "css" / name).stat().st_size
        for name in ("onestop.css", "portal.css", "reports.css")
    )
    assert len(html.encode()) + css < 60_000  # fonts (about 40 KB) and small photos on top


def test_a_published_photo_is_served_small_and_without_camera_data(
    client: Client, history: History
) -> None:
    photo = history.cases["C9"].attachments.get(kind=AttachmentKind.RESULT)
    response = client.get(f"/wangchao/performance/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.content))
    assert max(image.size) <= 360 and not image.getexif()


def test_unpublished_photos_and_photos_of_open_or_confidential_work_are_not_found(
    client: Client, org_a: Organisation, org_b: Organisation, staff_a: Staff, history: History
) -> None:
    by = By(Actor.STAFF, staff_a.head, at=reports_data.at("2026-01-29"))
    open_case = case_move(case=reports_data.submit(org_a, "road-drain", "2026-01-28"),
                          move=Move.RECEIVE, by=by)  # fmt: skip
    hidden = case_result_photo_add(case=open_case, photo=reports_data.photo_file(),
                                   is_public=True, by=by, expected_version=None)  # fmt: skip
    private = case_result_photo_add(case=history.cases["C9"], photo=reports_data.photo_file(),
                                    is_public=False, by=by, expected_version=None)  # fmt: skip
    confidential = case_result_photo_add(case=history.cases["C5"], photo=reports_data.photo_file(),
                                         is_public=True, by=by, expected_version=None)  # fmt: skip
    for pk in (hidden.pk, private.pk, confidential.pk):
        assert client.get(f"/wangchao/performance/photos/{pk}/").status_code == 404
    published = history.cases["C9"].attachments.filter(is_public=True).first()
    assert published is not None
    assert client.get(f"/{org_b.slug}/performance/photos/{published.pk}/").status_code == 404


def test_an_unknown_or_inactive_organisation_has_no_page(
    client: Client, org_a: Organisation
) -> None:
    assert client.get("/nowhere/performance/").status_code == 404
    org_a.is_active = False
    org_a.save()
    assert client.get(URL).status_code == 404


def test_a_bad_period_falls_back_to_this_fiscal_year(client: Client, history: History) -> None:
    html = page(client, {"start": "2026-01", "end": "2025-10"})
    assert "1 ต.ค. 2568 – 30 ก.ย. 2569</span></th>\n    </tr>" in html
    assert page(client, {"start": "1999-01", "end": "x"})


def test_the_page_in_english(client: Client, history: History) -> None:
    html = page(client, HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in html and "Performance report" in html and "Received" in html


# --- The tracking status page: where the request stands against its target ------------------


def _status_page(client: Client, case: Case) -> str:
    client.post("/wangchao/track/", {"number": case.display_number, "digits": case.phone[-4:]})
    response = client.get("/wangchao/track/status/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_status_page_says_within_target_and_links_to_the_figures(
    client: Client, org_a: Organisation
) -> None:
    html = _status_page(client, make_case(org_a))
    assert "อยู่ในกำหนด" in html and f'href="{URL}"' in html


def test_the_status_page_says_how_many_working_days_late(
    client: Client, org_a: Organisation
) -> None:
    filed = timezone.now() - dt.timedelta(days=40)
    case = case_submit(
        organisation=org_a, request_type=request_type(org_a, "street-light"),
        subject="ไฟดับ", details="ไฟดับ", place=some_place(), now=filed,
        requester=Requester("นาย", "ทดสอบ", "ระบบ", valid_national_id(), "0812345678"),
    )  # fmt: skip
    html = _status_page(client, case)
    assert re.search(r"ช้ากว่ากำหนด \d+ วันทำการ", html)
