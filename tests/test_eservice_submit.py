"""Filing the request at the end of the wizard: once, whole, and never twice."""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DatabaseError
from django.test import Client
from PIL import Image

from onestop.cases.models import Attachment, Case, CaseEvent
from onestop.core.errors import DomainError
from onestop.organisations.models import Organisation
from tests.documents_helpers import pdf_text
from tests.uploadfiles import GPS_IFD, jpeg_bytes, upload
from tests.wizard import (
    confirm,
    fill_details,
    fill_documents,
    fill_place,
    submission_key,
    to_review,
    url,
    wizard_state,
)

pytestmark = pytest.mark.django_db


def test_confirming_files_the_request_with_its_place_files_and_timeline(
    client: Client, org_a: Organisation
) -> None:
    to_review(client, org_a)
    staging = Path(settings.MEDIA_ROOT, "eservice-staging", wizard_state(client, org_a)["staging"])
    assert any(staging.iterdir())
    response = confirm(client, org_a)
    assert response["Location"] == url(org_a, "done")
    case = Case.objects.get()
    assert (case.organisation, case.subject, case.phone) == (org_a, "แจ้งไฟฟ้าดับ", "+66812345678")
    assert (case.house_no, case.subdistrict, case.postcode, case.subdistrict_code) == (
        "12/3", "เชียงทอง", "63180", "630901",
    )  # fmt: skip
    assert CaseEvent.objects.filter(case=case).count() == 1
    assert case.attachments.get().original_name == "ไฟดับ.jpg"
    assert not wizard_state(client, org_a)  # nothing left in the session
    assert not any(staging.iterdir())  # nor in the staging area


def test_the_stored_photo_has_no_gps_position(client: Client, org_a: Organisation) -> None:
    to_review(client, org_a)  # uploads a JPEG with GPS EXIF
    confirm(client, org_a)
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert dict(stored.getexif()) == {}


def test_the_done_page_shows_the_number_due_date_tracking_link_and_qr_code(
    client: Client, org_a: Organisation
) -> None:
    to_review(client, org_a)
    page = confirm(client, org_a)
    page = client.get(url(org_a, "done")).content.decode()
    case = Case.objects.get()
    assert "ทำรายการสำเร็จ" in page and "ขั้นตอนที่ 5 จาก 5" in page
    assert f'<p class="case-number" id="case-number">{case.display_number}</p>' in page
    assert "ภายใน 7 วันทำการ" not in page  # the type's own target is shown:
    assert "ประมาณ 7 วันทำการ" in page
    assert case.due_date is not None and str(case.due_date.year + 543) in page
    assert f"/wangchao/track/?number={case.display_number}" in page
    assert "<svg" in page and "คิวอาร์โค้ด" in page
    assert 'href="/wangchao/request/done/document.pdf"' in page


def test_double_clicking_confirm_files_one_request(client: Client, org_a: Organisation) -> None:
    to_review(client, org_a)
    key = submission_key(client, org_a)
    first = confirm(client, org_a, key)
    second = confirm(client, org_a, key)
    assert first["Location"] == second["Location"] == url(org_a, "done")
    assert Case.objects.count() == 1
    number = Case.objects.get().display_number
    assert number in client.get(url(org_a, "done")).content.decode()


def test_back_and_submit_again_lands_on_the_same_done_page(
    client: Client, org_a: Organisation
) -> None:
    to_review(client, org_a)
    key = submission_key(client, org_a)
    confirm(client, org_a, key)
    back = client.get(url(org_a, "review"))  # the back button: the wizard is over
    assert back["Location"] == url(org_a, "done")
    again = confirm(client, org_a, key)  # the old page's form posted again
    assert again["Location"] == url(org_a, "done")
    assert Case.objects.count() == 1


def test_a_network_retry_from_a_fresh_connection_finds_the_same_request(
    client: Client, org_a: Organisation
) -> None:
    to_review(client, org_a)
    key = submission_key(client, org_a)
    confirm(client, org_a, key)
    retry = Client()
    retry.cookies = client.cookies
    assert confirm(retry, org_a, key)["Location"] == url(org_a, "done")
    assert Case.objects.count() == 1


def test_a_stale_review_page_is_sent_back_to_review(client: Client, org_a: Organisation) -> None:
    to_review(client, org_a)
    response = confirm(client, org_a, "an-older-key")
    assert response["Location"] == url(org_a, "review")
    assert Case.objects.count() == 0


def test_a_failure_while_saving_shows_a_friendly_page_and_keeps_the_entries(
    client: Client, org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    to_review(client, org_a)

    def broken(**kwargs: Any) -> Case:
        raise DatabaseError("disk full")

    monkeypatch.setattr("onestop.eservice.views.case_submit", broken)
    response = confirm(client, org_a)
    assert response.status_code == 503
    page = response.content.decode()
    assert "ข้อมูลที่ท่านกรอกไว้ยังอยู่ครบ" in page
    assert 'href="/wangchao/request/review/"' in page
    assert Case.objects.count() == 0
    monkeypatch.undo()
    assert "แจ้งไฟฟ้าดับ" in client.get(url(org_a, "review")).content.decode()
    assert confirm(client, org_a)["Location"] == url(org_a, "done")
    assert Case.objects.count() == 1 and Attachment.objects.count() == 1


def test_a_file_failing_inside_the_transaction_leaves_nothing_half_saved(
    client: Client, org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    to_review(client, org_a)

    def broken(**kwargs: Any) -> None:
        raise OSError("storage unavailable")

    monkeypatch.setattr("onestop.cases.services.submit.attachment_add", broken)
    assert confirm(client, org_a).status_code == 503
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0
    assert wizard_state(client, org_a)["files"]


def test_a_refusal_by_the_service_is_shown_on_the_review_page(
    client: Client, org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    to_review(client, org_a)

    def refuse(**kwargs: Any) -> Case:
        raise DomainError("ระบบไม่สามารถออกเลขคำร้องได้ กรุณาลองใหม่อีกครั้ง", code="numbering")

    monkeypatch.setattr("onestop.eservice.views.case_submit", refuse)
    response = confirm(client, org_a)
    assert response.status_code == 400
    assert "ระบบไม่สามารถออกเลขคำร้องได้" in response.content.decode()


def test_the_confirmation_works_as_a_page_without_javascript(
    client: Client, org_a: Organisation
) -> None:
    to_review(client, org_a)
    page = client.get(url(org_a, "confirm")).content.decode()
    assert "ยืนยันการเพิ่มคำร้อง/ร้องเรียน?" in page
    assert f'value="{submission_key(client, org_a)}"' in page


def test_the_done_page_and_document_of_one_organisation_are_not_shown_under_another(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    to_review(client, org_a)
    confirm(client, org_a)
    assert client.get(url(org_b, "done"))["Location"] == url(org_b)
    assert client.get("/other/request/done/document.pdf").status_code == 404
    assert Client().get("/wangchao/request/done/document.pdf").status_code == 404


def test_the_document_link_serves_the_pdf(client: Client, org_a: Organisation) -> None:
    to_review(client, org_a)
    confirm(client, org_a)
    response = client.get("/wangchao/request/done/document.pdf")
    case = Case.objects.get()
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert case.display_number in pdf_text(response.content)


def test_two_citizens_of_two_organisations_do_not_see_each_others_wizard(
    org_a: Organisation, org_b: Organisation
) -> None:
    citizen = Client()
    fill_details(citizen, org_a)
    assert citizen.get(url(org_b, "place"))["Location"] == url(org_b)  # nothing started at B


def _compressed_size(static_url: str) -> int:
    found = finders.find(static_url.removeprefix("/static/"))
    assert isinstance(found, str), static_url
    return len(gzip.compress(Path(found).read_bytes()))


def test_every_step_weighs_well_under_100_kb_compressed(
    client: Client, org_a: Organisation, settings: Any
) -> None:
    """HTML + CSS + JS of each page, gzip-compressed (map tiles and fonts excluded), with the map
    (Leaflet) switched on as in production."""
    settings.ONESTOP_MAP_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    fill_details(client, org_a)
    fill_place(client, org_a)
    fill_documents(client, org_a, upload("a.jpg", jpeg_bytes(), "image/jpeg"))
    for step in ("", "place/", "documents/", "review/"):
        page = client.get(f"/wangchao/request/{step}").content.decode()
        total = len(gzip.compress(page.encode()))
        for asset in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page):
            total += _compressed_size(asset)
        assert 5_000 < total < 100_000, (step, total)
        if step == "place/":
            assert "leaflet.js" in page and total > 40_000  # the map is counted


def test_the_wizard_opens_in_english_too(client: Client, org_a: Organisation) -> None:
    client.cookies["django_language"] = "en"
    page = client.get(url(org_a)).content.decode()
    assert '<html lang="en">' in page
    assert "Public electricity" in page  # the catalogue's English names
