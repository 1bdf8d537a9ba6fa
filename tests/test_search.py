"""Staff search finds a Thai word inside a sentence, on both databases, within one organisation."""

from __future__ import annotations

import pytest

from onestop.cases import search
from onestop.cases.models import Case
from onestop.cases.search import case_search
from onestop.cases.selectors import case_list_for_organisation, case_page_after
from onestop.organisations.models import Organisation
from tests.factories import make_case


def _search(organisation: Organisation, text: str) -> set[str]:
    cases = case_list_for_organisation(organisation=organisation, include_confidential=True)
    return set(case_search(cases, text).values_list("subject", flat=True))


@pytest.fixture
def cases(org_a: Organisation, org_b: Organisation) -> dict[str, Case]:
    return {
        "light": make_case(org_a, subject="ไฟส่องสว่างริมถนนดับมาสามคืน", details="มืดมาก"),
        "road": make_case(
            org_a, type_key="road-drain", subject="ถนนเป็นหลุมหน้าโรงเรียน", details="รถล้ม"
        ),
        "tree": make_case(
            org_a, type_key="tree-cutting", subject="ขอตัดกิ่งไม้ที่พาดสายไฟ", details="กลัวหัก"
        ),
        "other": make_case(org_b, subject="ไฟถนนดับที่อื่น", details="มืดมาก"),
    }


def test_a_word_inside_a_thai_sentence_is_found(
    org_a: Organisation, cases: dict[str, Case]
) -> None:
    assert _search(org_a, "ถนน") == {"ไฟส่องสว่างริมถนนดับมาสามคืน", "ถนนเป็นหลุมหน้าโรงเรียน"}
    assert _search(org_a, "หลุม") == {"ถนนเป็นหลุมหน้าโรงเรียน"}
    assert _search(org_a, "สายไฟ") == {"ขอตัดกิ่งไม้ที่พาดสายไฟ"}


def test_every_term_must_match(org_a: Organisation, cases: dict[str, Case]) -> None:
    assert _search(org_a, "ถนน ดับ") == {"ไฟส่องสว่างริมถนนดับมาสามคืน"}


def test_short_terms_still_work(org_a: Organisation, cases: dict[str, Case]) -> None:
    assert _search(org_a, "ไฟ") == {"ไฟส่องสว่างริมถนนดับมาสามคืน", "ขอตัดกิ่งไม้ที่พาดสายไฟ"}


def test_the_requester_name_and_details_are_searched(
    org_a: Organisation, cases: dict[str, Case]
) -> None:
    assert len(_search(org_a, "ศรีสุข")) == 3  # every factory request is by มาลี ศรีสุข
    assert _search(org_a, "กลัวหัก") == {"ขอตัดกิ่งไม้ที่พาดสายไฟ"}  # in the details only


def test_a_request_number_in_any_form_finds_that_request(
    org_a: Organisation, cases: dict[str, Case]
) -> None:
    light = cases["light"]
    assert _search(org_a, light.display_number) == {light.subject}
    assert _search(org_a, light.number[3:9]) == {light.subject}


def test_search_never_crosses_organisations(org_a: Organisation, cases: dict[str, Case]) -> None:
    assert "ไฟถนนดับที่อื่น" not in _search(org_a, "ดับ")
    assert _search(org_a, cases["other"].number) == set()


def test_hostile_input_is_just_text(org_a: Organisation, cases: dict[str, Case]) -> None:
    for text in ['"', "' OR 1=1 --", "%", "_", "\\", 'ถนน" OR "', "NEAR(a b)", "*"]:
        assert _search(org_a, text) == set(), text
    assert _search(org_a, "") == {c.subject for c in cases.values() if c.organisation == org_a}


def test_edits_are_searchable_at_once(org_a: Organisation, cases: dict[str, Case]) -> None:
    Case.objects.filter(pk=cases["tree"].pk).update(subject="ต้นมะม่วงล้มขวางทาง")
    assert _search(org_a, "มะม่วง") == {"ต้นมะม่วงล้มขวางทาง"}
    assert _search(org_a, "สายไฟ") == set()


def test_a_common_term_gives_the_same_answer_as_a_rare_one(
    org_a: Organisation, cases: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _search(org_a, "ถนน")
    monkeypatch.setattr(search, "FEW_MATCHES", 1)  # force the "many matches" plan
    assert _search(org_a, "ถนน") == expected


def test_keyset_pages_walk_every_request_once_in_newest_first_order(
    org_a: Organisation,
) -> None:
    for i in range(7):
        make_case(org_a, subject=f"เรื่องที่ {i}")
    ordered = list(case_list_for_organisation(organisation=org_a))
    seen: list[Case] = []
    page = list(case_list_for_organisation(organisation=org_a)[:3])
    while page:
        seen.extend(page)
        last = page[-1]
        rest = case_page_after(
            case_list_for_organisation(organisation=org_a),
            submitted_at=last.submitted_at,
            pk=last.pk,
        )
        page = list(rest[:3])
    assert seen == ordered
