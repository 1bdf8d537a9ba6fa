"""The citizen pages that issue 10 made faster to use, in a real browser on a 360 px phone:
the One Stop Service centre's length and filter, the place step's autofill tokens and map,
and the file buttons in the page's language."""

from __future__ import annotations

import re
from typing import Any

import pytest

from onestop.cases.demo import load_demo
from onestop.organisations.models import Organisation
from tests.browser import PHONE, axe_violations, describe, wait_until
from tests.uploadfiles import jpeg_bytes
from tests.wizard import fill_step_one, fill_step_two

# One phone screen: a common 360-px Android phone is 360 × 800 CSS px (the issue counted the
# old 3,800 px page as "about 5 phone screens", 760 px each). "About two screens" is 2 × 800 px,
# header and footer included. Before this change the page was 3,953 px.
SCREEN = 800


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_oss_centre_fits_in_about_two_phone_screens(phone: Any, no_personas: None) -> None:
    load_demo()  # the demo organisation, its requests making the shortcuts
    heights = {}
    for language in ("th", "en"):
        phone.goto(phone.base + "/wangchao/oss/")
        if language == "en":
            phone.get_by_role("button", name="English").click()
        assert phone.locator("html").get_attribute("lang") == language
        assert phone.locator(".oss-chips a").count() == 3
        heights[language] = phone.evaluate("document.documentElement.scrollHeight")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        violations = axe_violations(phone)
        assert violations == [], describe(violations)
    print(f"OSS centre height at 360 px: {heights}")  # noqa: T201 (quoted in the report)
    assert max(heights.values()) <= 2 * SCREEN, heights
    phone.get_by_role("button", name="ภาษาไทย").click()

    # Typing filters at once, without a page load; the shortcuts step aside meanwhile.
    phone.get_by_role("searchbox").fill("ขยะ")
    wait_until(
        phone, "document.querySelectorAll('#oss-types li[data-search]:not([hidden])').length === 1"
    )
    assert phone.locator(".oss-popular").is_hidden()
    assert phone.locator("#oss-count").inner_text() == "พบ 1 เรื่อง"
    assert phone.get_by_role("link", name=re.compile("ขอถังรองรับขยะ")).is_visible()
    phone.get_by_role("searchbox").fill("")
    wait_until(
        phone, "document.querySelectorAll('#oss-types li[data-search][hidden]').length === 0"
    )


PLACE_TOKENS = {
    "house_no": "address-line1",
    "village_no": "on",
    "village": "address-line2",
    "soi": "on",
    "road": "address-line3",
    "subdistrict": "address-level3",
    "district": "address-level2",
    "province": "address-level1",
    "postcode": "postal-code",
    "landmark": "on",
}
LOCAL_TILES = "/static/vendor/leaflet/images/layers.png?{z}"  # tests never reach the internet


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_place_step_offers_autofill_and_opens_the_map_on_the_organisation(
    phone: Any, live_server: Any, org_a: Organisation, settings: Any
) -> None:
    settings.ONESTOP_MAP_TILES_URL = live_server.url + LOCAL_TILES
    Organisation.objects.filter(pk=org_a.pk).update(latitude="16.704167", longitude="99.242778")
    phone.goto(phone.base + "/wangchao/request/")
    fill_step_one(phone, "ไฟฟ้าสาธารณะ", "แจ้งไฟฟ้าดับ")
    assert "ขั้นตอนที่ 2 จาก 5" in phone.content()
    visible = phone.eval_on_selector_all(
        "form[data-lookup] input:not([type=hidden])",
        "inputs => inputs.map(i => [i.name, i.autocomplete, i.inputMode])",
    )
    assert {name: token for name, token, _mode in visible} == PLACE_TOKENS
    modes = {name: mode for name, _token, mode in visible}
    assert modes["postcode"] == modes["village_no"] == "numeric"
    # Latitude and longitude are no fields to type in.
    assert phone.locator("#id_latitude").get_attribute("type") == "hidden"
    assert phone.get_by_label("ละติจูด").count() == 0

    phone.wait_for_selector("#map.leaflet-container")
    wait_until(phone, "!!document.getElementById('map').dataset.view")
    latitude, longitude, zoom = map(
        float, phone.locator("#map").get_attribute("data-view").split(",")
    )
    # Wang Chao district (geocode 6309) spans about 16.55-16.85 N, 99.05-99.45 E.
    assert 16.55 < latitude < 16.85 and 99.05 < longitude < 99.45, (latitude, longitude)
    assert abs(latitude - 16.704167) < 0.001 and abs(longitude - 99.242778) < 0.001
    assert zoom >= 13  # the town, not the country
    assert phone.locator("#no-map-help").is_hidden()  # the words-only hint is for no map


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_place_is_told_in_words(
    chromium: Any, live_server: Any, org_a: Organisation, settings: Any
) -> None:
    settings.ONESTOP_MAP_TILES_URL = live_server.url + LOCAL_TILES
    context = chromium.new_context(java_script_enabled=False, viewport=PHONE, locale="th-TH")
    try:
        page = context.new_page()
        page.base = live_server.url
        page.goto(live_server.url + "/wangchao/request/")
        fill_step_one(page, "ไฟฟ้าสาธารณะ", "แจ้งไฟฟ้าดับ")
        assert page.locator("#map").is_hidden() and page.locator("#no-map-help").is_visible()
        page.get_by_label("จุดสังเกต").fill("หน้าวัดเชียงทอง")
        page.get_by_role("button", name="ต่อไป").click()
        assert "ขั้นตอนที่ 3 จาก 5" in page.content()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "button"), [("th", "เลือกไฟล์"), ("en", "Choose file")])
def test_file_buttons_speak_the_pages_language_and_work_by_keyboard(
    phone: Any, org_a: Organisation, language: str, button: str, tmp_path: Any
) -> None:
    phone.goto(phone.base + "/wangchao/request/")
    fill_step_one(phone, "ไฟฟ้าสาธารณะ", "แจ้งไฟฟ้าดับ")
    fill_step_two(phone)
    phone.get_by_role("button", name="ต่อไป").click()
    if language == "en":
        phone.get_by_role("button", name="English").click()
    assert phone.locator("html").get_attribute("lang") == language
    buttons = phone.locator(".file-button")
    assert buttons.count() == 2
    assert [b.inner_text() for b in buttons.all()] == [button, button]
    assert all(b.is_visible() for b in buttons.all())
    # The browser's own control (its text in the browser's language) is not what is seen.
    assert phone.locator("#id_documents").bounding_box()["width"] <= 1
    # The keyboard reaches the input itself; clicking the page's button opens the picker.
    phone.locator("#id_documents").focus()
    assert phone.evaluate("document.activeElement.id") == "id_documents"
    with phone.expect_file_chooser() as chooser:
        buttons.first.click()
    photo = tmp_path / "ไฟดับ.jpg"
    photo.write_bytes(jpeg_bytes(800, 600))
    chooser.value.set_files(str(photo))
    assert phone.locator(".file-chosen").first.inner_text() == "ไฟดับ.jpg"
