"""The staff API's docs page in a real browser, with no internet and the site's Content
Security Policy: Swagger UI draws every operation from the local description (the `phone`
fixture fails the test on any CSP refusal)."""

from __future__ import annotations

from typing import Any

from tests.browser import wait_until


def test_the_api_docs_render_offline_under_the_csp(phone: Any, db: None) -> None:
    requests_to_elsewhere: list[str] = []
    phone.on(
        "request",
        lambda r: None if r.url.startswith(phone.base) else requests_to_elsewhere.append(r.url),
    )
    phone.goto(phone.base + "/api/v1/docs")
    wait_until(phone, "document.querySelectorAll('.opblock').length >= 3", timeout=15)
    text = phone.inner_text("#swagger-ui")
    assert "OneStop staff API" in text
    assert "/api/v1/{org}/requests/{number}/actions/{action}" in text
    assert [u for u in requests_to_elsewhere if not u.startswith("data:")] == []
