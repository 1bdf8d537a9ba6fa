"""Every page says what it means in the reader's language: it walks every citizen and staff page,
as the persona who uses it, in Thai and in English; opens each page and posts each of its forms
empty; and looks for Django's generic words in the HTML (an empty choice of dashes, "- Select
an option -", "This field is required." / "ฟิลด์นี้จำเป็น"). A required field says what is
missing ("กรุณากรอกชื่อ" / "Please enter the first name")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from onestop.cases.models import Case
from onestop.organisations.models import Organisation
from tests import wizard
from tests.backoffice_helpers import pdf_file, sign_in
from tests.conftest import Staff
from tests.factories import make_case

GENERIC = (
    "- Select an option -",
    "---------",
    "This field is required",
    "ฟิลด์นี้จำเป็น",
    "ฟิลด์นี้",
)
LANGUAGES = ("th", "en")
_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
# Forms whose empty post does not show a form again: signing out, the language switch.
_NOT_POSTED = ("/logout/", "/i18n/")


def _generic_words(html: str) -> list[str]:
    text = unescape(html)
    return [word for word in GENERIC if word in text]


def _post_forms(html: str, page: str) -> Iterator[str]:
    """The address each POST form of the page sends to."""
    for tag in _FORM.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("method", "get").lower() != "post":
            continue
        action = unescape(attrs.get("action", "")) or page
        if action.startswith("/") and not any(part in action for part in _NOT_POSTED):
            yield action


def _visit(client: Client, url: str, language: str, seen: dict[str, list[str]]) -> None:
    """GET `url`, then post each of its forms empty; record the generic words found."""
    extra: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": language}
    client.cookies["django_language"] = language
    page = client.get(url, follow=True, **extra)
    assert page.status_code == 200, (url, page.status_code)
    assert page["Content-Type"].startswith("text/html"), url
    html = page.content.decode()
    if found := _generic_words(html):
        seen[f"GET {url} [{language}]"] = found
    for action in dict.fromkeys(_post_forms(html, url)):
        response = client.post(action, {}, follow=True, **extra)
        if not response["Content-Type"].startswith("text/html"):
            continue
        if found := _generic_words(response.content.decode()):
            seen[f"POST {action} (from {url}) [{language}]"] = found


def _citizen_pages(client: Client, organisation: Organisation, case: Case) -> Iterator[str]:
    slug = organisation.slug
    yield from ("/", f"/{slug}/", f"/{slug}/oss/", f"/{slug}/performance/", f"/{slug}/track/")
    yield wizard.url(organisation, "privacy")
    yield wizard.url(organisation)
    wizard.fill_details(client, organisation)
    yield wizard.url(organisation, "place")
    wizard.fill_place(client, organisation)
    yield wizard.url(organisation, "documents")
    wizard.fill_documents(client, organisation)
    yield wizard.url(organisation, "review")
    yield wizard.url(organisation, "confirm")
    response = client.post(f"/{slug}/track/", {"number": case.number, "digits": "5678"})
    assert response.status_code == 302
    yield f"/{slug}/track/status/"


def _staff_url_names() -> set[str]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}"

    return {
        name
        for route, name in walk(get_resolver().url_patterns, "", "")
        if route.startswith("staff/")
    }


# The staff pages (HTML) and who opens them. The others under /staff/ are files, redirects or
# POST-only addresses, reached here through the forms of these pages.
STAFF_PAGES = {
    "backoffice:inbox": ("counter", "/staff/{org}/"),
    "backoffice:counter-entry": ("counter", "/staff/{org}/new/"),
    "backoffice:case": ("counter", "/staff/{org}/cases/{number}/"),
    "backoffice:templates": ("admin", "/staff/{org}/templates/"),
    "backoffice:members": ("admin", "/staff/{org}/members/"),
    "backoffice:catalogue": ("admin", "/staff/{org}/catalogue/"),
    "backoffice:routing": ("admin", "/staff/{org}/routing/"),
    "backoffice:audit": ("admin", "/staff/{org}/audit/"),
    "backoffice:privacy": ("admin", "/staff/{org}/privacy/"),
    "backoffice:dashboard": ("executive", "/staff/{org}/dashboard/"),
    "backoffice:notification-settings": ("officer", "/staff/{org}/notifications/"),
    "backoffice:notification-defaults": ("admin", "/staff/{org}/notifications/defaults/"),
    "api:keys": ("admin", "/staff/{org}/api-keys/"),
    "accounts:otp": ("officer", "/staff/2fa/"),
}
NOT_PAGES = {
    "accounts:login", "accounts:logout", "accounts:logout-everywhere", "accounts:password-reset",
    "accounts:password-reset-done", "accounts:password-reset-confirm",
    "accounts:password-reset-complete", "backoffice:home", "backoffice:invitation",
    "backoffice:bulk", "backoffice:export", "backoffice:case-national-id", "backoffice:case-act",
    "backoffice:attachment", "backoffice:attachment-public", "backoffice:document",
    "backoffice:notification-retry", "backoffice:member-edit",
    "backoffice:poster", "backoffice:audit-export", "backoffice:id-card-show", "api:key-revoke",
}  # fmt: skip
SIGNED_OUT_PAGES = ("/staff/login/", "/staff/password/reset/", "/staff/password/reset/MQ/bad/")


def test_every_staff_page_is_walked() -> None:
    assert _staff_url_names() == set(STAFF_PAGES) | NOT_PAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_citizen_page_shows_django_generic_words(
    client: Client, org_a: Organisation, language: str
) -> None:
    case = make_case(org_a, phone="0812345678")
    seen: dict[str, list[str]] = {}
    for url in _citizen_pages(client, org_a, case):
        _visit(client, url, language, seen)
    assert seen == {}, "\n".join(f"{where}: {words}" for where, words in seen.items())


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_staff_page_shows_django_generic_words(
    client: Client, org_a: Organisation, staff_a: Staff, language: str
) -> None:
    case = make_case(org_a, type_key="street-light", files=(pdf_file(),))
    seen: dict[str, list[str]] = {}
    for url in SIGNED_OUT_PAGES:
        _visit(client, url, language, seen)
    users: dict[str, User] = {
        "counter": staff_a.counter, "admin": staff_a.admin, "officer": staff_a.officer,
        "executive": staff_a.executive,
    }  # fmt: skip
    for persona, pattern in STAFF_PAGES.values():
        client.logout()
        sign_in(client, users[persona], second_factor=persona != "officer")
        url = pattern.format(org=org_a.slug, number=case.number)
        _visit(client, url, language, seen)
    assert seen == {}, "\n".join(f"{where}: {words}" for where, words in seen.items())


def test_a_required_field_says_what_is_missing_in_both_languages(client: Client) -> None:
    thai = client.post("/staff/login/", {}).content.decode()
    english = client.post("/staff/login/", {}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "กรุณากรอกชื่อผู้ใช้หรืออีเมล" in thai
    assert "กรุณากรอกรหัสผ่าน" in thai
    assert "Please enter the username or e-mail" in english
    assert "Please enter the password" in english


def test_an_empty_choice_says_what_to_choose(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    sign_in(client, staff_a.counter)
    html = client.get(f"/staff/{org_a.slug}/new/").content.decode()
    assert re.search(r'<option value=""[^>]*>— เลือก', html)


def test_a_button_reads_as_an_action_and_a_status_as_a_status_in_english(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    """The same Thai words name a status and the action that leads to it (context "action")."""
    oss = client.get(f"/{org_a.slug}/oss/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Submitted" not in oss  # each type is a link to file it, never a status
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    page = client.get(f"/staff/{org_a.slug}/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert re.search(r"<button[^>]*>\s*Receive\s*</button>", html)
    assert "Submitted" in html  # its status
