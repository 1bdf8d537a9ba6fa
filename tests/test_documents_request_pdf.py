"""The request document (เอกสารคำร้อง): what a citizen and the office read on it, and what must
never be on it."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pypdfium2
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from PIL import Image

from onestop.cases.models import Case
from onestop.cases.services import NewFile
from onestop.core.addresses import format_address
from onestop.core.links import tracking_url
from onestop.core.thaidate import THAI_MONTHS, buddhist_year
from onestop.documents.pdf import request_document_pdf
from onestop.organisations.models import Organisation
from tests.conftest import require_tool
from tests.documents_helpers import comparable, count_pixels, page_images, pdf_text, qr_texts
from tests.factories import make_case

NATIONAL_ID = "1101700230708"
PHONE = "0812345678"


@pytest.fixture
def case(org_a: Organisation) -> Case:
    org_a.address = "999 หมู่ 1 ถนนพหลโยธิน ตำบลเชียงทอง อำเภอวังเจ้า จังหวัดตาก 63180"
    org_a.phone = "055-123456"
    org_a.save()
    return make_case(
        org_a,
        subject="แจ้งไฟฟ้าดับหน้าบ้านเลขที่ 12/3",
        national_id=NATIONAL_ID,
        phone=PHONE,
        files=(
            NewFile(b"\xff\xd8\xff", "เสาไฟหน้าบ้าน.jpg", "image/jpeg", "jpg"),
            NewFile(b"%PDF-1.4", "แผนที่.pdf", "application/pdf", "pdf"),
        ),
    )


def test_it_shows_the_number_subject_organisation_and_buddhist_era_date(case: Case) -> None:
    text = pdf_text(request_document_pdf(case))

    assert case.display_number in text
    assert comparable("แบบคำร้อง/ร้องเรียน") in comparable(text)
    assert comparable(case.subject) in comparable(text)
    assert comparable("เทศบาลตำบลวังเจ้า") in comparable(text)
    assert comparable("ถนนพหลโยธิน ตำบลเชียงทอง") in comparable(text)
    filed = timezone.localtime(case.submitted_at)
    month = THAI_MONTHS[filed.month - 1]
    assert comparable(f"วันที่ {filed.day} {month} {buddhist_year(filed)}") in comparable(text)
    assert comparable(f"{month} {filed.year}") not in comparable(text)  # never the Christian year


def test_it_shows_the_requester_with_id_and_phone_masked(case: Case) -> None:
    pdf = request_document_pdf(case)
    text = pdf_text(pdf)

    assert comparable("นางมาลี ศรีสุข") in comparable(text)
    assert "1-xxxx-xxxxx-xx-8" in text
    assert "08x-xxx-5678" in text
    digits_only = "".join(ch for ch in text if ch.isdigit())
    for secret in (NATIONAL_ID, PHONE, "812345678", NATIONAL_ID[1:12]):
        assert secret not in digits_only.replace(case.number, "")
        assert secret.encode() not in pdf


def test_metadata_names_the_document_but_no_person(case: Case) -> None:
    document = pypdfium2.PdfDocument(request_document_pdf(case))
    metadata = document.get_metadata_dict()
    document.close()

    assert metadata["Title"] == f"แบบคำร้อง/ร้องเรียน เลขที่ {case.display_number}"
    assert metadata["Author"] == "เทศบาลตำบลวังเจ้า"
    for value in metadata.values():
        for personal in ("มาลี", "ศรีสุข", NATIONAL_ID, PHONE, "812345678", "xxx"):
            assert personal not in value


def test_it_lists_the_place_and_the_attached_files(case: Case) -> None:
    case.landmark = "ตรงข้ามวัดเชียงทอง"
    case.latitude, case.longitude = Decimal("16.954321"), Decimal("98.876543")
    case.save()

    text = comparable(pdf_text(request_document_pdf(case)))

    assert comparable("บ้านเลขที่ 12/3 หมู่ที่ 4 ถนนพหลโยธิน ตำบลเชียงทอง อำเภอวังเจ้า") in text
    assert comparable("จังหวัดตาก 63180") in text
    assert comparable("ตรงข้ามวัดเชียงทอง") in text
    assert "16.954321,98.876543" in text
    assert comparable("เสาไฟหน้าบ้าน.jpg (เอกสารประกอบ)") in text
    assert comparable("แผนที่.pdf") in text


def test_a_request_without_place_or_files_says_so(org_a: Organisation) -> None:
    case = make_case(org_a, type_key="general")
    Case.objects.filter(pk=case.pk).update(
        house_no="", village_no="", road="", subdistrict="", district="", province="",
        postcode="",
    )  # fmt: skip
    case.refresh_from_db()

    text = comparable(pdf_text(request_document_pdf(case)))

    assert comparable("ไม่ระบุสถานที่") in text
    assert comparable("ไม่มีเอกสารแนบ") in text


def test_the_qr_code_opens_the_tracking_page_with_the_number(case: Case) -> None:
    pdf = request_document_pdf(case)
    url = tracking_url(case.organisation.slug, case.number)

    [first_page, *_] = page_images(pdf, "request-qr", resolution=150)

    assert qr_texts(first_page) == [url]
    assert url in pdf_text(pdf).replace("\n", "").replace(" ", "")


def test_it_has_signature_blocks_for_citizen_and_officer(case: Case) -> None:
    text = comparable(pdf_text(request_document_pdf(case)))

    assert comparable("ผู้ยื่นคำร้อง") in text
    assert comparable("ผู้รับคำร้อง") in text
    assert comparable("สำหรับเจ้าหน้าที่") in text


def test_long_details_continue_on_further_pages_with_nothing_lost(case: Case) -> None:
    paragraph = "ถนนในหมู่บ้านชำรุดเป็นหลุมเป็นบ่อ น้ำท่วมขังทุกครั้งที่ฝนตก ผู้สูงอายุเดินลำบาก "
    case.details = "\n".join(f"{n}. {paragraph * 3}" for n in range(1, 41))
    case.save()

    pdf = request_document_pdf(case)
    text = pdf_text(pdf)
    pages = page_images(pdf, "request-long")

    assert len(pages) >= 3
    assert f"หน้า 1/{len(pages)}".replace(" ", "") in text.replace(" ", "")
    for n in (1, 20, 40):
        assert f"{n}. " in text
    assert text.count(case.display_number) >= len(pages)  # the footer of every page


def test_a_confidential_complaint_is_marked_on_every_page(org_a: Organisation) -> None:
    case = make_case(org_a, type_key="official-complaint", subject="ร้องเรียนเจ้าหน้าที่")

    pdf = request_document_pdf(case)
    text = pdf_text(pdf)
    page_images(pdf, "request-confidential")

    assert case.request_type.is_confidential
    assert comparable(text).count(comparable("ลับ")) >= 2
    assert case.national_id_masked in text


def test_it_is_thai_whatever_the_readers_language(case: Case) -> None:
    with translation.override("en"):
        text = comparable(pdf_text(request_document_pdf(case)))

    assert comparable("แบบคำร้อง/ร้องเรียน") in text
    assert comparable("พฤศจิกายน") in text or any(
        comparable(month) in text for month in ("มกราคม", "ธันวาคม", "มิถุนายน")
    )


def test_a_broken_logo_file_does_not_stop_the_document(case: Case) -> None:
    case.organisation.logo.name = "logos/missing.png"
    case.organisation.save()

    assert request_document_pdf(case).startswith(b"%PDF")


def test_render_for_review(case: Case) -> None:
    """Writes test-artifacts/request-N.png for a person to look at."""
    case.details = (
        "ไฟส่องสว่างหน้าบ้านดับมาสามคืนแล้ว ช่วงกลางคืนมืดมาก เด็กและผู้สูงอายุเดินลำบาก "
        "มีรถจักรยานยนต์ล้มไปแล้วหนึ่งคัน (ต่างๆ นานา) ขอให้ส่งเจ้าหน้าที่มาซ่อมโดยด่วน "
        "โทรติดต่อได้ที่ 055-123456 หรือดูรายละเอียดที่ https://example.com/photos/2569/11/25"
    )
    case.landmark = "ตรงข้ามร้านก๋วยเตี๋ยวป้าน้ำ ใกล้ศาลาประชาคมหมู่ 4"
    case.latitude, case.longitude = Decimal("16.954321"), Decimal("98.876543")
    case.save()

    assert page_images(request_document_pdf(case), "request")


def test_thai_can_be_searched_and_copied_exactly(org_a: Organisation) -> None:
    """Shaping draws `ำ` as two glyphs and moves tone marks; the text behind them stays exact."""
    subject = "น้ำประปาไม่ไหล ท่อชำรุดที่ตำบลเชียงทอง"
    details = "ปู่ย่าตายายต้องตักน้ำจากบ่อ ที่นี่ไม่มีน้ำใช้มาสามวันแล้ว กรุงเทพฯ ฯลฯ ต่างๆ"
    case = make_case(org_a, subject=subject)
    case.details = details
    case.save()

    text = pdf_text(request_document_pdf(case))

    assert subject in text
    assert details in text


def test_a_bangkok_address_uses_khwaeng_and_khet_and_no_prefix_twice(org_a: Organisation) -> None:
    case = make_case(org_a)
    case.house_no, case.village_no, case.village = "99/1", "", "ชุมชนริมคลอง"
    case.soi, case.road = "ซอยสุขุมวิท 71", "ถนนสุขุมวิท"
    case.subdistrict, case.district = "พระโขนงเหนือ", "วัฒนา"
    case.province, case.postcode = "กรุงเทพมหานคร", "10110"

    assert format_address(case) == (
        "บ้านเลขที่ 99/1 ชุมชนริมคลอง ซอยสุขุมวิท 71 ถนนสุขุมวิท แขวงพระโขนงเหนือ เขตวัฒนา กรุงเทพมหานคร 10110"
    )


def test_an_address_outside_bangkok_uses_tambon_amphoe_changwat(org_a: Organisation) -> None:
    case = make_case(org_a)

    assert format_address(case) == (
        "บ้านเลขที่ 12/3 หมู่ที่ 4 ถนนพหลโยธิน ตำบลเชียงทอง อำเภอวังเจ้า จังหวัดตาก 63180"
    )


def test_hostile_or_unprintable_text_is_printed_safely(
    org_a: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    case = make_case(org_a, subject="ไฟดับ 😀🔥 \u202egnp.exe\u202c \u200b漢字\x01 แท็บ\tตรงนี้")
    case.details = "ก" * 1000 + "\n\x07\x1b[31m" + "ยาวมาก " * 500
    case.landmark = "🏠" * 50
    case.save()

    pdf = request_document_pdf(case)
    text = pdf_text(pdf)

    assert "ไฟดับ gnp.exe แท็บ ตรงนี้" in text  # an override never turns it into "exe.png"
    assert "exe.png" not in text
    assert comparable("ก" * 1000) in comparable(text)  # an endless "word" still wraps
    assert not [r for r in caplog.records if r.levelname in {"WARNING", "ERROR"}]
    assert len(page_images(pdf, "request-hostile")) >= 2


def test_a_long_name_logo_and_long_subject_fit_the_header(org_a: Organisation) -> None:
    logo = io.BytesIO()
    Image.new("RGB", (200, 240), (200, 30, 30)).save(logo, format="PNG")
    org_a.logo.save("logo.png", ContentFile(logo.getvalue()))
    org_a.name_th = "องค์การบริหารส่วนตำบลบ้านใหม่หนองไทรพัฒนาเฉลิมพระเกียรติ"
    org_a.address = "หมู่ที่ 9 ถนนมิตรภาพ ตำบลบ้านใหม่หนองไทร อำเภอด่านขุนทด จังหวัดนครราชสีมา 30210"
    org_a.phone, org_a.email = "044-123456", "saraban@banmai.go.th"
    org_a.save()
    subject = "ขอให้ซ่อมแซมถนนลูกรังสายบ้านหนองไทร-บ้านโนนสมบูรณ์ที่ชำรุดเสียหาย " * 3
    case = make_case(org_a, subject=subject.strip()[:200])

    pdf = request_document_pdf(case)
    text = pdf_text(pdf)
    [page] = page_images(pdf, "request-logo", resolution=100)

    assert comparable(org_a.name_th) in comparable(text)
    assert comparable(case.subject) in comparable(text)
    assert comparable("saraban@banmai.go.th") in comparable(text)
    assert qr_texts(page) == [tracking_url(org_a.slug, case.number)]
    assert count_pixels(page, lambda p: p[0] > 150 > p[1]) > 500  # the red logo is printed


def test_thai_reads_in_order_for_extractors_that_sort_by_position(org_a: Organisation) -> None:
    """Copy-paste in some viewers and plain `pdftotext` sort glyphs left to right: a tone mark
    a hair right of its letter used to come out after the next vowel (`ยา่`). (Not exact for
    every word, e.g. where the font moves a tone mark far left: `pdftotext -raw` is exact.)"""
    details = "ปู่ย่าที่นี่ ความยุ่งยากที่ผ่านมา ด้วยเหตุนี้"
    case = make_case(org_a)
    case.details = details
    case.save()
    tool = require_tool("pdftotext")

    text = subprocess.run(
        [tool, "-", "-"], input=request_document_pdf(case), capture_output=True, check=True
    ).stdout.decode()

    assert details in text
