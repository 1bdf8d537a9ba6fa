"""The citizen's path on a phone, in a real browser: a request filed through the wizard, then
home → organisation → One Stop Service centre → check results → status; then staff move the
request on, and the citizen rates it.
Every page is scanned with axe-core and must not scroll sideways at 360 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from onestop.cases.models import Case
from onestop.cases.services import NewFile, attachment_add, case_transition
from onestop.cases.workflow import Actor, Status
from onestop.organisations.models import Organisation
from onestop.tracking.models import Feedback, FeedbackKind
from tests.browser import axe_violations, describe, wait_until
from tests.factories import make_case
from tests.wizard import file_a_street_light_request

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "tracking"


def looks_right(page: Any, name: str) -> None:
    """No sideways scroll on the phone, no axe violation; a full-page screenshot to look at."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name}: the page is {width}px wide"
    violations = axe_violations(page)
    assert violations == [], f"{name}: {describe(violations)}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def staff_move(case: Case, *statuses: Status, message: str = "") -> Case:
    for to in statuses:
        case = case_transition(case=case, to=to, actor_kind=Actor.STAFF, public_message=message)
    return case


def _png() -> bytes:
    import io  # noqa: PLC0415 (only here)

    from PIL import Image  # noqa: PLC0415

    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_follows_their_request_from_the_home_page_to_a_rating(
    phone: Any, org_a: Organisation, org_b: Organisation
) -> None:
    mobile = "089 765 4321"
    number = file_a_street_light_request(phone, org_a, mobile=mobile)
    case = Case.objects.get(organisation=org_a)
    assert number == case.display_number

    phone.goto(phone.base + "/")
    looks_right(phone, "01-home")
    phone.get_by_label("ชื่อองค์กร (พิมพ์บางส่วนของชื่อก็ได้)").fill("วังเจ้า")
    phone.get_by_role("button", name="ค้นหา").click()
    looks_right(phone, "02-home-results")
    phone.get_by_role("link", name="เทศบาลตำบลวังเจ้า").click()

    assert phone.locator("h1").inner_text() == "เทศบาลตำบลวังเจ้า"
    looks_right(phone, "03-organisation")
    phone.get_by_role("link", name="ศูนย์บริการจุดเดียวเบ็ดเสร็จ").click()

    assert phone.locator("h1").inner_text() == "ศูนย์บริการจุดเดียวเบ็ดเสร็จ"
    looks_right(phone, "04-oss-centre")
    phone.get_by_role("link", name="ตรวจสอบผลดำเนินการ").click()

    looks_right(phone, "05-check")
    phone.get_by_label("เลขที่คำร้อง").fill(number)
    phone.get_by_label("เบอร์โทรศัพท์ 4 ตัวสุดท้าย").fill("0000")
    phone.get_by_role("button", name="ค้นหา").click()
    assert "ไม่พบคำร้อง" in phone.content()
    looks_right(phone, "06-check-not-found")
    assert "0000" not in phone.url and "digits" not in phone.url

    phone.get_by_label("เบอร์โทรศัพท์ 4 ตัวสุดท้าย").fill(mobile[-4:])
    phone.get_by_role("button", name="ค้นหา").click()
    assert phone.url.endswith("/wangchao/track/status/")
    assert phone.locator(".status-badge").inner_text() == "ยื่นคำร้อง"
    assert number in phone.content()
    assert "แจ้งไฟฟ้าดับหน้าบ้าน" in phone.content()
    looks_right(phone, "07-status-submitted")

    case = staff_move(case, Status.RECEIVED)
    staff_move(case, Status.IN_PROGRESS, message="ช่างจะเข้าไปเปลี่ยนหลอดไฟวันพรุ่งนี้")
    phone.reload()
    assert phone.locator(".status-badge").inner_text() == "กำลังดำเนินการ"
    assert "ช่างจะเข้าไปเปลี่ยนหลอดไฟวันพรุ่งนี้" in phone.content()
    assert "ยกเลิกคำร้องนี้" not in phone.content()
    looks_right(phone, "08-status-in-progress")

    case = staff_move(Case.objects.get(pk=case.pk), Status.COMPLETED, message="เปลี่ยนหลอดแล้ว")
    after = NewFile(_png(), "after.png", "image/png", "png", kind="result")  # type: ignore[arg-type]
    attachment_add(case=case, new_file=after, is_public=True)
    phone.reload()
    assert phone.locator(".status-badge").inner_text() == "ดำเนินการแล้วเสร็จ"
    phone.locator(".photos img").scroll_into_view_if_needed()
    wait_until(phone, "document.querySelector('.photos img').naturalWidth === 320")
    looks_right(phone, "09-status-completed")

    phone.get_by_role("button", name="แก้ไขแล้ว").click()
    phone.get_by_label("5 พอใจมากที่สุด").check()
    phone.get_by_label("ความคิดเห็นเพิ่มเติม (ถ้ามี)").fill("รวดเร็วมาก")
    phone.get_by_role("button", name="ส่งความคิดเห็น").click()
    assert "ท่านให้คะแนนความพึงพอใจ 5 จาก 5 แล้ว" in phone.content()
    looks_right(phone, "10-status-rated")
    kinds = set(Feedback.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {FeedbackKind.SOLVED, FeedbackKind.RATING}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_other_pages_and_states_pass_axe_on_a_phone(phone: Any, org_a: Organisation) -> None:
    case = make_case(org_a, phone="0812345678")
    case = staff_move(case, Status.RECEIVED)
    staff_move(
        case, Status.WAITING_CITIZEN,
        message="กรุณาส่งรูปถ่ายเสาไฟที่ดับ และบอกว่าอยู่หน้าบ้านเลขที่เท่าไร",
    )  # fmt: skip

    phone.goto(phone.base + "/wangchao/track/")
    phone.get_by_role("button", name="ค้นหา").click()  # empty: the error summary
    assert phone.locator(".error-summary a").count() == 2
    looks_right(phone, "11-check-errors")

    phone.goto(phone.base + f"/wangchao/track/?number={case.number}")
    assert phone.get_by_label("เลขที่คำร้อง").input_value() == case.display_number
    phone.get_by_label("เบอร์โทรศัพท์ 4 ตัวสุดท้าย").fill("5678")
    phone.get_by_role("button", name="ค้นหา").click()
    assert phone.locator(".status-badge").inner_text() == "รอข้อมูลเพิ่มเติม"
    looks_right(phone, "12-status-waiting")
    phone.get_by_role("button", name="ส่งข้อมูล").click()  # empty message
    looks_right(phone, "13-status-waiting-error")
    phone.get_by_role("textbox", name="ข้อมูลเพิ่มเติม").fill("หน้าบ้านเลขที่ 12/3 เสาต้นที่สอง")
    phone.get_by_role("button", name="ส่งข้อมูล").click()
    assert phone.locator(".status-badge").inner_text() == "กำลังดำเนินการ"

    other = make_case(org_a, phone="0899999999")
    phone.goto(phone.base + "/wangchao/track/")
    for _attempt in range(5):
        phone.get_by_label("เลขที่คำร้อง").fill(other.display_number)
        phone.get_by_label("เบอร์โทรศัพท์ 4 ตัวสุดท้าย").fill("1111")
        phone.get_by_role("button", name="ค้นหา").click()
    assert "ลองหลายครั้งเกินไป" in phone.content()
    looks_right(phone, "14-check-locked")

    phone.goto(phone.base + "/")
    phone.get_by_role("button", name="English").click()
    for path, name in [
        ("/", "15-en-home"), ("/wangchao/", "16-en-organisation"),
        ("/wangchao/oss/", "17-en-oss-centre"), ("/wangchao/track/", "18-en-check"),
    ]:  # fmt: skip
        phone.goto(phone.base + path)
        assert phone.locator("html").get_attribute("lang") == "en"
        looks_right(phone, name)
