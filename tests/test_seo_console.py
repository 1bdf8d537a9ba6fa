"""Every citizen page describes itself to search engines (`<meta name="description">`, in the
page's language) and the citizen's main pages log no console error in a real browser."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from onestop.organisations.models import Organisation
from tests import wizard
from tests.factories import make_case

_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def _citizen_pages(client: Client, organisation: Organisation) -> list[str]:
    slug = organisation.slug
    case = make_case(organisation, phone="0812345678")
    pages = ["/", f"/{slug}/", f"/{slug}/oss/", f"/{slug}/performance/", f"/{slug}/track/"]
    pages += [wizard.url(organisation, "privacy"), wizard.url(organisation)]
    wizard.fill_details(client, organisation)
    pages.append(wizard.url(organisation, "place"))
    wizard.fill_place(client, organisation)
    pages.append(wizard.url(organisation, "documents"))
    wizard.fill_documents(client, organisation)
    pages += [wizard.url(organisation, "review"), wizard.url(organisation, "confirm")]
    client.post(f"/{slug}/track/", {"number": case.number, "digits": "5678"})
    pages.append(f"/{slug}/track/status/")
    return pages


def test_every_citizen_page_has_its_own_description_in_its_language(
    client: Client, org_a: Organisation
) -> None:
    descriptions: dict[str, str] = {}
    for url in _citizen_pages(client, org_a):
        for language in ("th", "en"):
            html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            [description] = _DESCRIPTION.findall(html) or [""]
            description = unescape(description)
            assert len(description) >= 40, (url, language, description)
            assert bool(_THAI.search(description.replace(org_a.name, ""))) == (language == "th"), (
                url,
                language,
                description,
            )
            descriptions[f"{url} {language}"] = description
    # The home, organisation, OSS centre and tracking pages each say something of their own.
    thai = {
        descriptions[f"{u} th"] for u in ("/", "/wangchao/", "/wangchao/oss/", "/wangchao/track/")
    }
    assert len(thai) == 4


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_citizen_pages_log_no_console_error(phone: Any, org_a: Organisation) -> None:
    errors: list[str] = []
    phone.on(
        "console", lambda m: errors.append(f"{phone.url}: {m.text}") if m.type == "error" else None
    )
    phone.on("pageerror", lambda e: errors.append(f"{phone.url}: {e}"))
    case = make_case(org_a, phone="0812345678")
    for path in ("/", "/wangchao/", "/wangchao/oss/", "/wangchao/request/", "/wangchao/track/"):
        phone.goto(phone.base + path)
        phone.wait_for_load_state("networkidle")
    phone.get_by_label("เลขที่คำร้อง").fill(case.number)
    phone.locator("input[name=digits]").fill("5678")
    phone.locator("form[action='/wangchao/track/'] button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert "/track/status/" in phone.url
    assert errors == []
