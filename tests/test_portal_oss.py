"""The One Stop Service centre as a citizen chooses a type on it: compact rows by category, the
organisation's most used types first, a filter that works without JavaScript, and hints that
are shortened only between words."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from onestop.catalog.models import RequestType
from onestop.core import pagecache
from onestop.documents.thai_text import shorten, words
from onestop.organisations.models import Organisation
from tests.factories import make_case, request_type

EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}


def oss(client: Client, query: str = "", **extra: Any) -> str:
    response = client.get("/wangchao/oss/", {"q": query} if query else {}, **extra)
    assert response.status_code == 200
    return response.content.decode()


def type_links(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/wangchao/request/\?type=(\d+)"', html)]


def popular(html: str) -> list[int]:
    match = re.search(r'class="list-plain oss-chips">(.*?)</ul>', html, re.S)
    return type_links(match.group(1)) if match else []


def test_every_active_type_is_one_row_under_its_category(
    client: Client, org_a: Organisation
) -> None:
    html = oss(client)
    active = RequestType.objects.filter(organisation=org_a, is_active=True)
    assert sorted(type_links(html)) == sorted(t.pk for t in active)
    utilities = html.index("ระบบสาธารณูปโภค")
    assert utilities < html.index("ไฟฟ้าสาธารณะ") < html.index("สังคมและสวัสดิการ")
    assert "<h4" not in html and "card service" not in html  # no more tall cards


def test_the_most_used_types_come_first_most_used_first(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    assert popular(oss(client)) == []  # nothing filed yet: no shortcuts
    for key in ("garbage-bin", "street-light", "street-light", "road-drain", "road-drain",
                "road-drain", "tree-cutting"):  # fmt: skip
        make_case(org_a, type_key=key)
    for _ in range(5):
        make_case(org_b, type_key="flood")  # another organisation's requests do not count
    # The kept page lives ONESTOP_PAGE_CACHE_SECONDS (a new request does not drop it): later.
    pagecache.clear_local()
    assert popular(oss(client)) == [
        request_type(org_a, "road-drain").pk,
        request_type(org_a, "street-light").pk,
        request_type(org_a, "garbage-bin").pk,  # ties: the older type first
    ]


def test_a_confidential_or_closed_type_is_never_a_shortcut(
    client: Client, org_a: Organisation
) -> None:
    for key in ("corruption", "corruption", "street-light", "street-light", "flood"):
        make_case(org_a, type_key=key)
    RequestType.objects.filter(organisation=org_a, key="street-light").update(is_active=False)
    assert popular(oss(client)) == [request_type(org_a, "flood").pk]


def test_the_filter_works_without_javascript(client: Client, org_a: Organisation) -> None:
    html = oss(client, "ขยะ")
    assert type_links(html) == [request_type(org_a, "garbage-bin").pk]
    assert "พบ 1 เรื่อง" in html and 'value="ขยะ"' in html
    # Every word must match, in either language, whatever the case.
    assert type_links(oss(client, "  STREET   lights ")) == [request_type(org_a, "street-light").pk]


def test_a_filter_that_finds_nothing_says_so_and_offers_everything(
    client: Client, org_a: Organisation
) -> None:
    html = oss(client, "ไม่มีเรื่องนี้แน่นอน")
    assert type_links(html) == []
    assert "ไม่พบเรื่องที่ตรงกับคำค้น" in html and 'href="/wangchao/oss/"' in html
    assert "องค์กรนี้ยังไม่เปิดรับคำร้องออนไลน์" not in html


def test_a_hostile_or_oversized_filter_is_harmless(client: Client, org_a: Organisation) -> None:
    html = oss(client, '<script>alert(1)</script>"')
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert type_links(oss(client, "ก" * 5000)) == []  # cut to 100 characters, no error


def test_the_filter_reads_only_this_organisations_types(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    RequestType.objects.filter(organisation=org_b, key="street-light").update(
        name_th="ไฟฟ้าสาธารณะของอีกองค์กร"
    )
    assert type_links(oss(client, "อีกองค์กร")) == []
    theirs = request_type(org_b, "street-light").pk
    assert theirs not in type_links(oss(client))


def test_hints_are_shortened_between_words_only(client: Client, org_a: Organisation) -> None:
    html = oss(client)
    hints = re.findall(r'<span class="oss-hint">(.*?)</span>', html)
    assert hints
    for request_type_ in RequestType.objects.filter(organisation=org_a, is_active=True):
        description = " ".join(request_type_.description_th.split())
        if not description:
            continue
        hint = shorten(description, 44)
        assert hint in hints
        kept = hint.removesuffix("…")
        assert description.startswith(kept)
        if kept != description:  # cut: the next character starts a new word
            boundaries = {0}
            for word in words(description):
                boundaries.add(max(boundaries) + len(word))
            assert len(kept) in boundaries or description[len(kept)] == " "


def test_shorten_never_cuts_a_thai_word() -> None:
    text = "ระบุวัน ช่วงเวลา และจุดที่เกิดเหตุ ที่ต้องการขอดูภาพจากกล้องวงจรปิด"
    assert shorten(text, 100) == text
    short = shorten(text, 20)
    assert short.endswith("…") and len(short) <= 21
    assert short in {"ระบุวัน ช่วงเวลา…", "ระบุวัน ช่วงเวลา และ…"}
    assert shorten("Say who, when, where and what happened", 16) == "Say who, when…"
    assert shorten("Supercalifragilistic words", 10) == "Supercalifragilistic…"  # never halved


def test_the_oss_centre_in_english_has_english_hints(client: Client, org_a: Organisation) -> None:
    html = oss(client, **EN)
    assert '<span class="oss-name">Public electricity / street lights</span>' in html
    assert re.search(r'<span class="oss-hint">[A-Z][^<]*</span>', html)


def test_the_oss_centre_reads_the_database_four_times(
    client: Client, org_a: Organisation, django_assert_num_queries: Any
) -> None:
    for key in ("street-light", "road-drain", "flood"):
        make_case(org_a, type_key=key)
    with django_assert_num_queries(4):  # organisation, categories, types, most used
        oss(client)
    with django_assert_num_queries(3):  # filtered: no shortcuts
        oss(client, "ไฟ")
