"""The request wizard, step by step: what a citizen sees and every bad input they can send."""

from __future__ import annotations

import json
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from onestop.cases.models import Case
from onestop.organisations.models import Organisation
from tests.factories import request_type, valid_national_id
from tests.uploadfiles import jpeg_bytes, png_bomb_bytes, upload
from tests.wizard import (
    PLACE,
    details_data,
    fill_details,
    fill_documents,
    fill_place,
    to_review,
    url,
    wizard_state,
)

pytestmark = pytest.mark.django_db


# -- step 1: details ---------------------------------------------------------------------------
def test_step_one_shows_the_catalogue_by_category_and_the_step_indicator(
    client: Client, org_a: Organisation
) -> None:
    page = client.get(url(org_a)).content.decode()
    assert "ขั้นตอนที่ 1 จาก 5" in page
    assert "ระบบสาธารณูปโภค" in page and "ไฟฟ้าสาธารณะ" in page
    assert "เช่น แจ้งไฟฟ้าดับ" in page  # subject examples as placeholder
    assert 'href="/wangchao/request/privacy/"' in page


@pytest.mark.parametrize(
    ("national_id", "phone"),
    [
        ("{id}", "0812345678"),
        ("{dashed}", "081-234-5678"),
        ("{spaced}", "+66 81 234 5678"),
        ("{thai}", "๐๘๑๒๓๔๕๖๗๘"),
    ],
)
def test_it_accepts_an_id_and_a_mobile_in_any_common_form(
    client: Client, org_a: Organisation, national_id: str, phone: str
) -> None:
    digits = valid_national_id()
    thai = digits.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    typed = national_id.format(
        id=digits, dashed=f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}",
        spaced=" ".join(digits), thai=thai,
    )  # fmt: skip
    response = client.post(url(org_a), details_data(org_a, national_id=typed, phone=phone))
    assert response.status_code == 302
    assert wizard_state(client, org_a)["details"]["phone"] == "+66812345678"


def test_it_refuses_an_id_with_a_wrong_check_digit_and_says_which_field(
    client: Client, org_a: Organisation
) -> None:
    digits = valid_national_id()
    wrong = digits[:12] + str((int(digits[12]) + 1) % 10)
    response = client.post(url(org_a), details_data(org_a, national_id=wrong))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert 'href="#id_national_id"' in page
    assert "เลขตรวจสอบหลักสุดท้ายไม่ตรง" in page
    assert wrong in page  # what was typed stays in the field
    assert not wizard_state(client, org_a)


def test_it_refuses_a_landline_as_mobile(client: Client, org_a: Organisation) -> None:
    response = client.post(url(org_a), details_data(org_a, phone="02-123-4567"))
    page = response.content.decode()
    assert "เบอร์นี้เป็นโทรศัพท์บ้าน" in page
    assert 'href="#id_phone"' in page


def test_it_refuses_an_over_long_subject(client: Client, org_a: Organisation) -> None:
    response = client.post(url(org_a), details_data(org_a, subject="ก" * 201))
    assert "หัวข้อเรื่องยาวได้ไม่เกิน 200 ตัวอักษร (ตอนนี้ 201 ตัว)" in response.content.decode()


def test_email_is_optional_but_checked_when_given(client: Client, org_a: Organisation) -> None:
    response = client.post(url(org_a), details_data(org_a, email="not-an-email"))
    assert "อีเมลไม่ถูกต้อง" in response.content.decode()
    assert client.post(url(org_a), details_data(org_a, email="")).status_code == 302


def test_missing_fields_are_all_listed_in_the_error_summary(
    client: Client, org_a: Organisation
) -> None:
    page = client.post(url(org_a), {}).content.decode()
    for anchor in ("#request-type", "#id_subject", "#id_details", "#id_first_name",
                   "#id_national_id", "#id_phone", "#id_privacy"):  # fmt: skip
        assert f'href="{anchor}"' in page


def test_the_privacy_notice_must_be_acknowledged(client: Client, org_a: Organisation) -> None:
    data = details_data(org_a)
    del data["privacy"]
    assert "ประกาศความเป็นส่วนตัว" in client.post(url(org_a), data).content.decode()
    assert not wizard_state(client, org_a)
    notice = client.get(url(org_a, "privacy")).content.decode()
    for heading in ("วัตถุประสงค์", "ฐานทางกฎหมาย", "ผู้ที่เห็นข้อมูล", "ระยะเวลาเก็บรักษา",
                    "สิทธิของท่าน", "ติดต่อ"):  # fmt: skip
        assert heading in notice


def test_another_organisations_type_is_not_found(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    foreign = request_type(org_b, "street-light").pk
    assert client.post(url(org_a), details_data(org_a, request_type=foreign)).status_code == 404
    assert client.get(url(org_a) + f"?type={foreign}").status_code == 404
    assert not wizard_state(client, org_a)


def test_the_national_id_is_not_kept_readable_in_the_session(
    client: Client, org_a: Organisation
) -> None:
    digits = valid_national_id()
    fill_details(client, org_a, national_id=digits)
    stored = Session.objects.get().session_data
    assert digits not in json.dumps(client.session.load()) and digits not in stored


# -- step 2: place ------------------------------------------------------------------------------
def test_the_place_step_starts_with_the_organisations_district_and_province(
    client: Client, org_a: Organisation
) -> None:
    fill_details(client, org_a)
    page = client.get(url(org_a, "place")).content.decode()
    assert "ขั้นตอนที่ 2 จาก 5" in page
    assert 'value="วังเจ้า"' in page and 'value="ตาก"' in page
    assert '<option value="เชียงทอง">' in page  # the district's subdistricts are suggested
    assert 'id="map"' not in page  # no tiles configured in tests: no map, the fields suffice


def test_the_subdistrict_fills_in_the_rest_of_the_address_without_javascript(
    client: Client, org_a: Organisation
) -> None:
    fill_details(client, org_a)
    fill_place(client, org_a, subdistrict="ตำบลนาโบสถ์", district="", province="", postcode="")
    place = wizard_state(client, org_a)["place"]
    assert (place["subdistrict"], place["district"], place["province"]) == (
        "นาโบสถ์",
        "วังเจ้า",
        "ตาก",
    )
    assert (place["postcode"], place["subdistrict_code"]) == ("63180", "630902")


def test_the_address_lookup_answers_in_json(client: Client, org_a: Organisation) -> None:
    answer = client.get(url(org_a, "place/lookup") + "?subdistrict=เชียงทอง&province=ตาก").json()
    assert answer["matches"] == [{"code": "630901", "subdistrict": "เชียงทอง", "district": "วังเจ้า",
                                  "province": "ตาก", "postcode": "63180"}]  # fmt: skip


def test_a_type_that_requires_a_location_refuses_an_empty_place(
    client: Client, org_a: Organisation
) -> None:
    fill_details(client, org_a, type_key="street-light")
    page = client.get(url(org_a, "place")).content.decode()
    assert 'value="skip"' not in page  # no "no specific place" button for this type
    response = client.post(
        url(org_a, "place"), {"district": "วังเจ้า", "province": "ตาก", "action": "skip"}
    )
    assert response.status_code == 200
    assert "คำร้องประเภทนี้ต้องระบุสถานที่" in response.content.decode()
    assert client.get(url(org_a, "documents"))["Location"] == url(org_a, "place")


def test_a_pin_alone_is_enough_for_a_required_location(client: Client, org_a: Organisation) -> None:
    fill_details(client, org_a, type_key="street-light")
    fill_place(client, org_a, house_no="", village_no="", road="", landmark="",
               latitude="16.873456", longitude="99.085432")  # fmt: skip
    assert wizard_state(client, org_a)["place"]["latitude"] == "16.873456"


def test_half_a_pin_or_a_bad_postcode_is_refused(client: Client, org_a: Organisation) -> None:
    fill_details(client, org_a)
    page = client.post(
        url(org_a, "place"), {**PLACE, "latitude": "16.8", "postcode": "6318"}
    ).content.decode()
    assert "ตำแหน่งบนแผนที่ไม่ถูกต้อง" in page and 'href="#map-group"' in page
    assert "รหัสไปรษณีย์ต้องเป็นตัวเลข 5 หลัก" in page


def test_an_optional_place_can_be_skipped(client: Client, org_a: Organisation) -> None:
    fill_details(client, org_a, type_key="general")
    response = client.post(url(org_a, "place"), {"action": "skip"})
    assert response["Location"] == url(org_a, "documents")
    assert wizard_state(client, org_a)["place"] is None


def test_a_type_that_does_not_ask_for_a_place_goes_straight_to_documents(
    client: Client, org_a: Organisation
) -> None:
    response = client.post(url(org_a), details_data(org_a, type_key="corruption"))
    assert response["Location"] == url(org_a, "documents")
    assert client.get(url(org_a, "place"))["Location"] == url(org_a, "documents")


# -- step 3: documents --------------------------------------------------------------------------
def _at_documents(
    client: Client, organisation: Organisation, type_key: str = "street-light"
) -> None:
    fill_details(client, organisation, type_key=type_key)
    fill_place(client, organisation)


def _post_files(client: Client, organisation: Organisation, *files: object, **extra: object) -> str:
    response = client.post(
        url(organisation, "documents"), {"documents": list(files), "action": "upload", **extra}
    )
    return response.content.decode() if response.status_code == 200 else ""


def test_the_documents_step_tells_the_limits_before_uploading(
    client: Client, org_a: Organisation
) -> None:
    _at_documents(client, org_a)
    page = client.get(url(org_a, "documents")).content.decode()
    assert "ขั้นตอนที่ 3 จาก 5" in page
    assert "แนบได้ไม่เกิน 5 ไฟล์ ไฟล์ละไม่เกิน 10 MB" in page
    assert "ถ่ายเฉพาะด้านหน้าของบัตร" in page


def test_an_uploaded_photo_is_listed_with_its_thumbnail_for_this_session_only(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    _at_documents(client, org_a)
    _post_files(client, org_a, upload("ไฟดับ.jpg", jpeg_bytes(), "image/jpeg"))
    staged = wizard_state(client, org_a)["files"][0]
    page = client.get(url(org_a, "documents")).content.decode()
    assert "ไฟดับ.jpg" in page
    thumbnail = url(org_a, f"files/{staged['id']}")
    assert thumbnail in page
    response = client.get(thumbnail)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert Client().get(thumbnail).status_code == 404  # another visitor
    assert (
        client.get(url(org_b, f"files/{staged['id']}")).status_code == 404
    )  # another organisation


def test_it_refuses_more_than_five_files(client: Client, org_a: Organisation) -> None:
    _at_documents(client, org_a)
    photos = [upload(f"{n}.jpg", jpeg_bytes(40, 40), "image/jpeg") for n in range(6)]
    page = _post_files(client, org_a, *photos)
    assert "แนบเอกสารได้ไม่เกิน 5 ไฟล์" in page
    assert not wizard_state(client, org_a).get("files")
    assert (
        _post_files(
            client, org_a, *[upload(f"{n}.jpg", jpeg_bytes(40, 40), "image/jpeg") for n in range(4)]
        )
        == ""
    )
    assert len(wizard_state(client, org_a)["files"]) == 4
    page = _post_files(
        client, org_a, *[upload(f"x{n}.jpg", jpeg_bytes(40, 40), "image/jpeg") for n in range(2)]
    )
    assert "แนบไว้แล้ว 4 ไฟล์" in page


def test_it_refuses_a_file_over_the_limit(client: Client, org_a: Organisation) -> None:
    _at_documents(client, org_a)
    page = _post_files(
        client, org_a, upload("ใหญ่.jpg", b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024))
    )
    assert "ไฟล์ “ใหญ่.jpg”: ไฟล์ใหญ่เกิน 10 MB" in page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("รูปบ้าน.jpg", b"MZ\x90\x00\x03" + b"\0" * 300),  # a Windows program renamed .jpg
        ("เอกสาร.pdf", b"<!doctype html><script>alert(1)</script>"),  # HTML renamed .pdf
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
    ids=["executable-as-jpg", "html-as-pdf", "svg"],
)
def test_it_refuses_a_file_whose_content_is_not_an_accepted_type(
    client: Client, org_a: Organisation, name: str, content: bytes
) -> None:
    _at_documents(client, org_a)
    page = _post_files(client, org_a, upload(name, content, "image/jpeg"))
    assert f"ไฟล์ “{name}”" in page and "ไม่ใช่รูปภาพ" in page
    assert not wizard_state(client, org_a).get("files")


def test_it_refuses_a_png_bomb_quickly(client: Client, org_a: Organisation) -> None:
    _at_documents(client, org_a)
    started = time.monotonic()
    page = _post_files(client, org_a, upload("bomb.png", png_bomb_bytes(20_000), "image/png"))
    assert time.monotonic() - started < 2
    assert "พิกเซลใหญ่เกินไป" in page


def test_a_filename_with_a_path_and_a_right_to_left_override_is_shown_harmless(
    client: Client, org_a: Organisation
) -> None:
    _at_documents(client, org_a)
    _post_files(client, org_a, upload("../../\u202egpj.exe.jpg", jpeg_bytes(), "image/jpeg"))
    staged = wizard_state(client, org_a)["files"][0]
    assert staged["name"] == "gpj.exe.jpg"
    assert ".." not in staged["path"] and "gpj" not in staged["path"]


def test_a_type_that_requires_the_id_card_asks_for_it(client: Client, org_a: Organisation) -> None:
    _at_documents(client, org_a, type_key="patient-equipment")
    page = client.get(url(org_a, "documents")).content.decode()
    assert "(จำเป็นสำหรับคำร้องประเภทนี้)" in page
    response = client.post(url(org_a, "documents"), {"action": "next"})
    assert "ต้องแนบรูปบัตรประชาชน" in response.content.decode()
    response = client.post(
        url(org_a, "documents"), {"action": "next", "id_card": upload("บัตร.pdf", b"%PDF-1.4\n")}
    )
    assert "รูปบัตรประชาชนต้องเป็นไฟล์รูปภาพ" in response.content.decode()
    fill_documents(client, org_a, id_card=upload("บัตร.jpg", jpeg_bytes(), "image/jpeg"))
    assert client.get(url(org_a, "review")).status_code == 200


def test_a_file_can_be_removed(client: Client, org_a: Organisation) -> None:
    _at_documents(client, org_a)
    _post_files(client, org_a, upload("ผิด.jpg", jpeg_bytes(), "image/jpeg"))
    staged = wizard_state(client, org_a)["files"][0]
    client.post(url(org_a, "documents"), {"remove": staged["id"]})
    assert wizard_state(client, org_a)["files"] == []
    assert client.get(url(org_a, f"files/{staged['id']}")).status_code == 404


# -- step 4: review, and the order of the steps -------------------------------------------------
def test_review_shows_everything_with_edit_links_and_thumbnails(
    client: Client, org_a: Organisation
) -> None:
    to_review(client, org_a)
    page = client.get(url(org_a, "review")).content.decode()
    assert "ขั้นตอนที่ 4 จาก 5" in page
    for text in ("ไฟฟ้าสาธารณะ", "แจ้งไฟฟ้าดับ", "นางมาลี ศรีสุข", "081-234-5678"[:3], "เลขที่ 12/3",
                 "ตำบลเชียงทอง", "63180", "หน้าวัด", "ไฟดับ.jpg"):  # fmt: skip
        assert text in page
    assert "-xxxx-xxxxx-xx-" in page  # the ID is shown masked
    for step in ("", "place/", "documents/"):
        assert f'href="/wangchao/request/{step}"' in page
    assert "ยืนยันการเพิ่มคำร้อง/ร้องเรียน?" in page  # in the dialog


def test_going_back_keeps_everything_typed(client: Client, org_a: Organisation) -> None:
    to_review(client, org_a)
    details = client.get(url(org_a)).content.decode()
    assert 'value="แจ้งไฟฟ้าดับ"' in details and "ไฟส่องสว่างหน้าบ้านดับ" in details
    assert "checked" in details
    place = client.get(url(org_a, "place")).content.decode()
    assert 'value="12/3"' in place and 'value="หน้าวัด"' in place
    # Editing a step that was complete returns to review.
    response = client.post(url(org_a), details_data(org_a, subject="ไฟดับทั้งซอย"))
    assert response["Location"] == url(org_a, "review")
    assert "ไฟดับทั้งซอย" in client.get(url(org_a, "review")).content.decode()
    assert "ไฟดับ.jpg" in client.get(url(org_a, "review")).content.decode()


@pytest.mark.parametrize("step", ["place", "documents", "review", "confirm", "done"])
def test_a_step_opened_before_step_one_sends_the_citizen_to_step_one(
    client: Client, org_a: Organisation, step: str
) -> None:
    response = client.get(url(org_a, step), follow=True)
    assert response.redirect_chain[-1][0] == url(org_a)
    assert "กรุณาเริ่มกรอกคำร้องจากขั้นตอนที่ 1" in response.content.decode()


def test_skipping_the_place_step_is_sent_back_to_it(client: Client, org_a: Organisation) -> None:
    fill_details(client, org_a)
    assert client.get(url(org_a, "documents"))["Location"] == url(org_a, "place")
    assert client.get(url(org_a, "review"))["Location"] == url(org_a, "place")
    response = client.post(
        url(org_a, "confirm"), {"submission_key": wizard_state(client, org_a)["submission_key"]}
    )
    assert response["Location"] == url(org_a, "place")
    assert Case.objects.count() == 0


def test_a_final_post_without_the_earlier_steps_never_creates_a_request(
    client: Client, org_a: Organisation
) -> None:
    response = client.post(url(org_a, "confirm"), {"submission_key": "made-up"})
    assert response["Location"] == url(org_a)
    fill_details(client, org_a)
    fill_place(client, org_a)
    key = wizard_state(client, org_a)["submission_key"]
    assert client.post(url(org_a, "confirm"), {"submission_key": key})["Location"] == url(
        org_a, "documents"
    )
    assert Case.objects.count() == 0


def test_a_session_that_expired_mid_wizard_goes_back_to_step_one_with_a_message(
    client: Client, org_a: Organisation
) -> None:
    fill_details(client, org_a)
    Session.objects.all().delete()  # the session expired on the server
    response = client.post(url(org_a, "place"), PLACE, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url(org_a)
    assert "การทำรายการหมดเวลา" in response.content.decode()
    response = client.post(url(org_a, "confirm"), {"submission_key": "whatever"}, follow=True)
    assert "การทำรายการหมดเวลา" in response.content.decode()
    assert Case.objects.count() == 0


def test_an_unknown_organisation_is_not_found(client: Client, org_a: Organisation) -> None:
    assert client.get("/no-such-place/request/").status_code == 404


def test_an_upload_larger_than_all_files_together_is_refused_before_it_is_read(
    client: Client, org_a: Organisation
) -> None:
    _at_documents(client, org_a)
    client.handler.enforce_csrf_checks = True  # as in production, where the body holds the token
    assert client.post(url(org_a, "documents"), {"action": "next"}).status_code == 403
    response = client.post(
        url(org_a, "documents"), {"action": "next"}, CONTENT_LENGTH=str(200 * 1024 * 1024)
    )
    # Refused before the body is read (onestop.core.ingress), with a page that says what to do.
    assert response.status_code == 413
    assert "กรุณาแนบทีละไฟล์" in response.content.decode()
    assert not wizard_state(client, org_a).get("documents_done")


def test_markup_typed_by_a_citizen_is_shown_as_text(client: Client, org_a: Organisation) -> None:
    fill_details(client, org_a, subject="<script>alert(1)</script>", first_name="<b>มาลี</b>")
    fill_place(client, org_a, landmark='"><img src=x onerror=alert(1)>')
    fill_documents(client, org_a)
    page = client.get(url(org_a, "review")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "<b>มาลี</b>" not in page
