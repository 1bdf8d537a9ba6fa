"""One address line everywhere: the formatter (`core.addresses.format_address`) and the screens
and documents that show a place (the wizard's review, the request PDF, the staff case page)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from onestop.cases.models import Case
from onestop.cases.services import Place
from onestop.core.addresses import format_address
from onestop.documents.pdf import request_document_pdf
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.documents_helpers import comparable, pdf_text
from tests.factories import make_case
from tests.wizard import fill_details, fill_documents, fill_place, url

BANGKOK_TYPED = Place(
    house_no="บ้านเลขที่ 99/1", soi="ซ.สุขุมวิท 71", road="ถ.สุขุมวิท",
    subdistrict="แขวงพระโขนงเหนือ", district="เขตวัฒนา", province="กทม.", postcode="10110",
)  # fmt: skip
BANGKOK_LINE = "บ้านเลขที่ 99/1 ซอยสุขุมวิท 71 ถนนสุขุมวิท แขวงพระโขนงเหนือ เขตวัฒนา กรุงเทพมหานคร 10110"


def _case_at(organisation: Organisation, place: Place) -> Case:
    case = make_case(organisation)
    for name in ("house_no", "village_no", "village", "soi", "road", "subdistrict", "district",
                 "province", "postcode"):  # fmt: skip
        setattr(case, name, getattr(place, name))
    case.save()
    return case


# -- the formatter -------------------------------------------------------------------------------
def test_outside_bangkok_it_writes_tambon_amphoe_changwat() -> None:
    place = Place(house_no="12/3", village_no="4", road="พหลโยธิน", subdistrict="เชียงทอง",
                  district="วังเจ้า", province="ตาก", postcode="63180")  # fmt: skip
    assert format_address(place) == (
        "บ้านเลขที่ 12/3 หมู่ที่ 4 ถนนพหลโยธิน ตำบลเชียงทอง อำเภอวังเจ้า จังหวัดตาก 63180"
    )


def test_in_bangkok_it_writes_khwaeng_khet_and_the_city_without_changwat() -> None:
    place = Place(house_no="99/1", soi="5", road="สุขุมวิท", subdistrict="พระโขนงเหนือ",
                  district="วัฒนา", province="กรุงเทพมหานคร", postcode="10110")  # fmt: skip
    line = format_address(place)
    assert line == ("บ้านเลขที่ 99/1 ซอย 5 ถนนสุขุมวิท แขวงพระโขนงเหนือ เขตวัฒนา กรุงเทพมหานคร 10110")
    assert "ตำบล" not in line and "อำเภอ" not in line and "จังหวัด" not in line


def test_a_prefix_typed_by_the_citizen_is_not_written_twice() -> None:
    typed = Place(house_no="เลขที่ 12/3", village_no="ม.4", soi="ซอยร่มเย็น",
                  road="ถนนพหลโยธิน", subdistrict="ต.เชียงทอง", district="อ.วังเจ้า",
                  province="จ.ตาก")  # fmt: skip
    assert format_address(typed) == (
        "บ้านเลขที่ 12/3 หมู่ที่ 4 ซอยร่มเย็น ถนนพหลโยธิน ตำบลเชียงทอง อำเภอวังเจ้า จังหวัดตาก"
    )
    assert format_address(BANGKOK_TYPED) == BANGKOK_LINE


def test_empty_parts_are_left_out() -> None:
    assert format_address(Place()) == ""
    assert format_address(Place(road="  ", subdistrict="นาโบสถ์", province="ตาก")) == (
        "ตำบลนาโบสถ์ จังหวัดตาก"
    )
    assert format_address(Place(village="ชุมชนริมคลอง", postcode="63180")) == "ชุมชนริมคลอง 63180"


def test_in_english_the_words_are_translated_and_spaced() -> None:
    with translation.override("en"):
        line = format_address(Place(road="ถนนพหลโยธิน", subdistrict="เชียงทอง"))
    assert line == "Road พหลโยธิน Subdistrict เชียงทอง"


# -- where it is shown ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_review_page_shows_the_typed_place_as_one_address_line(
    client: Client, org_a: Organisation
) -> None:
    fill_details(client, org_a)
    fill_place(client, org_a, road="ถนนพหลโยธิน", soi="ซอย 3", subdistrict="ตำบลเชียงทอง",
               district="", province="", postcode="")  # fmt: skip
    fill_documents(client, org_a)
    page = client.get(url(org_a, "review")).content.decode()
    assert ("บ้านเลขที่ 12/3 หมู่ที่ 4 ซอย 3 ถนนพหลโยธิน ตำบลเชียงทอง อำเภอวังเจ้า จังหวัดตาก 63180") in page
    assert "ถนนถนน" not in page and "ซอยซอย" not in page and "ตำบลตำบล" not in page


@pytest.mark.django_db
def test_the_request_document_prints_the_same_address_line(org_a: Organisation) -> None:
    case = _case_at(org_a, BANGKOK_TYPED)
    text = pdf_text(request_document_pdf(case))
    assert comparable(BANGKOK_LINE) in comparable(text)
    assert "จังหวัด" + "กรุงเทพ" not in comparable(text)


@pytest.mark.django_db
def test_the_staff_case_page_shows_the_same_address_line(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = _case_at(org_a, BANGKOK_TYPED)
    page = (
        sign_in(client, staff_a.counter)
        .get(f"/staff/{org_a.slug}/cases/{case.number}/")
        .content.decode()
    )
    assert BANGKOK_LINE in page
    assert "ตำบล พระโขนงเหนือ" not in page and "จังหวัด กทม." not in page


@pytest.mark.django_db
def test_a_place_given_only_by_its_soi_is_shown_to_staff(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = _case_at(org_a, Place(soi="ร่มเย็น"))
    page = (
        sign_in(client, staff_a.counter)
        .get(f"/staff/{org_a.slug}/cases/{case.number}/")
        .content.decode()
    )
    assert "ซอยร่มเย็น" in page
