"""Security headers on every page: a Content Security Policy that allows no inline script and no
inline style, and a Permissions-Policy that switches off what OneStop never uses. Templates are
searched so that a `style="…"` attribute cannot come back unnoticed; a real browser shows that
the pages that draw (the performance page's bars, the wizard's map) break no rule."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from onestop.organisations.models import Organisation
from tests import reports_data
from tests.conftest import Staff

ROOT = Path(__file__).resolve().parent.parent
# Served by the proxy when the application is down, outside Django and its policy.
PROXY_PAGES = {ROOT / "deploy/errors/unavailable.html"}


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.parametrize("url", ["/", "/wangchao/", "/wangchao/performance/", "/staff/login/"])
def test_pages_allow_no_inline_style_or_script(
    client: Client, org_a: Organisation, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_pages_switch_off_browser_features_that_are_never_used(
    client: Client, org_a: Organisation
) -> None:
    features = {
        rule.split("=")[0]: rule.split("=")[1]
        for rule in client.get("/").headers["Permissions-Policy"].split(", ")
    }
    for unused in ("camera", "microphone", "payment", "usb", "display-capture"):
        assert features[unused] == "()"
    # The place step offers "use my location": this site only.
    assert features["geolocation"] == "(self)"


def test_error_pages_carry_the_headers_too(client: Client, org_a: Organisation) -> None:
    response = client.get("/no-such-organisation/")
    assert response.status_code == 404
    assert "Permissions-Policy" in response.headers
    assert directives(response.headers["Content-Security-Policy"])["style-src"] == ["'self'"]


def test_no_template_carries_an_inline_style() -> None:
    templates = [
        path
        for pattern in ("onestop/**/templates/**/*.html", "templates/**/*.html")
        for path in ROOT.glob(pattern)
        if path not in PROXY_PAGES
    ]
    assert len(templates) > 20
    inline = re.compile(r"<style[\s>]|\sstyle\s*=", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if inline.search(line)
    ]
    assert offenders == []


@pytest.mark.browser
def test_the_performance_bars_draw_under_the_policy(
    phone: Any, org_a: Organisation, staff_a: Staff
) -> None:
    # The `phone` fixture fails the test if the browser refused anything under the policy.
    reports_data.build(org_a, staff_a.head)
    phone.goto(phone.base + "/wangchao/performance/")
    widths = phone.eval_on_selector_all(
        "svg.bar rect", "rects => rects.map(r => r.getBoundingClientRect().width)"
    )
    assert widths, "the 12-month table draws its bars"
    assert max(widths) > 50
