"""Real-browser fixtures: Playwright driving Debian's Chromium (never a downloaded browser)
against Django's live server, on a phone-sized screen in Thai. Import the fixtures in a test
module with `from tests.browser import *` or use them through conftest (they are registered
there), and mark tests `@pytest.mark.browser`."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_tool

PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parent.parent / "static/vendor/axe-core/axe.min.js"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    executable = require_tool("chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (creating data, asserting) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only for browser tests)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh phone-sized page in Thai, with `page.base` = the live server's URL."""
    context = chromium.new_context(
        viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok", accept_downloads=True,
        has_touch=True, device_scale_factor=2,
    )  # fmt: skip
    # Not is_mobile: Chromium's mobile emulation keeps a page zoom after a test resizes the
    # viewport (to check 320 px), and clicks then land beside their targets. The layout
    # viewport is the phone's width either way.
    page = context.new_page()
    page.base = live_server.url
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert refused == [], f"the page broke its Content Security Policy: {refused}"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (vendored) on the current page; return the violations (WCAG 2.1 A/AA)."""
    # Evaluated by the test, not added to the page: the page's CSP (rightly) refuses inline scripts.
    page.evaluate(AXE.read_text())
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {runOnly: "
        "{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )


def wait_until(page: Any, expression: str, *, timeout: float = 5.0) -> None:
    """Wait until the JavaScript `expression` is true in the page. Playwright's own
    wait_for_function evaluates strings with eval, which the pages' CSP (rightly) refuses; this
    polls through the devtools protocol instead."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)
