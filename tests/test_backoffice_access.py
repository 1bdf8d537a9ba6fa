"""The access matrix: every URL under /staff/, taken from the URL configuration, for every
persona. Any response other than the expected one fails, and a URL added without an entry here
fails too."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from onestop.cases.models import Case
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import pdf_file, sign_in
from tests.conftest import Staff
from tests.factories import make_case

PERSONAS = (
    "anonymous", "citizen", "counter", "officer_own", "officer_other", "executive", "admin",
    "staff_b",
)  # fmt: skip
LOGIN = 302  # redirect to the sign-in page
OK, MOVED, NOT_FOUND, FORBIDDEN = 200, 302, 404, 403


def _row(*expected: int) -> dict[str, int]:
    """Expected statuses in the order of PERSONAS."""
    return dict(zip(PERSONAS, expected, strict=True))


# (method, expected status per persona). "officer_other" is the department officer looking at
# a request of another department.
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "accounts:login": ("get", _row(OK, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED)),
    "accounts:logout": ("post", _row(MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED)),
    "accounts:logout-everywhere": (
        "post",
        _row(LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    ),
    "accounts:otp": ("get", _row(LOGIN, OK, OK, OK, OK, OK, OK, OK)),
    "accounts:password-reset": ("get", _row(OK, OK, OK, OK, OK, OK, OK, OK)),
    "accounts:password-reset-done": ("get", _row(OK, OK, OK, OK, OK, OK, OK, OK)),
    "accounts:password-reset-confirm": ("get", _row(OK, OK, OK, OK, OK, OK, OK, OK)),
    "accounts:password-reset-complete": ("get", _row(OK, OK, OK, OK, OK, OK, OK, OK)),
    "backoffice:home": ("get", _row(LOGIN, OK, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED)),
    # Someone else's, expired or made-up invitations: 404 for everyone signed in (accepting a
    # real one: test_backoffice_invitations.py).
    "backoffice:invitation": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "backoffice:inbox": ("get", _row(LOGIN, NOT_FOUND, OK, OK, OK, OK, OK, NOT_FOUND)),
    "backoffice:audit": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ),
    "backoffice:audit-export": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ),
    # "Show" is for ID-card photos only: the request's own document is not one (the photo
    # itself: test_backoffice_case.py).
    "backoffice:id-card-show": (
        "post",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "backoffice:counter-entry": (
        "get",
        _row(LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    # An empty bulk form sends members back to the inbox with an error message.
    "backoffice:bulk": (
        "post",
        _row(LOGIN, NOT_FOUND, MOVED, MOVED, MOVED, MOVED, MOVED, NOT_FOUND),
    ),
    "backoffice:templates": (
        "get",
        _row(LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ),
    "backoffice:members": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ),
    # Posted empty: the administrator is sent back with "invalid data"; nobody else gets in.
    "backoffice:member-edit": (
        "post",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, MOVED, NOT_FOUND),
    ),
    "backoffice:catalogue": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ),
    "backoffice:export": (
        "get",
        _row(LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND),
    ),
    "backoffice:routing": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ),
    "backoffice:poster": ("get", _row(LOGIN, NOT_FOUND, OK, OK, OK, OK, OK, NOT_FOUND)),
    "backoffice:case": ("get", _row(LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND)),
    "backoffice:case-national-id": (
        "post",
        _row(LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    # Receiving a new request is the counter's job; department officers, the executive and the
    # administrator are refused; others never see the request.
    "backoffice:case-act": (
        "post",
        _row(LOGIN, NOT_FOUND, MOVED, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND),
    ),
    "backoffice:attachment": (
        "get",
        _row(LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND),
    ),
    # Publishing applies to result photos only: the request's own document is refused.
    "backoffice:attachment-public": (
        "post",
        _row(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND),
    ),
    "backoffice:document": (
        "get",
        _row(LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    # The data-subject page (PDPA) is the administrators'.
    "backoffice:privacy": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ),
    # The dashboard: heads (their division), executives and administrators.
    "backoffice:dashboard": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND),
    ),
    # Each member's own notification choices; the organisation's defaults are the administrators'.
    "backoffice:notification-settings": (
        "get",
        _row(LOGIN, NOT_FOUND, OK, OK, OK, OK, OK, NOT_FOUND),
    ),
    "backoffice:notification-defaults": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ),
    # API keys: the administrators'; revoking a key that does not exist is 404 for them too.
    "api:keys": (
        "get",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ),
    "api:key-revoke": (
        "post",
        _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    # Sending a notification again is for the organisation's administrators.
    "backoffice:notification-retry": (
        "post",
        _row(LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, MOVED, NOT_FOUND),
    ),
}


def _staff_url_names() -> Iterator[str]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}"

    for route, name in walk(get_resolver().url_patterns, "", ""):
        if route.startswith("staff/"):
            yield name


def test_every_staff_url_has_a_row_in_the_matrix() -> None:
    assert set(_staff_url_names()) == set(MATRIX)


def _cases(org_a: Organisation) -> tuple[Case, Case]:
    own = make_case(org_a, type_key="street-light", files=(pdf_file(),))  # กองช่าง
    other = make_case(org_a, type_key="general", files=(pdf_file(),))  # สำนักปลัด
    return own, other


def _kwargs(name: str, organisation: Organisation, case: Case) -> dict[str, Any]:
    wanted: dict[str, Any] = {}
    if name == "backoffice:member-edit":
        wanted["pk"] = organisation.memberships.get(user__username="a-officer").pk
    if name == "backoffice:invitation":
        wanted["token"] = "made-up-token"
    elif name.startswith(("backoffice:", "api:")) and name != "backoffice:home":
        wanted["org_slug"] = organisation.slug
    if name == "api:key-revoke":
        wanted["pk"] = 999_999  # no such key
    if name.startswith(
        (
            "backoffice:case",
            "backoffice:attachment",
            "backoffice:document",
            "backoffice:notification-retry",
            "backoffice:id-card",
        )
    ):
        wanted["number"] = case.number
    if name == "backoffice:notification-retry":
        wanted["pk"] = case.messages.values_list("pk", flat=True)[0]  # its new-request mail
    if name == "backoffice:case-act":
        wanted["action"] = "receive"
    if name in {"backoffice:attachment", "backoffice:attachment-public", "backoffice:id-card-show"}:
        wanted["pk"] = case.attachments.get().pk
    if name == "accounts:password-reset-confirm":
        wanted.update(uidb64="MQ", token="bad-token")
    return wanted


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(
    *,
    name: str,
    persona: str,
    org_a: Organisation,
    staff_a: Staff,
    staff_b: Staff,
    client: Client,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "onestop.documents.pdf.request_document_pdf", lambda case, **options: b"%PDF-"
    )
    own, other = _cases(org_a)
    users: dict[str, User | None] = {
        "anonymous": None,
        "citizen": User.objects.create_user("citizen", password="x-long-enough-2569"),
        "counter": staff_a.counter,
        "officer_own": staff_a.officer,
        "officer_other": staff_a.officer,
        "executive": staff_a.executive,
        "admin": staff_a.admin,
        "staff_b": staff_b.counter,
    }
    user = users[persona]
    if user is not None:
        sign_in(client, user)
    case = other if persona == "officer_other" else own
    method, expected = MATRIX[name]
    url = reverse(name, kwargs=_kwargs(name, org_a, case))
    data = {"receive-version": case.version} if name == "backoffice:case-act" else {}
    with caplog.at_level(logging.WARNING, logger="onestop.backoffice"):
        response = getattr(client, method)(url, data)
    assert response.status_code == expected[persona], (name, persona, url)
    # Staff pages show personal data: never kept in a browser's or a proxy's cache.
    assert "no-store" in response.get("Cache-Control", ""), (name, persona, url)
    if expected[persona] == LOGIN and persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    if persona == "staff_b" and name.startswith("backoffice:") and name not in {
        "backoffice:home", "backoffice:invitation",
    }:  # fmt: skip
        assert "staff access refused" in caplog.text
