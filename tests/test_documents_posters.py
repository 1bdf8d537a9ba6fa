"""The QR poster: what a passer-by reads on it and where its QR code takes them."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image

from onestop.core.links import eservice_url
from onestop.documents.posters import poster_pdf, poster_png
from onestop.organisations.models import Organisation
from tests.documents_helpers import (
    ARTIFACTS,
    comparable,
    count_pixels,
    page_images,
    pdf_text,
    qr_texts,
)


def test_the_poster_is_one_a4_page_with_name_steps_and_address(org_a: Organisation) -> None:
    pdf = poster_pdf(org_a)
    text = comparable(pdf_text(pdf))
    pages = page_images(pdf, "poster")

    assert len(pages) == 1
    assert comparable("เทศบาลตำบลวังเจ้า") in text
    assert comparable("1. สแกน QR Code ด้วยกล้องโทรศัพท์มือถือ") in text
    assert comparable("2. เลือกเรื่องที่ต้องการแจ้ง") in text
    assert comparable("3. จดเลขคำร้องไว้ ใช้ติดตามผลการดำเนินงาน") in text
    assert comparable(eservice_url("wangchao")) in text
    assert comparable("/wangchao/track/") in text


def test_the_poster_qr_code_opens_the_organisations_e_service(org_a: Organisation) -> None:
    [page] = page_images(poster_pdf(org_a), "poster-qr", resolution=100)

    assert qr_texts(page) == [eservice_url("wangchao")]


def test_each_organisation_gets_its_own_qr_code(org_a: Organisation, org_b: Organisation) -> None:
    [page] = page_images(poster_pdf(org_b), "poster-other", resolution=100)
    text = comparable(pdf_text(poster_pdf(org_b)))

    assert qr_texts(page) == [eservice_url("other")]
    assert comparable("องค์การบริหารส่วนตำบลอื่น") in text
    assert comparable("วังเจ้า") not in text


def test_the_png_is_a_portrait_a4_image_whose_qr_code_scans(org_a: Organisation) -> None:
    png = poster_png(org_a)
    image = Image.open(io.BytesIO(png))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "poster.png").write_bytes(png)

    assert image.format == "PNG"
    assert (round(image.width, -1), image.height) == (1240, 1754)  # A4 at 150 dpi
    assert qr_texts(png) == [eservice_url("wangchao")]


def test_a_logo_is_printed_above_the_name(org_a: Organisation) -> None:
    logo = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 90, 160)).save(logo, format="PNG")
    org_a.logo.save("logo.png", ContentFile(logo.getvalue()))
    org_a.phone = "055-123456"
    org_a.save()

    pdf = poster_pdf(org_a)
    [page] = page_images(pdf, "poster-logo", resolution=60)

    blue = count_pixels(page, lambda p: p[2] > 120 > p[0])
    assert blue > 500  # the blue logo is there
    assert comparable("สอบถาม โทร 055-123456") in comparable(pdf_text(pdf))
    assert qr_texts(page) == [eservice_url("wangchao")]


def test_a_logo_that_is_not_an_image_is_left_out(org_a: Organisation) -> None:
    org_a.logo.save("logo.png", ContentFile(b"<svg>not a png</svg>"))

    assert poster_pdf(org_a).startswith(b"%PDF")
