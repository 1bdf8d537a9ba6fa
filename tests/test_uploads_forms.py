"""Every screen that takes files checks them through one function (`uploads.validate_uploads`):
the citizen's wizard and status page and the staff's counter entry and result photo refuse the
same file with the same message, naming the file, and keep the same limit on their number."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onestop.cases.models import Case
from onestop.cases.services import case_transition
from onestop.cases.workflow import Actor, Status
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case, request_type, valid_national_id
from tests.uploadfiles import SVG, png_bytes
from tests.wizard import fill_details, fill_place, url

pytestmark = pytest.mark.django_db

REFUSAL = "ไฟล์ “แผนที่.svg”: ไฟล์นี้ไม่ใช่รูปภาพ (JPG, PNG, WebP) หรือ PDF ที่ระบบรับได้"


def svg() -> SimpleUploadedFile:
    return SimpleUploadedFile("แผนที่.svg", SVG, "image/svg+xml")


def pngs(count: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"{n}.png", png_bytes(8, 8), "image/png") for n in range(count)]


def _waiting_for_the_citizen(client: Client, organisation: Organisation) -> Case:
    case = make_case(organisation, phone="0812345678")
    for status in (Status.RECEIVED, Status.WAITING_CITIZEN):
        case = case_transition(
            case=case, to=status, actor_kind=Actor.STAFF, public_message="ขอรูปเพิ่ม"
        )
    response = client.post("/wangchao/track/", {"number": case.number, "digits": "5678"})
    assert response.status_code == 302
    return case


def _add_information(client: Client, files: Any) -> str:
    response = client.post(
        "/wangchao/track/status/information/",
        {"info-message": "รูปเพิ่มเติม", "info-attachments": files},
    )
    assert response.status_code == 400
    return response.content.decode()


def _counter_form(organisation: Organisation, **files: Any) -> dict[str, Any]:
    return {
        "channel": "counter", "request_type": request_type(organisation, "street-light").pk,
        "subject": "ไฟฟ้าดับหน้าตลาด", "details": "ไฟดับสามต้นติดกัน", "title": "นาย",
        "first_name": "สมชาย", "last_name": "ใจดี", "national_id": valid_national_id(),
        "phone": "081-234-5678", "email": "", "house_no": "", "village_no": "3", "village": "",
        "soi": "", "road": "", "subdistrict": "", "landmark": "", "submission_key": "k-1",
        **files,
    }  # fmt: skip


def test_the_wizard_names_the_refused_file(client: Client, org_a: Organisation) -> None:
    fill_details(client, org_a)
    fill_place(client, org_a)
    response = client.post(url(org_a, "documents"), {"action": "add", "documents": [svg()]})
    assert REFUSAL in response.content.decode()


def test_the_status_page_names_the_refused_file_as_the_wizard_does(
    client: Client, org_a: Organisation
) -> None:
    case = _waiting_for_the_citizen(client, org_a)
    assert REFUSAL in _add_information(client, [svg()])
    assert not case.attachments.exists()


def test_the_counter_names_the_refused_file_as_the_wizard_does(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    response = sign_in(client, staff_a.counter).post(
        "/staff/wangchao/new/", _counter_form(org_a, document=svg())
    )
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    assert not Case.objects.exists()


def test_a_result_photo_that_is_not_an_image_is_refused_with_the_photo_message(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    case = make_case(org_a)
    case = case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    response = sign_in(client, staff_a.head).post(
        f"/staff/wangchao/cases/{case.number}/act/result_photo/",
        {"result_photo-version": case.version, "result_photo-photo": svg()},
    )
    assert response.status_code == 400
    assert "ไฟล์ “แผนที่.svg”: ภาพผลการดำเนินงานต้องเป็นไฟล์รูปภาพ" in response.content.decode()
    assert not case.attachments.exists()


def test_the_wizard_and_the_status_page_keep_the_same_limit_with_the_same_words(
    client: Client, org_a: Organisation
) -> None:
    fill_details(client, org_a)
    fill_place(client, org_a)
    wizard = client.post(url(org_a, "documents"), {"action": "add", "documents": pngs(6)})
    _waiting_for_the_citizen(client, org_a)
    status_page = _add_information(client, pngs(6))
    limit = "แนบเอกสารได้ไม่เกิน 5 ไฟล์"
    assert limit in wizard.content.decode() and limit in status_page
