"""The clerk's screens in a real browser at a 1366 px desk: the header navigation on one line
for every role, the bulk bar showing only the chosen action's fields, and requesters' names
that wrap only between words in a narrow column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from onestop.cases.models import Case
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case

DESK = {"width": 1366, "height": 768}


@pytest.fixture
def desk(chromium: Any, live_server: Any) -> Iterator[Any]:
    """Opens a page at `viewport`, signed in as `user` (their session cookie), in Thai."""
    contexts: list[Any] = []

    def open_as(user: User, viewport: dict[str, int] = DESK) -> Any:
        client = sign_in(Client(), user)
        context = chromium.new_context(viewport=viewport, locale="th-TH")
        context.add_cookies([{
            "name": "sessionid", "value": client.cookies["sessionid"].value,
            "url": live_server.url,
        }])  # fmt: skip
        contexts.append(context)
        page = context.new_page()
        page.base = live_server.url
        return page

    yield open_as
    for context in contexts:
        context.close()


# Every item of the header navigation: their tops differ by less than half a line.
NAV_ROWS = """() => {
  const nav = document.querySelector('.staff-nav');
  const items = [...nav.querySelectorAll(':scope > *, .staff-links > li')]
    .filter(e => e.getClientRects().length);
  const tops = items.map(e => Math.round(e.getBoundingClientRect().top));
  return {tops, height: nav.getBoundingClientRect().height};
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["counter", "officer", "head", "executive", "admin"])
def test_the_header_navigation_fits_on_one_line_at_1366_px_for_every_role(
    desk: Any, org_a: Organisation, staff_a: Staff, role: str
) -> None:
    user = getattr(staff_a, role)
    User.objects.filter(pk=user.pk).update(first_name="ประภาพรรณ", last_name="ศรีสวัสดิ์วงศ์")
    page = desk(user)
    page.goto(page.base + "/staff/wangchao/")
    measured = page.evaluate(NAV_ROWS)
    tops = measured["tops"]
    assert len(tops) >= 4
    assert max(tops) - min(tops) < 12, f"{role}: the navigation wraps ({tops})"
    assert measured["height"] < 70, measured
    assert page.evaluate("document.documentElement.scrollWidth") <= DESK["width"]
    # The other pages are one click away, in menus that open without JavaScript.
    page.locator(".nav-menu > summary", has_text="ตั้งค่าและเอกสาร").click()
    assert page.get_by_role("link", name="โปสเตอร์ QR (PDF)").is_visible()
    if role == "admin":
        assert page.get_by_role("link", name="บันทึกการเข้าถึงข้อมูล").is_visible()
    page.locator(".staff-who > summary").click()
    assert page.get_by_role("button", name="ออกจากระบบ").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_bulk_bar_shows_only_the_fields_of_the_chosen_action(
    desk: Any, org_a: Organisation, staff_a: Staff
) -> None:
    make_case(org_a)
    page = desk(staff_a.counter)
    page.goto(page.base + "/staff/wangchao/?tab=all")
    page.locator("details.bulk-bar > summary").click()
    visible = {
        "assign": {"bulk-department", "bulk-assignee"},
        "forward": {"bulk-agency", "bulk-letter", "bulk-message"},
        "duplicate": {"bulk-original"},
        "reject": {"bulk-message"},
    }
    every = {"bulk-department", "bulk-assignee", "bulk-original", "bulk-message",
             "bulk-agency", "bulk-letter"}  # fmt: skip
    assert not page.locator("[data-bulk-note]").is_visible()  # the no-JS note is hidden
    for action, shown in visible.items():
        page.select_option("#bulk-action", action)
        for field in every:
            assert page.locator(f"#{field}").is_visible() == (field in shown), (action, field)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_bulk_bar_shows_every_field_with_a_note(
    chromium: Any, live_server: Any, org_a: Organisation, staff_a: Staff
) -> None:
    make_case(org_a)
    client = sign_in(Client(), staff_a.counter)
    context = chromium.new_context(viewport=DESK, locale="th-TH", java_script_enabled=False)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])  # fmt: skip
    page = context.new_page()
    page.goto(live_server.url + "/staff/wangchao/?tab=all")
    page.locator("details.bulk-bar > summary").click()
    assert page.locator("[data-bulk-note]").is_visible()
    for field in ("bulk-department", "bulk-original", "bulk-message", "bulk-agency"):
        assert page.locator(f"#{field}").is_visible()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_names_in_a_narrow_inbox_column_break_only_between_words(
    desk: Any, org_a: Organisation, staff_a: Staff
) -> None:
    for first, last in (("ประภาพรรณ", "ศรีสวัสดิ์วงศ์"), ("เฉลิมพระเกียรติ", "ณ อยุธยา")):
        case = make_case(org_a)
        Case.objects.filter(pk=case.pk).update(requester_first_name=first, requester_last_name=last)
    page = desk(staff_a.counter, {"width": 800, "height": 900})
    page.goto(page.base + "/staff/wangchao/?tab=all")
    words = page.locator("td.col-name .w")
    assert words.count() >= 6
    # A word cut across two lines would have two boxes; every one has exactly one.
    assert page.evaluate(
        "() => [...document.querySelectorAll('td.col-name .w')]"
        ".every(w => w.getClientRects().length === 1)"
    )
    widths = page.evaluate(
        "() => [...document.querySelectorAll('td.col-name')].map(td => td.clientWidth)"
    )
    assert min(widths) > 40
