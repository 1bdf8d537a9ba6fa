"""The request wizard in a real browser on a phone: filed end to end, accessible at every step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from onestop.cases.models import Case
from onestop.organisations.models import Organisation
from tests.browser import PHONE, axe_violations, describe, wait_until
from tests.documents_helpers import pdf_text
from tests.factories import valid_national_id
from tests.uploadfiles import jpeg_bytes
from tests.wizard import fill_step_one, fill_step_two

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def check_page(page: Any, name: str) -> None:
    """No horizontal scroll at 360 px, no axe violation; a full-page screenshot for people."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"wizard-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.set_viewport_size({"width": 320, "height": PHONE["height"]})  # the smallest phones
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{name} at 320 px"
    page.set_viewport_size(PHONE)
    violations = axe_violations(page)
    assert violations == [], f"{name}: {describe(violations)}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_files_a_request_on_a_phone_from_start_to_number(
    phone: Any, org_a: Organisation, tmp_path: Path
) -> None:
    phone.goto(phone.base + "/wangchao/request/privacy/")
    check_page(phone, "0-privacy")
    phone.goto(phone.base + "/wangchao/request/")
    assert "ขั้นตอนที่ 1 จาก 5" in phone.content()
    check_page(phone, "1-details")

    # An error state first: nothing filled in. The summary gets the focus and links the fields.
    phone.get_by_role("button", name="ต่อไป").click()
    wait_until(phone, "document.activeElement.id === 'error-summary'")
    check_page(phone, "1-details-errors")

    fill_step_one(phone, "ไฟฟ้าสาธารณะ", "แจ้งไฟฟ้าดับหน้าบ้าน")

    assert "ขั้นตอนที่ 2 จาก 5" in phone.content()
    assert phone.get_by_label("อำเภอ/เขต").input_value() == "วังเจ้า"
    fill_step_two(phone)
    check_page(phone, "2-place")
    phone.get_by_role("button", name="ต่อไป").click()

    assert "ขั้นตอนที่ 3 จาก 5" in phone.content()
    check_page(phone, "3-documents")
    svg = tmp_path / "แผนที่.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    phone.locator("#id_documents").set_input_files(str(svg))
    phone.get_by_role("button", name="แนบไฟล์และเลือกเพิ่ม").click()
    assert "ไฟล์ “แผนที่.svg”" in phone.locator("#error-summary").inner_text()
    check_page(phone, "3-documents-error")
    photo = tmp_path / "ไฟดับ.jpg"
    photo.write_bytes(jpeg_bytes(1200, 900, gps=True))
    phone.locator("#id_documents").set_input_files(str(photo))
    phone.get_by_role("button", name="แนบไฟล์และเลือกเพิ่ม").click()
    assert "ไฟดับ.jpg" in phone.locator(".files").inner_text()
    check_page(phone, "3-documents-uploaded")
    phone.get_by_role("button", name="ต่อไป").click()

    assert "ขั้นตอนที่ 4 จาก 5" in phone.content()
    wait_until(
        phone,
        "[...document.querySelectorAll('.thumbs img')]"
        ".every(i => i.complete && i.naturalWidth > 0)",
    )
    check_page(phone, "4-review")
    phone.goto(phone.base + "/wangchao/request/confirm/")  # what browsers without JS get
    check_page(phone, "4-confirm-page")
    phone.go_back()
    phone.get_by_role("button", name="ส่งเรื่อง").click()
    dialog = phone.get_by_role("dialog")
    assert dialog.is_visible()
    assert "ยืนยันการเพิ่มคำร้อง/ร้องเรียน?" in dialog.inner_text()
    check_page(phone, "4-review-dialog")
    assert Case.objects.count() == 0  # nothing filed before "ยืนยัน"
    dialog.get_by_role("button", name="ยืนยัน").click()

    phone.wait_for_selector("#case-number")
    assert "ทำรายการสำเร็จ" in phone.content()
    number = phone.locator("#case-number").inner_text().strip()
    case = Case.objects.get()
    assert number == case.display_number
    assert case.attachments.count() == 1
    check_page(phone, "5-done")

    # The request document: downloaded, its text read back with pdftotext.
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="ดาวน์โหลด/พิมพ์เอกสารคำร้อง (PDF)").click()
    pdf = tmp_path / "request.pdf"
    download_info.value.save_as(str(pdf))
    text = pdf_text(pdf.read_bytes())
    assert number in text
    assert "แจ้งไฟฟ้าดับหน้าบ้าน" in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_wizard_works_without_javascript(
    chromium: Any, live_server: Any, org_a: Organisation
) -> None:
    context = chromium.new_context(viewport=PHONE, locale="th-TH", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wangchao/request/")
        page.get_by_label("คำร้องทั่วไป").check()
        page.get_by_label("หัวข้อเรื่อง").fill("ขอยืมเต็นท์")
        page.get_by_label("ระบุรายละเอียด").fill("ขอยืมเต็นท์สองหลังสำหรับงานบุญ")
        page.get_by_label("คำนำหน้า").fill("นาย")
        page.get_by_label("ชื่อ", exact=True).fill("สมชาย")
        page.get_by_label("นามสกุล").fill("ใจดี")
        page.get_by_label("หมายเลขบัตรประชาชน 13 หลัก").fill(valid_national_id())
        page.get_by_label("เบอร์โทรศัพท์มือถือ").fill("0812345678")
        page.locator("#id_privacy").check()
        page.get_by_role("button", name="ต่อไป").click()
        page.get_by_role("button", name="ไม่ระบุสถานที่").click()
        page.get_by_role("button", name="ต่อไป").click()
        page.get_by_role("button", name="ส่งเรื่อง").click()  # no dialog: a confirmation page
        assert "ยืนยันการเพิ่มคำร้อง/ร้องเรียน?" in page.content()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "wizard-4-confirm-page-nojs.png"), full_page=True)
        page.get_by_role("button", name="ยืนยัน").click()
        assert Case.objects.get().display_number in page.locator("#case-number").inner_text()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_pin_on_the_map_or_my_location_fills_the_coordinates(
    phone: Any, live_server: Any, org_a: Organisation, settings: Any
) -> None:
    # A local image stands in for the map tiles: tests never reach the internet.
    settings.ONESTOP_MAP_TILES_URL = (
        live_server.url + "/static/vendor/leaflet/images/layers.png?{z}"
    )
    phone.context.grant_permissions(["geolocation"])
    phone.context.set_geolocation({"latitude": 16.8734, "longitude": 99.0854})
    phone.goto(phone.base + "/wangchao/request/")
    fill_step_one(phone, "ไฟฟ้าสาธารณะ", "แจ้งไฟฟ้าดับ")
    phone.wait_for_selector("#map.leaflet-container")
    phone.locator("#map").click(position={"x": 150, "y": 120})
    assert phone.locator("#id_latitude").input_value() != ""  # hidden: filled by the pin
    assert "ปักหมุดแล้ว" in phone.locator("#location-status").inner_text()
    phone.get_by_role("button", name="ใช้ตำแหน่งปัจจุบันของฉัน").click()
    wait_until(phone, "document.getElementById('id_latitude').value === '16.873400'")
    assert phone.locator("#id_longitude").input_value() == "99.085400"
    check_page(phone, "2-place-map")
    phone.get_by_role("button", name="ต่อไป").click()
    assert "ขั้นตอนที่ 3 จาก 5" in phone.content()
