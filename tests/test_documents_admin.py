"""Operators download posters from the admin and render documents from the command line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from onestop.core.links import eservice_url
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import PASSWORD, Staff
from tests.documents_helpers import comparable, pdf_text, qr_texts
from tests.factories import make_case

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

CHANGELIST = "admin:organisations_organisation_changelist"


@pytest.fixture
def operator(db: None) -> Client:
    operator = User.objects.create_superuser("operator", "op@example.com", PASSWORD)
    return sign_in(Client(), operator)


def _run_action(client: Client, action: str, *organisations: Organisation) -> Response:
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [o.pk for o in organisations]},
    )


def test_an_operator_downloads_one_organisations_poster_as_pdf(
    operator: Client, org_a: Organisation
) -> None:
    response = _run_action(operator, "download_poster_pdf", org_a)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="poster-wangchao.pdf"' in response["Content-Disposition"]
    assert comparable("เทศบาลตำบลวังเจ้า") in comparable(pdf_text(response.content))


def test_an_operator_downloads_a_png_poster_that_scans(
    operator: Client, org_a: Organisation
) -> None:
    response = _run_action(operator, "download_poster_png", org_a)

    assert response["Content-Type"] == "image/png"
    assert qr_texts(response.content) == [eservice_url("wangchao")]


def test_several_posters_come_as_one_zip(
    operator: Client, org_a: Organisation, org_b: Organisation
) -> None:
    response = _run_action(operator, "download_poster_pdf", org_a, org_b)

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["poster-other.pdf", "poster-wangchao.pdf"]
    assert comparable("องค์การบริหารส่วนตำบลอื่น") in comparable(
        pdf_text(archive.read("poster-other.pdf"))
    )


def test_organisation_staff_cannot_use_the_admin(client: Client, staff_a: Staff) -> None:
    client.force_login(staff_a.admin)

    response = client.post(
        reverse(CHANGELIST), {"action": "download_poster_pdf", "_selected_action": [1]}
    )

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_command_writes_a_request_document(org_a: Organisation, tmp_path: Path) -> None:
    case = make_case(org_a, subject="แจ้งท่อระบายน้ำอุดตัน")
    out = tmp_path / "request.pdf"

    call_command("render_documents", "--number", case.display_number, "--out", str(out))

    text = pdf_text(out.read_bytes())
    assert case.display_number in text
    assert comparable("แจ้งท่อระบายน้ำอุดตัน") in comparable(text)


def test_the_command_writes_a_poster_as_pdf_or_png(org_a: Organisation, tmp_path: Path) -> None:
    call_command("render_documents", "--poster", "wangchao", "--out", str(tmp_path / "p.pdf"))
    call_command("render_documents", "--poster", "wangchao", "--out", str(tmp_path / "p.png"))

    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    assert qr_texts(tmp_path / "p.png") == [eservice_url("wangchao")]


@pytest.mark.parametrize(
    "arguments",
    [
        ["--number", "69-00000-00000-0"],
        ["--number", "not a number"],
        ["--poster", "no-such-organisation"],
    ],
)
def test_the_command_refuses_what_does_not_exist(
    org_a: Organisation, tmp_path: Path, arguments: list[str]
) -> None:
    with pytest.raises(CommandError):
        call_command("render_documents", *arguments, "--out", str(tmp_path / "x.pdf"))

    assert not (tmp_path / "x.pdf").exists()
