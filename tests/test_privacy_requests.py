"""Data-subject requests (PDPA) from the back office: an administrator finds every request of one
person by national ID, exports them, and erases the personal data of the closed ones; open ones
are kept with the reason said. Only administrators, only their organisation, every step in the
audit trail with the ID masked."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from onestop.cases.models import Case
from onestop.cases.services import By, case_move
from onestop.cases.workflow import Move
from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case, valid_national_id

URL = "/staff/wangchao/privacy/"


@pytest.fixture
def person(org_a: Organisation, staff_a: Staff) -> tuple[str, Case, Case]:
    national_id = valid_national_id()
    closed = make_case(org_a, national_id=national_id, subject="ขอรับเบี้ยยังชีพ")
    by = By.staff(staff_a.head)
    closed = case_move(case=closed, move=Move.RECEIVE, by=by)
    closed = case_move(case=closed, move=Move.COMPLETE, by=by, public_message="อนุมัติแล้ว")
    still_open = make_case(org_a, national_id=national_id, subject="ถนนชำรุด")
    make_case(org_a, national_id=valid_national_id(), subject="คนอื่น")
    return national_id, closed, still_open


def admin(client: Client, staff: Staff) -> Client:
    return sign_in(client, staff.admin)


def dashed(national_id: str) -> str:
    d = national_id
    return f"{d[0]}-{d[1:5]}-{d[5:10]}-{d[10:12]}-{d[12]}"


def test_an_administrator_finds_every_request_of_a_person(
    client: Client, staff_a: Staff, person: tuple[str, Case, Case]
) -> None:
    national_id, closed, still_open = person
    html = (
        admin(client, staff_a)
        .post(URL, {"step": "find", "national_id": dashed(national_id)})
        .content.decode()
    )
    assert closed.display_number in html and still_open.display_number in html
    assert "คนอื่น" not in html
    entry = AuditLog.objects.filter(action=AuditAction.DATA_SUBJECT_SEARCH).latest("pk")
    assert entry.details == {"found": 2}
    assert national_id not in json.dumps(entry.details) + entry.object_ref  # masked


def test_the_export_holds_everything_about_the_person_and_is_audited(
    client: Client, staff_a: Staff, person: tuple[str, Case, Case]
) -> None:
    national_id, closed, still_open = person
    response = admin(client, staff_a).post(URL, {"step": "export", "national_id": national_id})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    numbers = {item["number"] for item in data["requests"]}
    assert numbers == {closed.display_number, still_open.display_number}
    assert {item["requester"]["national_id"] for item in data["requests"]} == {national_id}
    assert any(
        event["message_to_you"] == "อนุมัติแล้ว"
        for item in data["requests"]
        for event in item["timeline"]
    )
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="person").exists()


def test_erasing_removes_the_closed_requests_data_and_keeps_the_open_one(
    client: Client, staff_a: Staff, person: tuple[str, Case, Case]
) -> None:
    national_id, closed, still_open = person
    response = admin(client, staff_a).post(
        URL, {"step": "erase", "national_id": national_id, "confirm": "yes"}, follow=True
    )
    html = response.content.decode()
    assert "ลบข้อมูลส่วนบุคคลออกจากคำร้อง 1 เรื่องแล้ว" in html
    assert "ยังดำเนินการอยู่ 1 เรื่อง" in html
    closed.refresh_from_db()
    still_open.refresh_from_db()
    assert closed.anonymised_at is not None and closed.requester_first_name == ""
    assert still_open.anonymised_at is None and still_open.requester_first_name != ""
    entry = AuditLog.objects.filter(action=AuditAction.PERSONAL_DATA_ERASE).latest("pk")
    assert entry.details["erased"] == [closed.display_number]
    assert entry.details["kept_open"] == [still_open.display_number]


def test_erasing_needs_the_confirmation(
    client: Client, staff_a: Staff, person: tuple[str, Case, Case]
) -> None:
    national_id, closed, _open = person
    html = (
        admin(client, staff_a)
        .post(URL, {"step": "erase", "national_id": national_id})
        .content.decode()
    )
    assert "กรุณาทำเครื่องหมายยืนยันก่อนลบข้อมูล" in html
    closed.refresh_from_db()
    assert closed.anonymised_at is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "กรุณากรอกหมายเลขบัตรประชาชน 13 หลัก"),
        ("12345", "ต้องเป็นตัวเลข 13 หลัก"),
        ("1234567890123", "เลขตรวจสอบหลักสุดท้ายไม่ตรง"),
        ("<script>alert(1)</script>", "ต้องเป็นตัวเลข 13 หลัก"),
        ("1" * 41, "ไม่เกิน 40"),
    ],
)
def test_a_wrong_national_id_is_pointed_out(
    client: Client, staff_a: Staff, value: str, message: str
) -> None:
    html = admin(client, staff_a).post(URL, {"step": "find", "national_id": value}).content.decode()
    assert message in html
    assert "<script>alert(1)" not in html


def test_the_english_page(client: Client, staff_a: Staff) -> None:
    html = admin(client, staff_a).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Data subject requests" in html


def test_the_retention_period_is_set_with_a_minimum_and_audited(
    client: Client, staff_a: Staff, org_a: Organisation
) -> None:
    c = admin(client, staff_a)
    html = c.post(URL, {"step": "retention", "personal_data_retention_days": "30"}).content
    assert "ต้องไม่น้อยกว่า 365 วัน" in html.decode()
    saved = c.post(URL, {"step": "retention", "personal_data_retention_days": "730"})
    assert saved.status_code == 302
    org_a.refresh_from_db()
    assert org_a.personal_data_retention_days == 730
    entry = AuditLog.objects.filter(action=AuditAction.STAFF_CHANGE).latest("pk")
    assert entry.details["personal_data_retention_days"][1] == 730


@pytest.mark.parametrize("role", ["counter", "officer", "head", "executive"])
def test_only_administrators_have_the_page(client: Client, staff_a: Staff, role: str) -> None:
    sign_in(client, getattr(staff_a, role))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"step": "find", "national_id": valid_national_id()}).status_code == 404


def test_another_organisations_administrator_finds_nothing_here(
    client: Client, staff_b: Staff, org_b: Organisation, person: tuple[str, Case, Case]
) -> None:
    national_id, _closed, _open = person
    sign_in(client, staff_b.admin)
    assert client.post(URL, {"step": "find", "national_id": national_id}).status_code == 404
    own = client.post(
        f"/staff/{org_b.slug}/privacy/", {"step": "find", "national_id": national_id}
    ).content.decode()
    assert "ไม่พบคำร้องของบุคคลนี้" in own
