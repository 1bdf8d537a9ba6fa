"""The back office in a real browser: the life of a request handled by three people, on a
desktop, a tablet and a phone, with an accessibility scan of the inbox and the case page."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from onestop.cases.demo import DEMO_PASSWORD, load_demo
from onestop.cases.models import Case
from onestop.cases.workflow import Status
from onestop.organisations.models import Organisation
from tests.browser import axe_violations, describe, wait_until
from tests.conftest import PASSWORD, Staff
from tests.factories import make_case
from tests.uploadfiles import jpeg_bytes

DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 820, "height": 1180}
SHOTS = os.environ.get("ONESTOP_SCREENSHOT_DIR", "")


@pytest.fixture
def desk(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A function that opens a fresh browser window of a given size, in Thai."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int]) -> Any:
        context = chromium.new_context(
            viewport=viewport, locale="th-TH", timezone_id="Asia/Bangkok"
        )
        contexts.append(context)
        page = context.new_page()
        page.base = live_server.url
        return page

    yield open_page
    for context in contexts:
        context.close()


def _sign_in(page: Any, username: str) -> None:
    page.goto(page.base + "/staff/login/")
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/staff/wangchao/**")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _open_action(page: Any, label: str) -> Any:
    summary = page.locator("summary", has_text=re.compile(f"^{re.escape(label)}$"))
    details = page.locator("details.action", has=summary)
    details.locator("summary").click()
    return details


def _citizen_tracks(page: Any, case: Case, *, status: str, message: str = "") -> None:
    """The citizen looks the request up on the tracking page, as after a text message."""
    page.goto(f"{page.base}/wangchao/track/")
    page.get_by_label("เลขที่คำร้อง").fill(case.display_number)
    page.get_by_label("เบอร์โทรศัพท์ 4 ตัวสุดท้าย").fill("5678")
    page.get_by_role("button", name="ค้นหา").click()
    assert page.locator(".status-line strong").inner_text() == status
    if message:
        assert page.locator(".public-message", has_text=message).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_counter_receives_and_assigns_officer_reports_progress_head_completes(
    desk: Any, phone: Any, org_a: Organisation, staff_a: Staff, tmp_path: Path
) -> None:
    case = make_case(org_a, type_key="general", subject="ไฟฟ้าสาธารณะดับทั้งซอย")
    for _ in range(3):
        make_case(org_a, subject="ขอถังขยะใบใหม่")

    counter = desk(DESKTOP)
    _sign_in(counter, "a-counter")
    assert "ไฟฟ้าสาธารณะดับทั้งซอย" in counter.content()
    _shot(counter, "inbox-desktop")
    violations = axe_violations(counter)
    assert violations == [], describe(violations)
    counter.get_by_role("link", name=case.display_number).click()
    _shot(counter, "case-desktop")
    violations = axe_violations(counter)
    assert violations == [], describe(violations)

    _open_action(counter, "รับเรื่อง").get_by_role("button", name="รับเรื่อง").click()
    assert "บันทึกแล้ว" in counter.content()
    _citizen_tracks(phone, case, status="รับเรื่อง")
    assign = _open_action(counter, "มอบหมายงาน")
    assign.get_by_label("กอง/สำนัก").select_option(label="กองช่าง")
    assign.get_by_label("เจ้าหน้าที่ผู้รับผิดชอบ").select_option(label="a-officer")
    assign.get_by_role("button", name="มอบหมายงาน").click()
    assert "บันทึกแล้ว" in counter.content()

    officer = desk(TABLET)
    _sign_in(officer, "a-officer")
    _shot(officer, "inbox-tablet")
    officer.get_by_role("link", name=case.display_number).click()
    note = _open_action(officer, "บันทึกความคืบหน้า")
    note.get_by_label("ข้อความถึงผู้ยื่นคำร้อง (ผู้ยื่นเห็นในหน้าติดตาม)").fill("ช่างจะเข้าไปเปลี่ยนหลอดไฟวันพรุ่งนี้")
    note.get_by_role("button", name="บันทึกความคืบหน้า").click()
    assert "ช่างจะเข้าไปเปลี่ยนหลอดไฟวันพรุ่งนี้" in officer.content()
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg_bytes())
    photo = _open_action(officer, "แนบภาพผลการดำเนินงาน")
    photo.get_by_label("ภาพผลการดำเนินงาน (JPG/PNG ไม่เกิน 5 MB)").set_input_files(after)
    assert photo.get_by_label("แสดงภาพนี้ต่อผู้ยื่นในหน้าติดตามผล").is_checked()
    photo.get_by_role("button", name="แนบภาพผลการดำเนินงาน").click()
    assert "บันทึกแล้ว" in officer.content()
    assert case.attachments.filter(kind="result", is_public=True).count() == 1
    _shot(officer, "case-tablet")
    _citizen_tracks(phone, case, status="กำลังดำเนินการ", message="ช่างจะเข้าไปเปลี่ยนหลอดไฟวันพรุ่งนี้")

    head = desk(DESKTOP)
    _sign_in(head, "a-head")
    head.goto(f"{head.base}/staff/wangchao/cases/{case.number}/")
    done = _open_action(head, "ดำเนินการแล้วเสร็จ")
    done.get_by_label("ผลการดำเนินงาน").fill("เปลี่ยนหลอดไฟครบทุกต้นแล้ว")
    done.get_by_role("button", name="ดำเนินการแล้วเสร็จ").click()
    assert "เปลี่ยนหลอดไฟครบทุกต้นแล้ว" in head.content()

    _citizen_tracks(phone, case, status="ดำเนินการแล้วเสร็จ", message="เปลี่ยนหลอดไฟครบทุกต้นแล้ว")
    assert phone.locator(".public-message", has_text="ช่างจะเข้าไปเปลี่ยนหลอดไฟ").count() == 1
    shown = phone.locator(".photos img")
    assert shown.count() == 1
    shown.scroll_into_view_if_needed()
    # The photo really loads (the image is served, not a broken link).
    wait_until(phone, "document.querySelector('.photos img').naturalWidth > 0")

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.assignee == staff_a.officer
    assert Case.objects.get(pk=case.pk).events.count() == 6


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_inbox_and_case_page_fit_a_phone(
    phone: Any, org_a: Organisation, staff_a: Staff, settings: Any, live_server: Any
) -> None:
    # The staff map draws the platform's tiles (a local image here: tests stay offline).
    settings.ONESTOP_MAP_TILES_URL = (
        live_server.url + "/static/vendor/leaflet/images/layers.png?{z}"
    )
    case = make_case(org_a, subject="ไฟฟ้าสาธารณะดับทั้งซอย")
    Case.objects.filter(pk=case.pk).update(latitude="16.913912", longitude="99.123456")
    _sign_in(phone, "a-counter")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(phone, "inbox-phone")
    phone.goto(f"{phone.base}/staff/wangchao/cases/{case.number}/")
    assert phone.locator("#case-map.leaflet-container").is_visible()  # the pin on a map
    tiles = phone.eval_on_selector_all("#case-map img.leaflet-tile", "t => t.map(i => i.src)")
    assert tiles and all(t.startswith(live_server.url + "/static/") for t in tiles), tiles
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(phone, "case-phone")
    violations = axe_violations(phone)
    assert violations == [], describe(violations)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_demo_counter_sees_a_realistic_inbox(desk: Any, no_personas: None) -> None:
    load_demo()
    for viewport, name in ((DESKTOP, "desktop"), (TABLET, "tablet")):
        page = desk(viewport)
        page.goto(page.base + "/staff/login/")
        page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill("wangchao-counter")
        page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_url("**/staff/wangchao/**")
        page.goto(page.base + "/staff/wangchao/?tab=all")
        assert page.locator("table.case-table tbody tr").count() >= 20
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        _shot(page, f"demo-inbox-{name}")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        page.locator("a.case-link").first.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        _shot(page, f"demo-case-{name}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_other_staff_pages_pass_axe_on_a_phone(
    phone: Any, org_a: Organisation, staff_a: Staff
) -> None:
    make_case(org_a)
    for path in ("/staff/login/", "/staff/password/reset/"):
        phone.goto(phone.base + path)
        violations = axe_violations(phone)
        assert violations == [], (path, describe(violations))
    _sign_in(phone, "a-counter")
    for path in ("/staff/wangchao/new/", "/staff/wangchao/templates/"):
        phone.goto(phone.base + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
        violations = axe_violations(phone)
        assert violations == [], (path, describe(violations))
    # A form sent empty shows its error summary, which passes too.
    phone.goto(phone.base + "/staff/wangchao/new/")
    phone.get_by_role("button", name="บันทึกคำร้อง").click()
    assert phone.locator(".error-summary").count() == 1
    violations = axe_violations(phone)
    assert violations == [], describe(violations)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_administrator_signs_in_with_a_code_and_the_admin_pages_pass_axe(
    desk: Any, org_a: Organisation, staff_a: Staff
) -> None:
    device = TOTPDevice.objects.create(user=staff_a.admin, name="app", confirmed=True)
    page = desk(TABLET)
    page.goto(page.base + "/staff/login/")
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill("a-admin@example.com")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/staff/2fa/**")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    page.get_by_label("รหัส 6 หลักจากแอปยืนยันตัวตน").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="ยืนยัน").click()
    page.wait_for_url("**/staff/wangchao/**")
    for path in ("members/", "catalogue/", "routing/", "audit/", "templates/"):
        page.goto(f"{page.base}/staff/wangchao/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"], path
        _shot(page, f"admin-{path.strip('/')}")
        violations = axe_violations(page)
        assert violations == [], (path, describe(violations))
