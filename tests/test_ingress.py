"""What every request passes before a view (onestop.core.ingress): a body larger than allowed is
refused with 413 before it is read, and values no form can hold end in a clear 400 page, on
SQLite and on PostgreSQL alike, never in a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from onestop.cases.uploads import MAX_FILE_BYTES, MAX_FILES
from onestop.organisations.models import Organisation
from tests.test_eservice_steps import _at_documents
from tests.uploadfiles import pdf_with_text, upload
from tests.wizard import url

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
MB = 1024 * 1024
TOO_LARGE = "ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป"
BAD = "ข้อมูลที่ส่งมาไม่ถูกต้อง"


def _check(client: Client, **extra: Any) -> Any:
    return client.post("/wangchao/track/", {"number": "1", "digits": "1234"}, **extra)


# Body size ---------------------------------------------------------------------------------


def test_an_oversized_anonymous_post_is_refused_with_413_before_it_is_read(
    client: Client, org_a: Organisation
) -> None:
    # The body actually sent is small: had Django tried to read the 2 MB it claims, the test
    # client would have failed the test.
    response = _check(client, CONTENT_LENGTH=str(2 * MB))
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    english = _check(client, CONTENT_LENGTH=str(2 * MB), **EN)
    assert "The data sent is too large" in english.content.decode()


def test_a_body_without_a_length_is_refused(client: Client, org_a: Organisation) -> None:
    response = _check(client, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()


def test_the_documents_step_receives_a_file_larger_than_the_small_limit(
    client: Client, org_a: Organisation
) -> None:
    _at_documents(client, org_a)
    three_mb = pdf_with_text("plan", padding=3 * MB)
    response = client.post(
        url(org_a, "documents"),
        {"documents": [upload("plan.pdf", three_mb, "application/pdf")], "action": "upload"},
        follow=True,
    )
    assert response.status_code == 200
    assert "แนบไฟล์แล้ว 1 ไฟล์" in response.content.decode()


def test_the_upload_limit_holds_every_file_the_wizard_allows() -> None:
    # 5 documents and the ID-card photo, 10 MB each, in one post, plus the form around them.
    assert settings.ONESTOP_MAX_UPLOAD_MB * MB > (MAX_FILES + 1) * MAX_FILE_BYTES
    assert settings.ONESTOP_MAX_REQUEST_KB * 1024 <= 2 * MB


# Values no form can hold -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/?q=%00", "/wangchao/track/?number=%00"])
def test_a_nul_character_in_a_query_is_a_clear_400(
    client: Client, org_a: Organisation, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert BAD in response.content.decode()
    assert "The data sent is not valid" in client.get(path, **EN).content.decode()


def test_a_nul_character_in_a_posted_field_is_a_clear_400(
    client: Client, org_a: Organisation
) -> None:
    response = client.post("/wangchao/track/", {"number": "69-0001\x00", "digits": "1234"})
    assert response.status_code == 400
    assert BAD in response.content.decode()
    found = client.post("/", {"q\x00": "x"})
    assert found.status_code == 400


def test_a_form_not_in_utf8_is_a_clear_400(client: Client, org_a: Organisation) -> None:
    body = "number=1&digits=1234".encode("utf-16")
    for language in ({}, EN):
        response = client.generic(
            "POST", "/wangchao/track/", body,
            content_type="application/x-www-form-urlencoded; charset=utf-16", **language,
        )  # fmt: skip
        assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert "The data sent is not valid" in response.content.decode()


def test_a_nul_character_in_a_cookie_is_a_clear_400(client: Client, org_a: Organisation) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/").status_code == 400
