"""The browser set-up itself: Debian Chromium through Playwright, and axe-core on a page."""

from typing import Any

import pytest

from onestop.organisations.models import Organisation
from tests.browser import axe_violations, describe


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_home_page_opens_on_a_phone_and_passes_axe(phone: Any, org_a: Organisation) -> None:
    phone.goto(phone.base + "/")
    assert "เทศบาลตำบลวังเจ้า" in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # no horizontal scroll
    violations = axe_violations(phone)
    assert violations == [], describe(violations)
