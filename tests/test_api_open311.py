"""Open311 GeoReport v2, read side (/<slug>/open311/…): every endpoint in JSON and XML against
the shapes of the specification's examples, the filters and paging, the errors in its format
in Thai and English, CORS, the query budget, and what must never leave: confidential types and
anything personal."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onestop.api.open311 import PAGE_SIZE_MAX, redact
from onestop.cases.models import Case
from onestop.cases.services import By, Place, Requester, case_move, case_note, case_submit
from onestop.cases.workflow import Move
from onestop.catalog.models import RequestType
from onestop.organisations.models import Organisation
from tests.conftest import Staff
from tests.factories import make_case, request_type

API = "/wangchao/open311/v2"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
# The fields of a service request, in the order of the specification's example.
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
    "media_url",
]  # fmt: skip
SERVICE_FIELDS = {
    "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
}  # fmt: skip
ATTRIBUTE_FIELDS = {
    "variable", "code", "datatype", "required", "datatype_description", "order", "description",
}  # fmt: skip

# The requester of the "private" request below: none of this may appear in any answer.
NAME_FIRST, NAME_LAST = "ประยูรศักดิ์", "วงศ์ไพบูลย์"
PHONE = "0891234567"
NATIONAL_ID = "1103700012346"  # a valid check digit
HOUSE_NO = "99/123"
SECRET_SUBJECT = "ลับมากเรื่องนายกเทศมนตรี"


def get_json(client: Client, url: str, status: int = 200, **extra: Any) -> Any:
    response = client.get(url, **extra)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def get_xml(client: Client, url: str, status: int = 200, **extra: Any) -> ET.Element:
    response = client.get(url, **extra)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 (our own output, in a test)


SUBJECT = "แสงสว่างหน้าบ้านหายไปสามคืน"


def submit(
    organisation: Organisation, *, type_key: str = "street-light", subject: str = SUBJECT,
    first_name: str = "มาลี", last_name: str = "ศรีสุข", phone: str = "0812345678",
    national_id: str = "1103700012346", place: Place | None = None,
    now: dt.datetime | None = None,
) -> Case:  # fmt: skip
    """A request filed through the wizard's service, as the wizard files it."""
    return case_submit(
        organisation=organisation,
        request_type=request_type(organisation, type_key),
        subject=subject,
        details="รายละเอียดที่ประชาชนเขียนเอง ไม่ควรออกไปทาง API",
        requester=Requester(
            title="นาย",
            first_name=first_name,
            last_name=last_name,
            national_id=national_id,
            phone=phone,
            email="private.person@example.com",
        ),
        place=place
        or Place(
            house_no=HOUSE_NO,
            village_no="4",
            road="ถนนพหลโยธิน",
            subdistrict="เชียงทอง",
            district="วังเจ้า",
            province="ตาก",
            postcode="63180",
            landmark="หน้าร้านป้าแดง",
            latitude=Decimal("16.987654"),
            longitude=Decimal("99.123456"),
        ),
        now=now,
    )


@pytest.fixture
def private(org_a: Organisation) -> Case:
    return submit(
        org_a, first_name=NAME_FIRST, last_name=NAME_LAST, phone=PHONE, national_id=NATIONAL_ID
    )


# --- Discovery ---------------------------------------------------------------------------------


def test_discovery_names_the_v2_endpoint_and_both_formats(
    client: Client, org_a: Organisation
) -> None:
    data = get_json(client, "/wangchao/open311/discovery.json")
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    assert "กุญแจ API" in data["key_service"]  # filing needs a key; reading does not
    assert "เทศบาลตำบลวังเจ้า" in data["contact"]
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/wangchao/open311/v2")
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]

    root = get_xml(client, "/wangchao/open311/discovery.xml")
    assert root.tag == "discovery"
    assert [e.tag for e in root] == ["changeset", "contact", "key_service", "endpoints"]
    formats = root.findall("endpoints/endpoint/formats/format")
    assert [f.text for f in formats] == ["text/xml", "application/json"]
    assert root.findtext("endpoints/endpoint/url") == endpoint["url"]


# --- Services ----------------------------------------------------------------------------------


def test_services_list_the_public_catalogue_in_json(client: Client, org_a: Organisation) -> None:
    services = get_json(client, f"{API}/services.json")
    codes = [s["service_code"] for s in services]
    assert "street-light" in codes and "general" in codes
    assert not {"corruption", "official-complaint", "tip-off"} & set(codes)  # confidential
    light = next(s for s in services if s["service_code"] == "street-light")
    assert set(light) == SERVICE_FIELDS
    assert light["service_name"] == "ไฟฟ้าสาธารณะ"
    assert light["group"] == "ระบบสาธารณูปโภค"
    assert light["type"] == "realtime" and light["metadata"] is True
    assert "Public electricity" in light["keywords"]  # synonyms in the other language


def test_services_in_xml_and_in_english(client: Client, org_a: Organisation) -> None:
    root = get_xml(client, f"{API}/services.xml?locale=en")
    assert root.tag == "services"
    light = next(s for s in root.findall("service") if s.findtext("service_code") == "street-light")
    assert {e.tag for e in light} == SERVICE_FIELDS
    assert light.findtext("service_name") == "Public electricity / street lights"
    assert light.findtext("group") == "Public utilities"
    assert light.findtext("metadata") == "true" and light.findtext("type") == "realtime"
    assert "ไฟฟ้าสาธารณะ" in (light.findtext("keywords") or "")


def test_a_type_switched_off_is_not_offered(client: Client, org_a: Organisation) -> None:
    RequestType.objects.filter(organisation=org_a, key="flood").update(is_active=False)
    codes = [s["service_code"] for s in get_json(client, f"{API}/services.json")]
    assert "flood" not in codes
    get_json(client, f"{API}/services/flood.json", status=404)


def test_a_service_definition_lists_what_the_wizard_asks(
    client: Client, org_a: Organisation
) -> None:
    data = get_json(client, f"{API}/services/street-light.json")
    assert data["service_code"] == "street-light"
    attributes = data["attributes"]
    assert all(set(a) == ATTRIBUTE_FIELDS for a in attributes)
    by_code = {a["code"]: a for a in attributes}
    assert {"subject", "title", "national_id", "house_no", "subdistrict", "landmark"} <= set(
        by_code
    )
    assert by_code["national_id"]["required"] is True
    assert by_code["house_no"]["required"] is False
    assert by_code["place_required"]["variable"] is False  # the type needs a place: said so
    assert [a["order"] for a in attributes] == list(range(1, len(attributes) + 1))
    assert all(a["datatype"] == "string" for a in attributes)


def test_a_service_definition_in_xml_follows_the_type(client: Client, org_a: Organisation) -> None:
    root = get_xml(client, f"{API}/services/patient-equipment.xml")
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "patient-equipment"
    codes = [a.findtext("code") for a in root.findall("attributes/attribute")]
    assert "id_card" in codes  # the wizard asks for an ID-card photo for this type
    first = root.find("attributes/attribute")
    assert first is not None
    assert [e.tag for e in first] == [
        "variable", "code", "datatype", "required", "datatype_description", "order", "description",
    ]  # fmt: skip
    assert first.findtext("variable") == "true" and first.findtext("required") == "true"

    information = get_json(client, f"{API}/services/information.json")  # asks no place
    assert "house_no" not in {a["code"] for a in information["attributes"]}


def test_an_unknown_or_confidential_service_code_is_404_in_both_languages(
    client: Client, org_a: Organisation
) -> None:
    unknown = get_json(client, f"{API}/services/no-such-type.json", status=404)
    assert unknown == [{"code": 404, "description": "ไม่พบประเภทคำร้องรหัส “no-such-type”"}]
    english = get_json(client, f"{API}/services/no-such-type.json", status=404, **EN)
    assert english == [{"code": 404, "description": "No request type with the code “no-such-type”"}]
    # A confidential type is answered exactly as one that does not exist.
    secret = get_json(client, f"{API}/services/corruption.json", status=404)
    assert secret == [{"code": 404, "description": "ไม่พบประเภทคำร้องรหัส “corruption”"}]
    root = get_xml(client, f"{API}/services/corruption.xml?locale=en", status=404)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert root.findtext("error/description") == "No request type with the code “corruption”"


def test_an_unknown_organisation_is_404_in_the_error_format(client: Client, db: None) -> None:
    assert get_json(client, "/no-such-town/open311/v2/services.json", status=404) == [
        {"code": 404, "description": "ไม่พบหน่วยงาน “no-such-town”"}
    ]
    root = get_xml(client, "/no-such-town/open311/v2/requests.xml", status=404, **EN)
    assert root.findtext("error/description") == "No organisation “no-such-town”"
    get_json(client, "/no-such-town/open311/discovery.json", status=404)


def test_an_unknown_resource_under_open311_is_an_xml_404(
    client: Client, org_a: Organisation
) -> None:
    root = get_xml(client, f"{API}/tokens", status=404)
    assert root.tag == "errors" and root.findtext("error/code") == "404"


# --- Requests ----------------------------------------------------------------------------------


def test_requests_in_json_have_the_spec_fields_and_only_the_area(
    client: Client, private: Case
) -> None:
    [row] = get_json(client, f"{API}/requests.json")
    assert list(row) == REQUEST_FIELDS
    assert row["service_request_id"] == private.display_number
    assert row["status"] == "open"
    assert row["status_notes"] == "ยื่นคำร้อง"
    assert row["service_code"] == "street-light" and row["service_name"] == "ไฟฟ้าสาธารณะ"
    assert row["description"] is None  # the citizen's own words stay private
    assert row["address"] == "ตำบลเชียงทอง อำเภอวังเจ้า จังหวัดตาก"
    assert row["zipcode"] == "63180"
    assert (row["lat"], row["long"]) == (16.988, 99.123)  # rounded to about 100 m
    assert row["requested_datetime"].endswith("+07:00")
    filed = dt.datetime.fromisoformat(row["requested_datetime"])
    assert filed == private.submitted_at.replace(microsecond=0)
    assert private.due_date is not None
    assert row["expected_datetime"].startswith(private.due_date.isoformat())
    assert row["agency_responsible"] == "กองช่าง"


def test_requests_in_xml(client: Client, private: Case) -> None:
    root = get_xml(client, f"{API}/requests.xml")
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [e.tag for e in request] == REQUEST_FIELDS
    assert request.findtext("service_request_id") == private.display_number
    assert request.findtext("status") == "open"
    assert request.findtext("lat") == "16.988" and request.findtext("long") == "99.123"
    assert request.findtext("description") == ""  # an empty element, as in the spec


def test_one_request_by_its_number_in_both_formats(client: Client, private: Case) -> None:
    [row] = get_json(client, f"{API}/requests/{private.display_number}.json")
    assert list(row) == REQUEST_FIELDS and row["service_request_id"] == private.display_number
    root = get_xml(client, f"{API}/requests/{private.number}.xml")  # any typed form
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == private.display_number


def test_an_unknown_request_is_404_in_both_languages(client: Client, org_a: Organisation) -> None:
    assert get_json(client, f"{API}/requests/69-00000-00000-0.json", status=404) == [
        {"code": 404, "description": "ไม่พบคำร้องเลขที่ “69-00000-00000-0”"}
    ]
    root = get_xml(client, f"{API}/requests/12345.xml", status=404, **EN)
    assert root.findtext("error/description") == "No request with the number “12345”"


def test_another_organisations_request_is_not_found_here(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    theirs = make_case(org_b)
    get_json(client, f"{API}/requests/{theirs.display_number}.json", status=404)
    assert get_json(client, f"{API}/requests.json") == []
    assert len(get_json(client, "/other/open311/v2/requests.json")) == 1


def test_requests_are_newest_first_and_paged(client: Client, org_a: Organisation) -> None:
    now = timezone.now()
    cases = [submit(org_a, now=now - dt.timedelta(hours=h)) for h in range(5)]
    numbers = [c.display_number for c in cases]  # newest first already
    listed = [r["service_request_id"] for r in get_json(client, f"{API}/requests.json")]
    assert listed == numbers
    page2 = get_json(client, f"{API}/requests.json?page=2&page_size=2")
    assert [r["service_request_id"] for r in page2] == numbers[2:4]
    assert get_json(client, f"{API}/requests.json?page=9&page_size=2") == []


def test_the_page_size_is_capped(client: Client, org_a: Organisation) -> None:
    now = timezone.now()
    for minutes in range(PAGE_SIZE_MAX + 1):
        submit(org_a, now=now - dt.timedelta(minutes=minutes))
    assert len(get_json(client, f"{API}/requests.json?page_size=1000")) == PAGE_SIZE_MAX


def test_bad_paging_is_a_400(client: Client, org_a: Organisation) -> None:
    assert get_json(client, f"{API}/requests.json?page=0", status=400) == [
        {"code": 400, "description": "page ต้องเป็นจำนวนเต็มบวก"}
    ]
    get_json(client, f"{API}/requests.json?page_size=abc", status=400)


def test_filter_by_service_code_and_status(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    light = submit(org_a)
    bin_request = submit(org_a, type_key="garbage-bin")
    case_move(case=bin_request, move=Move.REJECT, by=By.staff(staff_a.counter),
              public_message="ไม่อยู่ในพื้นที่รับผิดชอบ")  # fmt: skip

    def ids(query: str) -> list[str]:
        return [r["service_request_id"] for r in get_json(client, f"{API}/requests.json?{query}")]

    assert ids("service_code=street-light") == [light.display_number]
    assert set(ids("service_code=street-light,garbage-bin")) == {
        light.display_number, bin_request.display_number,
    }  # fmt: skip
    assert ids("status=open") == [light.display_number]
    assert ids("status=closed") == [bin_request.display_number]
    assert len(ids("status=open,closed")) == 2
    assert get_json(client, f"{API}/requests.json?status=pending", status=400) == [
        {"code": 400, "description": "status ต้องเป็น open หรือ closed"}
    ]


def test_an_unknown_or_confidential_service_code_filter_is_a_400(
    client: Client, org_a: Organisation
) -> None:
    submit(org_a, type_key="tip-off", subject=SECRET_SUBJECT)
    for code in ("no-such-type", "tip-off"):
        errors = get_json(client, f"{API}/requests.json?service_code={code}", status=400, **EN)
        assert errors == [{"code": 400, "description": f"No request type with the code “{code}”"}]


def test_filter_by_numbers_overrides_the_other_filters(client: Client, org_a: Organisation) -> None:
    old = submit(org_a, now=timezone.now() - dt.timedelta(days=200))
    new = submit(org_a, type_key="garbage-bin")
    query = f"service_request_id={old.display_number},{new.number},not-a-number&status=closed"
    listed = {r["service_request_id"] for r in get_json(client, f"{API}/requests.json?{query}")}
    assert listed == {old.display_number, new.display_number}
    assert get_json(client, f"{API}/requests.json?service_request_id=12345") == []


def test_dates_filter_the_time_of_filing(client: Client, org_a: Organisation) -> None:
    now = timezone.now()
    old = submit(org_a, now=now - dt.timedelta(days=120))
    recent = submit(org_a, now=now - dt.timedelta(days=3))

    def ids(query: str) -> set[str]:
        return {r["service_request_id"] for r in get_json(client, f"{API}/requests.json?{query}")}

    assert ids("") == {recent.display_number}  # the spec's default: the last 90 days
    start = (now - dt.timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"start_date={start}") == {old.display_number, recent.display_number}
    end = (now - dt.timedelta(days=60)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"start_date={start}&end_date={end}") == {old.display_number}
    assert ids(f"end_date={(now - dt.timedelta(days=10)).date().isoformat()}") == {
        old.display_number
    }


def test_bad_dates_are_a_400_in_both_languages(client: Client, org_a: Organisation) -> None:
    assert get_json(client, f"{API}/requests.json?start_date=yesterday", status=400) == [
        {
            "code": 400,
            "description": "start_date ไม่ใช่วันเวลาที่ถูกต้อง ใช้รูปแบบ 2026-01-31T00:00:00+07:00",
        }
    ]
    root = get_xml(client, f"{API}/requests.xml?end_date=2026-13-45&locale=en", status=400)
    assert root.findtext("error/code") == "400"
    assert root.findtext("error/description") == (
        "end_date is not a valid date and time; use the form 2026-01-31T00:00:00+07:00"
    )
    reversed_range = "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z"
    assert get_json(client, f"{API}/requests.json?{reversed_range}", status=400, **EN) == [
        {"code": 400, "description": "start_date must not be after end_date"}
    ]


# --- The wizard's requests and the workflow show up ---------------------------------------------


def test_a_request_filed_through_the_wizards_service_shows_up(
    client: Client, org_a: Organisation
) -> None:
    case = submit(org_a, type_key="road-drain")
    [row] = get_json(client, f"{API}/requests.json?service_code=road-drain")
    assert row["service_request_id"] == case.display_number
    assert row["service_name"] == "การซ่อมถนนสาธารณะและรางระบายน้ำ"


def test_status_changes_show_in_status_and_status_notes(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    case = submit(org_a)
    url = f"{API}/requests/{case.display_number}.json"
    case = case_move(case=case, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    [row] = get_json(client, url)
    assert (row["status"], row["status_notes"]) == ("open", "รับเรื่อง")
    case = case_note(case=case, by=By.staff(staff_a.officer), expected_version=case.version,
                     public_message="ช่างจะเข้าไปตรวจสอบวันพรุ่งนี้",
                     internal_note="หลอดไฟในคลังหมด")  # fmt: skip
    [row] = get_json(client, url)
    assert row["status_notes"] == "กำลังดำเนินการ: ช่างจะเข้าไปตรวจสอบวันพรุ่งนี้"
    case_move(case=case, move=Move.COMPLETE, by=By.staff(staff_a.officer),
              public_message="เปลี่ยนหลอดไฟเรียบร้อยแล้ว")  # fmt: skip
    [row] = get_json(client, url)
    assert row["status"] == "closed"
    assert row["status_notes"] == "ดำเนินการแล้วเสร็จ: เปลี่ยนหลอดไฟเรียบร้อยแล้ว"
    [english] = get_json(client, url, **EN)
    assert english["status_notes"] == "Completed: เปลี่ยนหลอดไฟเรียบร้อยแล้ว"  # staff wrote Thai


# --- What must never leave ---------------------------------------------------------------------


def _everything(client: Client, case: Case, **extra: Any) -> str:
    """Every public answer that could mention `case`, in both formats, as one text."""
    urls = [
        "/wangchao/open311/discovery", f"{API}/services", f"{API}/services/street-light",
        f"{API}/services/tip-off", f"{API}/requests",
        f"{API}/requests/{case.display_number}",
    ]  # fmt: skip
    return "\n".join(
        client.get(f"{url}.{fmt}", **extra).content.decode()
        for url in urls
        for fmt in ("json", "xml")
    )


def test_nothing_personal_leaves_through_any_endpoint(
    client: Client, private: Case, staff_a: Staff
) -> None:
    case = case_move(case=private, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    case = case_move(
        case=case, move=Move.ASK, by=By.staff(staff_a.counter),
        public_message=f"เรียนคุณ{NAME_FIRST} {NAME_LAST} กรุณาโทรกลับที่ 089-123-4567 "
                       "หรือส่งอีเมลถึง private.person@example.com",
        internal_note="ผู้ร้องเคยร้องเรียนเรื่องเดียวกันมาแล้ว",
    )  # fmt: skip
    [row] = get_json(client, f"{API}/requests/{private.display_number}.json")
    assert row["status_notes"] == ("รอข้อมูลเพิ่มเติม: เรียนคุณ… … กรุณาโทรกลับที่ … หรือส่งอีเมลถึง …")
    text = _everything(client, private) + _everything(client, private, **EN)
    case_move(case=case, move=Move.ANSWER, by=By.citizen(), citizen_message="บ้านผมอยู่ท้ายซอย")
    text += _everything(client, private) + _everything(client, private, **EN)
    for secret in (
        NAME_FIRST, NAME_LAST, PHONE, "089-123-4567", "+66891234567",
        NATIONAL_ID, private.national_id_masked, HOUSE_NO, "พหลโยธิน", "หน้าร้านป้าแดง",
        "private.person@example.com", "แสงสว่างหน้าบ้านหายไป", "รายละเอียดที่ประชาชนเขียนเอง",
        "ผู้ร้องเคยร้องเรียน", "บ้านผมอยู่ท้ายซอย", "16.987654", "99.123456",
    ):  # fmt: skip
        assert secret not in text, secret
    [row] = get_json(client, f"{API}/requests/{private.display_number}.json")
    assert row["status_notes"] == "กำลังดำเนินการ"  # the question no longer explains the status


def test_a_confidential_request_never_appears(client: Client, org_a: Organisation) -> None:
    secret = submit(org_a, type_key="tip-off", subject=SECRET_SUBJECT)
    assert get_json(client, f"{API}/requests.json") == []
    assert get_json(client, f"{API}/requests.json?service_request_id={secret.number}") == []
    not_found = get_json(client, f"{API}/requests/{secret.display_number}.json", status=404)
    assert not_found == [{"code": 404, "description": f"ไม่พบคำร้องเลขที่ “{secret.display_number}”"}]
    text = _everything(client, secret)
    assert SECRET_SUBJECT not in text and "แจ้งเบาะแส" not in text


# --- CORS ---------------------------------------------------------------------------------------


def test_public_endpoints_may_be_read_from_any_site(client: Client, private: Case) -> None:
    for url in (f"{API}/services.json", f"{API}/requests.xml", "/wangchao/open311/discovery.xml",
                f"{API}/services/nothing.json"):  # fmt: skip
        response = client.get(url, HTTP_ORIGIN="https://dashboard.example.org")
        assert response["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options(
        f"{API}/requests.json", HTTP_ORIGIN="https://dashboard.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )  # fmt: skip
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_nothing_else_is_open_to_other_sites(client: Client, org_a: Organisation) -> None:
    for url in ("/", "/wangchao/", "/wangchao/oss/", "/wangchao/track/", "/wangchao/request/"):
        response = client.get(url, HTTP_ORIGIN="https://dashboard.example.org")
        assert "Access-Control-Allow-Origin" not in response, url


def test_writing_is_refused_in_the_error_format(client: Client, org_a: Organisation) -> None:
    response = client.post(f"{API}/services.json", {"service_code": "street-light"})
    assert response.status_code == 405
    assert json.loads(response.content)[0]["code"] == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    response = client.delete(f"{API}/requests.json")  # POST files a request (with a key)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert json.loads(response.content)[0]["code"] == 405


# --- Query budget -------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_listing_requests_costs_the_same_for_3_or_30(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            case = case_move(case=submit(org_a), move=Move.RECEIVE, by=By.staff(staff_a.counter))
            case_note(case=case, by=By.staff(staff_a.counter), expected_version=case.version,
                      public_message="กำลังตรวจสอบ")  # fmt: skip

    url = f"{API}/requests.json?page_size=100"
    add(3)
    few = _queries(client, url)
    add(27)
    assert len(get_json(client, url)) == 30
    assert _queries(client, url) == few
    assert few <= 3  # the organisation, the page of requests (and the session machinery none)
    assert _queries(client, f"{API}/services.xml") <= 2


def test_identifiers_in_a_staff_message_are_blanked_but_a_request_number_is_not() -> None:
    message = (
        "คุณมาลี ศรีสุข โทร 081 234 5678 หรือ +66 81 234 5678 เลขบัตร 1-1037-00012-34-6 "
        "อีเมล malee@example.com ซ้ำกับคำร้อง 69-04217-88315-6"
    )
    assert redact(message, names=("มาลี", "ศรีสุข")) == (
        "คุณ… … โทร … หรือ … เลขบัตร … อีเมล … ซ้ำกับคำร้อง 69-04217-88315-6"
    )
