"""The public way in: home (find your organisation) → organisation page → One Stop Service
centre, in Thai and English."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from onestop.catalog.models import RequestType
from onestop.organisations.models import Organisation
from onestop.portal.selectors import search_terms
from tests.factories import make_organisation

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}


def page(client: Client, url: str, **extra: Any) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_home_page_lists_a_small_platforms_organisations(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    html = page(client, "/")
    assert 'lang="th"' in html
    assert "เทศบาลตำบลวังเจ้า" in html and "องค์การบริหารส่วนตำบลอื่น" in html
    assert 'href="/wangchao/"' in html


def test_part_of_the_thai_name_finds_the_organisation(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    html = page(client, "/?q=วังเจ้า")
    assert "เทศบาลตำบลวังเจ้า" in html
    assert "องค์การบริหารส่วนตำบลอื่น" not in html


def test_the_usual_abbreviations_are_understood(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    assert search_terms("ทต.วังเจ้า") == ["เทศบาลตำบล", "วังเจ้า"]
    html = page(client, "/?q=ทต.วังเจ้า")
    assert "เทศบาลตำบลวังเจ้า" in html
    assert "องค์การบริหารส่วนตำบลอื่น" not in html


def test_choosing_a_province_lists_only_its_organisations(client: Client, db: None) -> None:
    make_organisation(slug="maesot", name_th="เทศบาลนครแม่สอด", province="ตาก")
    make_organisation(slug="chiangmai", name_th="เทศบาลนครเชียงใหม่", province="เชียงใหม่")
    html = page(client, "/?province=เชียงใหม่")
    assert "เทศบาลนครเชียงใหม่" in html and "เทศบาลนครแม่สอด" not in html
    assert '<option value="เชียงใหม่" selected>' in html


def test_an_unknown_province_or_hostile_query_is_harmless(
    client: Client, org_a: Organisation
) -> None:
    html = page(client, "/?province=<script>alert(1)</script>&q=%25' OR 1=1 --")
    assert "<script>alert(1)</script>" not in html
    assert "ไม่พบองค์กรที่ตรงกับคำค้น" in html
    page(client, "/?q=" + "ก" * 5000)  # oversized: cut, not an error


def test_nothing_matching_says_so(client: Client, org_a: Organisation) -> None:
    assert "ไม่พบองค์กรที่ตรงกับคำค้น" in page(client, "/?q=ไม่มีองค์กรนี้")


def test_a_national_platform_asks_to_search_first_and_caps_the_results(
    client: Client, db: None
) -> None:
    Organisation.objects.bulk_create(
        Organisation(
            code=f"B{n}",
            slug=f"bulk{n}",
            name_th=f"องค์การบริหารส่วนตำบลทดสอบ{n}",
            kind="sao",
            province="ตาก",
            district="เมือง",
        )
        for n in range(60)
    )
    html = page(client, "/")
    assert "องค์การบริหารส่วนตำบลทดสอบ" not in html
    html = page(client, "/?q=ทดสอบ")
    assert html.count('class="org-link"') == 50
    assert "แสดง 50 รายการแรก" in html


def test_the_search_runs_in_a_fixed_number_of_queries(
    client: Client, org_a: Organisation, org_b: Organisation, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):  # provinces, results
        client.get("/?q=วังเจ้า")


def test_the_home_page_in_english(client: Client, org_a: Organisation) -> None:
    org_a.name_en = "Wang Chao Subdistrict Municipality"
    org_a.save()
    html = page(client, "/", **EN)
    assert 'lang="en"' in html
    assert "Wang Chao Subdistrict Municipality" in html
    assert "ภาษาไทย" in html  # the switch back


def test_the_organisation_page_shows_name_contacts_and_the_oss_entry(
    client: Client, org_a: Organisation
) -> None:
    org_a.phone = "055-123456"
    org_a.email = "saraban@wangchao.go.th"
    org_a.address = "99 หมู่ 1 ตำบลวังเจ้า"
    org_a.save()
    html = page(client, "/wangchao/")
    assert "<h1>เทศบาลตำบลวังเจ้า</h1>" in html
    assert 'href="tel:055-123456"' in html and "saraban@wangchao.go.th" in html
    assert "99 หมู่ 1 ตำบลวังเจ้า" in html
    assert 'href="/wangchao/oss/"' in html and "ศูนย์บริการจุดเดียวเบ็ดเสร็จ" in html


def test_the_organisation_page_in_english(client: Client, org_a: Organisation) -> None:
    org_a.name_en = "Wang Chao Subdistrict Municipality"
    org_a.save()
    html = page(client, "/wangchao/", **EN)
    assert 'lang="en"' in html and "<h1>Wang Chao Subdistrict Municipality</h1>" in html


def test_unknown_and_closed_organisations_are_not_found(
    client: Client, org_a: Organisation
) -> None:
    assert client.get("/nowhere/").status_code == 404
    assert client.get("/nowhere/oss/").status_code == 404
    org_a.is_active = False
    org_a.save()
    assert client.get("/wangchao/").status_code == 404
    assert client.get("/wangchao/oss/").status_code == 404


def test_the_oss_centre_lists_the_catalogue_with_links_into_the_wizard(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    html = page(client, "/wangchao/oss/")
    assert "ระบบสาธารณูปโภค" in html and "ไฟฟ้าสาธารณะ" in html
    street_light = RequestType.objects.get(organisation=org_a, key="street-light")
    assert f'href="/wangchao/request/?type={street_light.pk}"' in html
    assert html.count('href="/wangchao/request/?type=') == (
        RequestType.objects.filter(organisation=org_a, is_active=True).count()
    )
    assert 'href="/wangchao/track/"' in html and "ตรวจสอบผลดำเนินการ" in html
    theirs = RequestType.objects.get(organisation=org_b, key="street-light")
    assert f"type={theirs.pk}" not in html


def test_a_disabled_type_is_not_offered(client: Client, org_a: Organisation) -> None:
    RequestType.objects.filter(organisation=org_a, key="street-light").update(is_active=False)
    assert "ไฟฟ้าสาธารณะ" not in page(client, "/wangchao/oss/")


def test_the_oss_centre_in_english(client: Client, org_a: Organisation) -> None:
    html = page(client, "/wangchao/oss/", **EN)
    assert 'lang="en"' in html and "Public electricity / street lights" in html


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_logo_is_shown_and_served(client: Client, org_a: Organisation) -> None:
    assert client.get("/wangchao/logo/").status_code == 404
    org_a.logo.save("emblem.png", ContentFile(_png()))
    assert 'src="/wangchao/logo/"' in page(client, "/wangchao/")
    response = client.get("/wangchao/logo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_an_svg_logo_is_never_served(client: Client, org_a: Organisation) -> None:
    org_a.logo.save("emblem.svg", ContentFile(b"<svg onload='alert(1)'/>"))
    assert client.get("/wangchao/logo/").status_code == 404


@pytest.mark.parametrize("url", ["/", "/wangchao/", "/wangchao/oss/"])
def test_public_pages_refuse_post(client: Client, org_a: Organisation, url: str) -> None:
    assert client.post(url).status_code == 405
