"""The public pages kept rendered in each worker (onestop.core.pagecache): they change as soon as
the organisation or its catalogue changes, in Thai and in English; they never carry one
visitor's token, messages, draft or language to another; and they go out gzip-compressed."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory

from onestop.catalog.models import Category
from onestop.core import pagecache
from onestop.core.compression import GZipMiddleware
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.factories import request_type

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
TH: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "th"}
PAGES = ["/", "/wangchao/", "/wangchao/oss/", "/wangchao/request/", "/wangchao/track/"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client: Client, path: str, **extra: Any) -> str:
    response = client.get(path, **extra)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def twice(path: str, **extra: Any) -> str:
    """The page as a first visitor gets it, then as a second one gets it from the cache."""
    first = page(Client(), path, **extra)
    second = page(Client(), path, **extra)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    return second


# --- Changes show at once, in both languages ----------------------------------------------------


def test_a_renamed_request_type_shows_on_the_oss_centre_and_the_wizard_in_both_languages(
    org_a: Organisation,
) -> None:
    street_light = request_type(org_a, "street-light")
    for path in ("/wangchao/oss/", "/wangchao/request/"):
        assert street_light.name_th in twice(path, **TH)
        assert street_light.name_en in twice(path, **EN)
    street_light.name_th = "โคมไฟถนนดับ (ชื่อใหม่)"
    street_light.name_en = "Street light out (new name)"
    street_light.save()
    for path in ("/wangchao/oss/", "/wangchao/request/"):
        thai, english = page(Client(), path, **TH), page(Client(), path, **EN)
        assert '<span class="oss-name">โคมไฟถนนดับ (ชื่อใหม่)' in thai or path.endswith("t/")
        assert "โคมไฟถนนดับ (ชื่อใหม่)" in thai
        assert "Street light out (new name)" in english


def test_a_closed_type_and_a_closed_category_leave_the_cached_pages(org_a: Organisation) -> None:
    drain = request_type(org_a, "road-drain")
    assert f"?type={drain.pk}" in twice("/wangchao/oss/")
    drain.is_active = False
    drain.save()
    assert f"?type={drain.pk}" not in page(Client(), "/wangchao/oss/")
    category = Category.objects.filter(organisation=org_a, is_active=True).first()
    assert category is not None
    assert category.name_en in twice("/wangchao/oss/", **EN)
    category.is_active = False
    category.save()
    assert category.name_en not in page(Client(), "/wangchao/oss/", **EN)


def test_an_organisation_renamed_shows_on_every_public_page_in_both_languages(
    org_a: Organisation,
) -> None:
    search = "/?q=%E0%B8%A7%E0%B8%B1%E0%B8%87%E0%B9%80%E0%B8%88%E0%B9%89%E0%B8%B2"  # วังเจ้า
    for path in [*PAGES, search]:
        twice(path, **TH)
        twice(path, **EN)
    org_a.name_th = "เทศบาลตำบลวังเจ้าใหม่"
    org_a.name_en = "New Wang Chao Municipality"
    org_a.phone = "055-999-999"
    org_a.save()
    assert "055-999-999" in page(Client(), "/wangchao/", **TH)
    for path in [*PAGES, search]:
        assert "เทศบาลตำบลวังเจ้าใหม่" in page(Client(), path, **TH), path
        assert "New Wang Chao Municipality" in page(Client(), path, **EN), path


def test_a_closed_organisation_is_gone_from_the_cache_too(org_a: Organisation) -> None:
    for path in PAGES[1:]:
        twice(path)
    org_a.is_active = False
    org_a.save()
    for path in PAGES[1:]:
        assert Client().get(path).status_code == 404, path


def test_a_change_made_by_another_worker_reaches_this_one(
    org_a: Organisation, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Another worker's change arrives as a new shared version; this worker reads it after
    ONESTOP_PAGE_CACHE_CHECK_SECONDS (0 here: at once) and renders again."""
    settings.ONESTOP_PAGE_CACHE_CHECK_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        org_a.save()  # publishes a version, as a commit does
    published = cache.get(pagecache.VERSION_KEY)
    assert published
    twice("/wangchao/")
    # Another worker renames it with a queryset update (no signal here), then publishes.
    Organisation.objects.filter(pk=org_a.pk).update(name_th="ชื่อจากอีกเครื่อง")
    assert "ชื่อจากอีกเครื่อง" not in page(Client(), "/wangchao/")  # still the kept page
    cache.set(pagecache.VERSION_KEY, "from-another-worker")
    assert "ชื่อจากอีกเครื่อง" in page(Client(), "/wangchao/")


def test_a_page_lives_no_longer_than_its_time(org_a: Organisation, settings: Any) -> None:
    twice("/wangchao/")
    Organisation.objects.filter(pk=org_a.pk).update(name_th="ชื่อที่สัญญาณไม่เห็น")
    settings.ONESTOP_PAGE_CACHE_SECONDS = 0  # no page kept at all
    assert "ชื่อที่สัญญาณไม่เห็น" in page(Client(), "/wangchao/")


# --- Nothing of one visitor reaches another -----------------------------------------------------


def test_every_visitor_gets_their_own_csrf_token_and_it_works(org_a: Organisation) -> None:
    pages = []
    for _ in range(3):
        client = Client(enforce_csrf_checks=True)
        html = page(client, "/wangchao/request/")
        tokens = set(TOKEN.findall(html))
        assert len(tokens) == 1  # the language switch and the form: this visitor's one token
        assert "csrftoken" in client.cookies  # and the cookie that goes with it
        pages.append((client, tokens.pop()))
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/wangchao/"},
                               HTTP_X_CSRFTOKEN="")  # fmt: skip
        assert response.status_code == 403  # without the token: refused
    assert len({token for _client, token in pages}) == 3
    for client, token in pages:
        response = client.post(
            "/i18n/setlang/",
            {"language": "en", "next": "/wangchao/", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302  # each visitor's own token is accepted


def test_a_visitor_with_a_cookie_keeps_their_csrf_secret(org_a: Organisation) -> None:
    client = Client(enforce_csrf_checks=True)
    page(client, "/wangchao/track/")
    secret = client.cookies["csrftoken"].value
    html = page(client, "/wangchao/track/")  # from the cache now
    assert client.cookies["csrftoken"].value == secret
    token = TOKEN.findall(html)[0]
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_message_is_shown_to_its_visitor_only(org_a: Organisation) -> None:
    twice("/wangchao/request/")  # kept, without a message
    visitor = Client()
    response = visitor.get("/wangchao/request/review/", follow=True)  # nothing entered yet
    assert "กรุณาเริ่มกรอกคำร้องจากขั้นตอนที่ 1" in response.content.decode()
    assert "กรุณาเริ่มกรอกคำร้องจากขั้นตอนที่ 1" not in page(visitor, "/wangchao/request/")
    assert "กรุณาเริ่มกรอกคำร้องจากขั้นตอนที่ 1" not in page(Client(), "/wangchao/request/")


def test_a_draft_of_step_one_is_never_shown_to_another_visitor(org_a: Organisation) -> None:
    twice("/wangchao/request/")
    visitor = Client()
    response = visitor.post("/wangchao/request/", {"subject": "ซอยมืดมากหน้าบ้านนายสมชาย"})
    assert response.status_code == 200  # refused: the other fields are missing
    assert "ซอยมืดมากหน้าบ้านนายสมชาย" in page(visitor, "/wangchao/request/")  # their draft
    assert "ซอยมืดมากหน้าบ้านนายสมชาย" not in page(Client(), "/wangchao/request/")


def test_each_language_is_its_own_page(org_a: Organisation) -> None:
    thai = twice("/wangchao/", **TH)
    english = page(Client(), "/wangchao/", **EN)
    assert '<html lang="th">' in thai and '<html lang="en">' in english
    chosen = Client()
    chosen.cookies["django_language"] = "en"
    assert '<html lang="en">' in page(chosen, "/wangchao/", **TH)


def test_the_language_switch_returns_to_the_page_asked_for(org_a: Organisation) -> None:
    twice("/wangchao/oss/")
    html = page(Client(), "/wangchao/oss/?q=%E0%B9%84%E0%B8%9F")
    assert 'name="next" value="/wangchao/oss/?q=%E0%B9%84%E0%B8%9F"' in html


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_in_officer_sees_the_same_public_page(
    path: str, org_a: Organisation, staff_a: Any
) -> None:
    kept = twice(path)
    officer = sign_in(Client(), staff_a.admin)
    assert TOKEN.sub("", page(officer, path)) == TOKEN.sub("", kept)


# --- On the wire --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_are_gzip_compressed_when_asked_and_light_with_fonts(
    path: str, org_a: Organisation
) -> None:
    for _ in range(2):  # rendered, then from the cache
        response = Client().get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        body = response.content
        assert body[3] & gzip.FNAME  # Django's BREACH mitigation: random bytes in the header
        html = gzip.decompress(body).decode()
        assert "</html>" in html and len(TOKEN.findall(html)) >= 1
    total = len(body)
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        total += _compressed(asset)
    fonts = Path(finders.find("vendor/sarabun/sarabun.css") or "").parent
    total += sum(len(font.read_bytes()) for font in fonts.glob("*.woff2"))
    assert total < 100_000, (path, total)
    plain = Client().get(path)
    assert not plain.has_header("Content-Encoding")  # not asked: not compressed


def _compressed(static_url: str) -> int:
    found = finders.find(static_url.removeprefix("/static/"))
    assert isinstance(found, str), static_url
    return len(gzip.compress(Path(found).read_bytes()))


def test_documents_are_not_compressed_again_text_is() -> None:
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    pdf = HttpResponse(b"%PDF-1.7 " + b"x" * 5000, content_type="application/pdf")
    middleware = GZipMiddleware(lambda _request: pdf)
    assert not middleware.process_response(request, pdf).has_header("Content-Encoding")
    csv = HttpResponse(b"a,b\n" * 2000, content_type="text/csv; charset=utf-8")
    assert middleware.process_response(request, csv)["Content-Encoding"] == "gzip"
