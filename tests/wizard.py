"""Helpers for driving the request wizard: through Django's test client, and on a phone in a
real browser (a Playwright page from the `phone` fixture)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from onestop.eservice.wizard import WizardState
from onestop.organisations.models import Organisation
from tests.browser import wait_until
from tests.factories import request_type, valid_national_id
from tests.uploadfiles import jpeg_bytes, upload


def url(organisation: Organisation, step: str = "") -> str:
    return f"/{organisation.slug}/request/{step + '/' if step else ''}"


def details_data(
    organisation: Organisation, type_key: str = "street-light", **overrides: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "request_type": request_type(organisation, type_key).pk,
        "subject": "แจ้งไฟฟ้าดับ",
        "details": "ไฟส่องสว่างหน้าบ้านดับมาสามคืนแล้ว",
        "title": "นาง",
        "first_name": "มาลี",
        "last_name": "ศรีสุข",
        "national_id": valid_national_id(),
        "phone": "081-234-5678",
        "email": "",
        "privacy": "on",
    }
    data.update(overrides)
    return data


PLACE = {
    "house_no": "12/3",
    "village_no": "4",
    "road": "พหลโยธิน",
    "subdistrict": "เชียงทอง",
    "district": "วังเจ้า",
    "province": "ตาก",
    "postcode": "",
    "landmark": "หน้าวัด",
    "action": "next",
}


def fill_details(client: Client, organisation: Organisation, **overrides: Any) -> None:
    response = client.post(url(organisation), details_data(organisation, **overrides))
    assert response.status_code == 302, response.content.decode()


def fill_place(client: Client, organisation: Organisation, **overrides: Any) -> None:
    response = client.post(url(organisation, "place"), {**PLACE, **overrides})
    assert response.status_code == 302, response.content.decode()


def fill_documents(client: Client, organisation: Organisation, *files: Any, **extra: Any) -> None:
    data: dict[str, Any] = {"action": "next", **extra}
    if files:
        data["documents"] = list(files)
    response = client.post(url(organisation, "documents"), data)
    assert response.status_code == 302, response.content.decode()


def to_review(client: Client, organisation: Organisation, type_key: str = "street-light") -> None:
    fill_details(client, organisation, type_key=type_key)
    fill_place(client, organisation)
    fill_documents(client, organisation, upload("ไฟดับ.jpg", jpeg_bytes(gps=True), "image/jpeg"))


def wizard_state(client: Client, organisation: Organisation) -> dict[str, Any]:
    """The wizard's state as the session stores it (`WizardState.to_session`), plus
    `documents_done`: whether the step it has reached is past the documents step."""
    stored: dict[str, Any] = client.session.get(f"eservice:{organisation.slug}") or {}
    state = WizardState.from_session(stored)
    if state is None:
        return {}
    return {**stored, "documents_done": state.has_reached("review")}


def submission_key(client: Client, organisation: Organisation) -> str:
    return str(wizard_state(client, organisation)["submission_key"])


def confirm(client: Client, organisation: Organisation, key: str | None = None) -> Any:
    key = key if key is not None else submission_key(client, organisation)
    return client.post(url(organisation, "confirm"), {"submission_key": key})


# In a real browser


def fill_step_one(
    page: Any, type_label: str, subject: str, *, mobile: str = "081 234 5678"
) -> None:
    page.get_by_label(type_label).check()
    page.get_by_label("หัวข้อเรื่อง").fill(subject)
    page.get_by_label("ระบุรายละเอียด").fill("ไฟส่องสว่างหน้าบ้านเลขที่ 12/3 ดับมาสามคืนแล้ว")
    page.get_by_label("คำนำหน้า").fill("นาง")
    page.get_by_label("ชื่อ", exact=True).fill("มาลี")
    page.get_by_label("นามสกุล").fill("ศรีสุข")
    page.get_by_label("หมายเลขบัตรประชาชน 13 หลัก").fill(valid_national_id())
    page.get_by_label("เบอร์โทรศัพท์มือถือ").fill(mobile)
    page.locator("#id_privacy").check()
    page.get_by_role("button", name="ต่อไป").click()


def fill_step_two(page: Any) -> None:
    """The place in Wang Chao: a house number and a subdistrict; the page fills the postcode."""
    page.get_by_label("บ้านเลขที่").fill("12/3")
    page.get_by_label("ตำบล/แขวง").fill("นาโบสถ์")
    page.get_by_label("ตำบล/แขวง").dispatch_event("change")
    wait_until(page, "document.getElementById('id_postcode').value === '63180'")


def file_a_street_light_request(page: Any, organisation: Organisation, *, mobile: str) -> str:
    """All five steps, without attachments; returns the request number the done page shows."""
    page.goto(page.base + url(organisation))
    fill_step_one(page, "ไฟฟ้าสาธารณะ", "แจ้งไฟฟ้าดับหน้าบ้าน", mobile=mobile)
    fill_step_two(page)
    page.get_by_role("button", name="ต่อไป").click()
    assert "ขั้นตอนที่ 3 จาก 5" in page.content()
    page.get_by_role("button", name="ต่อไป").click()  # no documents
    page.get_by_role("button", name="ส่งเรื่อง").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()
    page.wait_for_selector("#case-number")
    assert "ทำรายการสำเร็จ" in page.content()
    return str(page.locator("#case-number").inner_text().strip())
