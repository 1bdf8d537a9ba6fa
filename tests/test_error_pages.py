"""Error pages in Thai or English that need no database, and a friendly 503 instead of a bare
500 when the database cannot be reached (simulated here by refusing every query; the real
outage, a PostgreSQL stopped under a running server, is tests/test_database_outage.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, RequestFactory

from onestop.core import errorpages
from onestop.organisations.models import Organisation

ENGLISH_TITLES = {
    400: "The data sent is not valid",
    403: "You may not open this page",
    404: "Page not found",
    413: "The data sent is too large",
    429: "Too many requests",
    500: "Something went wrong",
    503: "The service is temporarily unavailable",
}


@contextmanager
def database_down(exc: type[Exception] = OperationalError) -> Iterator[None]:
    def refuse(*args: Any) -> None:
        raise exc("could not connect to server: Connection refused (simulated)")

    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.parametrize("status", sorted(errorpages.PAGES))
def test_every_error_page_renders_in_thai_without_the_database(status: int) -> None:
    # No database fixture: any query, even reading the session, fails the test.
    request = RequestFactory().get("/somewhere", HTTP_COOKIE="sessionid=abc")
    response = errorpages.error_page(request, status)
    assert response.status_code == status
    body = response.content.decode()
    assert str(errorpages.PAGES[status][0]) in body
    assert '<html lang="th">' in body
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("status", sorted(errorpages.PAGES))
def test_every_error_page_reads_in_english_for_an_english_visitor(status: int) -> None:
    request = RequestFactory().get("/somewhere", HTTP_ACCEPT_LANGUAGE="en")
    body = errorpages.error_page(request, status).content.decode()
    assert ENGLISH_TITLES[status] in body
    assert '<html lang="en">' in body


def test_the_503_page_says_what_you_typed_is_kept_and_when_to_retry() -> None:
    request = RequestFactory().get("/", HTTP_COOKIE="django_language=en")
    response = errorpages.error_page(request, 503)
    assert "What you typed is kept" in response.content.decode()
    assert response["Retry-After"] == "120"


def test_an_unknown_address_answers_the_thai_404_page(client: Client, org_a: Organisation) -> None:
    response = client.get("/no-such-organisation/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_a_form_without_its_csrf_token_answers_the_403_page(org_a: Organisation) -> None:
    response = Client(enforce_csrf_checks=True).post("/staff/login/", {"username": "x"})
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์เข้าถึงหน้านี้" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("exc", [OperationalError, InterfaceError])
def test_with_the_database_down_every_page_answers_a_friendly_503(
    org_a: Organisation, exc: type[Exception]
) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-that-must-be-read-from-the-database"
    with database_down(exc):
        pages = [
            client.get("/"),
            client.get(f"/{org_a.slug}/"),
            client.get("/staff/"),
            client.post(f"/{org_a.slug}/oss/", {"anything": "typed"}),
        ]
    for response in pages:
        assert response.status_code == 503
        assert "ข้อมูลที่ท่านกรอกไว้ยังอยู่" in response.content.decode()
        assert response["Retry-After"] == "120"
    assert client.get("/").status_code == 200  # back by itself


def test_an_error_that_is_not_the_database_is_still_a_500() -> None:
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = errorpages.server_error(request)
    assert response.status_code == 500


def test_a_database_error_wrapped_in_another_is_recognised() -> None:
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as inner:
            raise RuntimeError("while rendering") from inner
    except RuntimeError as outer:
        assert errorpages.database_unreachable(outer)
    assert not errorpages.database_unreachable(ValueError("no"))
