"""Open data: the month's public requests as CSV and GeoJSON (per organisation and for the
platform), the performance figures as JSON. Checked on the fixed history of
`tests/reports_data.py`: what a row holds, what it never holds (searched for every requester's
name, ID, phone, house number and every subject), rounding, licence, errors, and a query count
that does not grow with the rows."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onestop.cases.models import Case
from onestop.catalog.models import RequestType
from onestop.organisations.models import Organisation
from onestop.reports import opendata
from tests import reports_data
from tests.conftest import Staff
from tests.factories import make_case
from tests.reports_data import CONFIDENTIAL_SUBJECT, HOUSE_NO, NAMES, PHONE, TODAY, History

JANUARY = "/wangchao/performance/open-data/2026-01"


@pytest.fixture
def history(org_a: Organisation, staff_a: Staff) -> History:
    built = reports_data.build(org_a, staff_a.head)
    # C9 was pinned on the map, in a subdistrict chosen from the gazetteer.
    Case.objects.filter(pk=built.cases["C9"].pk).update(
        latitude=Decimal("17.123500"), longitude=Decimal("99.987654"), subdistrict_code="630901"
    )
    return built


@pytest.fixture(autouse=True)
def on_30_january_2026() -> Any:
    with mock.patch("onestop.reports.views.today", return_value=TODAY):
        yield


def body(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client: Client, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    return list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))


def secrets(history: History) -> list[str]:
    return [
        *NAMES, PHONE, HOUSE_NO, CONFIDENTIAL_SUBJECT, *history.national_ids,
        *(case.subject for case in history.cases.values()), "รายละเอียดของคำร้อง",
    ]  # fmt: skip


def test_the_csv_lists_the_requests_filed_in_the_month_with_public_fields_only(
    client: Client, history: History
) -> None:
    response = client.get(f"{JANUARY}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert 'filename="requests-wangchao-2026-01.csv"' in response["Content-Disposition"]
    text = body(response)
    assert text.startswith("\ufeffnumber,organisation,request_type,category,status,channel,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    c = history.cases
    assert [r["number"] for r in rows] == [
        c[k].display_number for k in ("C4", "C6", "C7", "C9", "C8")
    ]  # filed on 5, 6, 7, 8 and 30 January
    c9 = rows[3]
    assert c9 == {
        "number": c["C9"].display_number, "organisation": "wangchao",
        "request_type": "ไฟฟ้าสาธารณะ", "category": "ระบบสาธารณูปโภค", "status": "completed",
        "channel": "web", "submitted_on": "2026-01-08", "completed_on": "2026-01-12",
        "working_days": "2", "subdistrict_code": "630901", "subdistrict": "เชียงทอง",
        "district": "วังเจ้า", "province": "ตาก", "latitude": "17.124", "longitude": "99.988",
    }  # fmt: skip
    assert rows[0]["status"] == "cancelled" and rows[0]["channel"] == "phone"
    assert rows[0]["completed_on"] == rows[0]["working_days"] == rows[0]["latitude"] == ""
    # The subdistrict the citizen typed (no code) is not repeated.
    assert rows[1]["subdistrict"] == ""


def test_confidential_requests_and_personal_data_are_never_in_the_files(
    client: Client, history: History
) -> None:
    october = csv_rows(client, "/wangchao/performance/open-data/2025-10.csv")
    assert [r["number"] for r in october] == [history.cases["C2"].display_number]  # C5: no
    assert october[0]["working_days"] == "6"  # 8 → 17 October, 13 October a holiday
    outputs = [
        body(client.get(f"/wangchao/performance/open-data/2025-{m}.{f}"))
        for m in ("09", "10", "11", "12") for f in ("csv", "geojson")
    ] + [body(client.get(f"{JANUARY}.{f}")) for f in ("csv", "geojson")]  # fmt: skip
    outputs += [body(client.get(f"/open-data/2025-10.{f}")) for f in ("csv", "geojson")]
    outputs.append(client.get("/wangchao/performance/figures.json").content.decode())
    outputs.append(client.get("/open-data/figures.json").content.decode())
    everything = "\n".join(outputs)
    assert history.cases["C2"].display_number in everything  # the search does see the rows
    assert history.cases["C5"].display_number not in everything
    for secret in secrets(history):
        assert secret not in everything, secret
    assert "แจ้งการทุจริต" not in everything  # not even the confidential type's name


def test_the_geojson_is_a_valid_feature_collection_in_longitude_latitude(
    client: Client, history: History
) -> None:
    response = client.get(f"{JANUARY}.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(body(response))
    assert data["type"] == "FeatureCollection"
    assert data["license"]["name"] == "CC-BY-4.0"
    assert len(data["features"]) == 5
    pinned = [f for f in data["features"] if f["geometry"] is not None]
    assert len(pinned) == 1
    assert pinned[0]["type"] == "Feature"
    assert pinned[0]["geometry"] == {"type": "Point", "coordinates": [99.988, 17.124]}
    assert pinned[0]["properties"]["number"] == history.cases["C9"].display_number
    assert "latitude" not in pinned[0]["properties"]
    lon, lat = pinned[0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90 and lon > lat  # Thailand: lon ≈ 100, lat ≈ 17


def test_coordinates_are_rounded_to_about_100_metres() -> None:
    assert opendata.rounded(Decimal("13.756331")) == 13.756
    assert opendata.rounded(Decimal("13.756500")) == 13.757
    assert opendata.rounded(Decimal("-0.000400")) == -0.0
    assert opendata.rounded(None) is None


def test_a_cell_that_could_run_as_a_formula_opens_as_text(
    client: Client, history: History, org_a: Organisation
) -> None:
    RequestType.objects.filter(organisation=org_a, key="street-light").update(
        name_th='=HYPERLINK("http://evil.example","x")'
    )
    rows = csv_rows(client, f"{JANUARY}.csv")
    assert rows[1]["request_type"] == '\'=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/wangchao/performance/open-data/2026-13.csv", 400, "ช่วงเวลาไม่ถูกต้อง"),
        ("/wangchao/performance/open-data/2026-0.geojson", 400, "ช่วงเวลาไม่ถูกต้อง"),
        ("/wangchao/performance/open-data/1999-05.csv", 400, "ช่วงเวลาไม่ถูกต้อง"),
        ("/open-data/99999999999-01.csv", 400, "ช่วงเวลาไม่ถูกต้อง"),
        ("/wangchao/performance/open-data/2026-02.csv", 404, "ยังไม่มีข้อมูลของช่วงเวลานี้"),
        ("/open-data/2026-02.geojson", 404, "ยังไม่มีข้อมูลของช่วงเวลานี้"),
        ("/wangchao/performance/open-data/2026-1a.csv", 404, "ไม่พบหน้าที่ต้องการ"),
        ("/nowhere/performance/open-data/2026-01.csv", 404, ""),
        ("/wangchao/performance/figures.json?start=2026-13&end=x", 400, "ช่วงเวลาไม่ถูกต้อง"),
    ],
)
def test_a_month_that_does_not_exist_or_is_to_come_is_refused_clearly(
    client: Client, org_a: Organisation, path: str, status: int, message: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert message in response.content.decode()
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    if status == 400:
        assert "This period is not valid" in english


def test_another_organisation_has_its_own_rows_and_the_platform_has_all(
    client: Client, history: History, org_b: Organisation
) -> None:
    other = make_case(org_b, subject="ถนนชำรุด")
    Case.objects.filter(pk=other.pk).update(submitted_at=reports_data.at("2026-01-15"))
    mine = [r["number"] for r in csv_rows(client, f"{JANUARY}.csv")]
    theirs = [r["number"] for r in csv_rows(client, "/other/performance/open-data/2026-01.csv")]
    assert theirs == [other.display_number] and other.display_number not in mine
    everyone = csv_rows(client, "/open-data/2026-01.csv")
    assert [r["number"] for r in everyone][3:5] == [history.cases["C9"].display_number,
                                                   other.display_number]  # fmt: skip
    assert {r["organisation"] for r in everyone} == {"wangchao", "other"}
    org_b.is_active = False
    org_b.save(update_fields=["is_active"])
    assert len(csv_rows(client, "/open-data/2026-01.csv")) == 5
    assert client.get("/other/performance/open-data/2026-01.csv").status_code == 404


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
        body(response)
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_rows_and_batches_miss_nothing(
    client: Client, history: History, org_a: Organisation
) -> None:
    before = {fmt: _queries(client, f"{JANUARY}.{fmt}") for fmt in ("csv", "geojson")}
    assert before["csv"] <= 4  # organisation, holidays, one batch (and the session's look-up)
    # Ten more, all at the same second: the keyset must still take each exactly once.
    for _index in range(10):
        reports_data.submit(org_a, "street-light", "2026-01-20", hour=9)
    after = {fmt: _queries(client, f"{JANUARY}.{fmt}") for fmt in ("csv", "geojson")}
    assert after == before
    with mock.patch.object(opendata, "BATCH", 3):
        rows = csv_rows(client, f"{JANUARY}.csv")
        assert _queries(client, f"{JANUARY}.csv") == before["csv"] + 5  # 15 rows: 5 more batches
    numbers = [r["number"] for r in rows]
    assert len(numbers) == 15 and len(set(numbers)) == 15
    assert numbers == [r["number"] for r in csv_rows(client, f"{JANUARY}.csv")]


# --- Figures as JSON ---------------------------------------------------------------------------


def test_the_figures_json_holds_the_page_s_figures_with_small_cells_hidden(
    client: Client, history: History
) -> None:
    q1 = {"start": "2025-10", "end": "2025-12"}
    response = client.get("/wangchao/performance/figures.json", q1)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["license"]["name"] == "CC-BY-4.0"
    assert data["fiscal_year"] == 2569
    year = data["this_fiscal_year"]
    assert (year["start"], year["end"]) == ("2025-10-01", "2026-09-30")
    # The same cells as the page (tests/test_reports_page.py): 8 received, 5 completed, 80%.
    assert year["total"]["received"] == 8
    assert year["total"]["completed"] == 5
    assert year["total"]["on_time_share"] == 0.8
    assert year["total"]["completion_median_days"] == 6
    assert data["this_month"]["total"]["received"] == 5
    assert data["chosen"]["total"]["received"] == "<5"
    assert data["chosen"]["total"]["on_time_share"] == "<5"
    assert "แจ้งการทุจริตของเจ้าหน้าที่/พนักงาน" not in [t["name"] for t in year["types"]]
    assert len(data["months"]) == 12 and data["months"][-1]["month"] == "2026-01"


def test_the_platform_json_puts_every_active_organisation_side_by_side(
    client: Client, history: History, org_b: Organisation
) -> None:
    data = client.get("/open-data/figures.json").json()
    rows = {o["slug"]: o for o in data["organisations"]}
    assert rows["wangchao"]["received"] == 8 and rows["other"]["received"] == 0
    assert rows["wangchao"]["completed"] == 5
    assert data["license"]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    with CaptureQueriesContext(connection) as context:
        client.get("/open-data/figures.json")
    assert len(context.captured_queries) <= 4


def test_the_pages_link_to_the_open_data_and_state_the_licence(
    client: Client, history: History
) -> None:
    html = client.get("/wangchao/performance/").content.decode()
    for href in (f"{JANUARY}.csv", f"{JANUARY}.geojson", "/wangchao/performance/figures.json",
                 "/wangchao/performance/open-data/", "/open-data/"):  # fmt: skip
        assert f'href="{href}"' in html
    assert "Creative Commons Attribution 4.0 International" in html
    for path in ("/wangchao/performance/open-data/", "/open-data/"):
        page = client.get(path)
        assert page.status_code == 200
        text = page.content.decode()
        assert 'rel="license"' in text and "CC BY 4.0" in text
    assert 'href="/open-data/2026-01.geojson"' in client.get("/open-data/").content.decode()
    assert client.get("/other/performance/open-data/").status_code == 200


def test_now_is_the_default_day(client: Client, org_a: Organisation) -> None:
    """Without the tests' fixed day the current month is offered and served (empty)."""
    with mock.patch("onestop.reports.views.today", return_value=timezone.localdate()):
        month = timezone.localdate().strftime("%Y-%m")
        assert csv_rows(client, f"/wangchao/performance/open-data/{month}.csv") == []
