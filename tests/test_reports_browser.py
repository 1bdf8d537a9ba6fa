"""The public performance page and the staff dashboard in a real browser, on a phone (360 px)
and on an office screen (1366 px): axe-core (vendored, static/vendor/axe-core/) finds no serious
or critical violation, and neither page scrolls sideways (wide tables scroll inside their box)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

from onestop.organisations.models import Organisation
from tests import reports_data
from tests.browser import axe_violations, describe
from tests.conftest import PASSWORD, Staff
from tests.reports_data import TODAY

WIDTHS = (360, 1366)


@pytest.fixture(autouse=True)
def on_30_january_2026() -> Iterator[None]:
    with (
        mock.patch("onestop.reports.views.today", return_value=TODAY),
        mock.patch("onestop.backoffice.views.dashboard.today", return_value=TODAY),
    ):
        yield


def passes_axe_at_every_width(page: Any, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} at {width}px is {scroll}px wide"
        violations = axe_violations(page)
        grave = [v for v in violations if v.get("impact") in {"serious", "critical"}]
        assert grave == [], f"{name} at {width}px: {describe(grave)}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_public_page_and_the_dashboard_pass_axe_on_a_phone_and_a_desktop(
    phone: Any, org_a: Organisation, staff_a: Staff
) -> None:
    reports_data.build(org_a, staff_a.head)
    phone.goto(phone.base + "/wangchao/performance/")
    assert phone.get_by_role("heading", name="รายงานผลการดำเนินงาน").count() == 1
    passes_axe_at_every_width(phone, "performance")

    phone.goto(phone.base + "/staff/login/")
    phone.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(staff_a.executive.username)
    phone.get_by_label("รหัสผ่าน").fill(PASSWORD)
    phone.get_by_role("button", name="เข้าสู่ระบบ").click()
    phone.wait_for_url("**/staff/wangchao/**")
    phone.get_by_role("link", name="ภาพรวมผลการดำเนินงาน").first.click()
    phone.wait_for_url("**/staff/wangchao/dashboard/**")
    assert phone.get_by_role("heading", name="รายผู้รับผิดชอบ").count() == 1
    passes_axe_at_every_width(phone, "dashboard")

    # With the error summary of an invalid filter.
    phone.goto(phone.base + "/staff/wangchao/dashboard/?period=custom&start=2026-01-07")
    assert phone.locator(".error-summary").count() == 1
    passes_axe_at_every_width(phone, "dashboard-errors")
