"""The audit trail as a data-protection officer reads it: sentences, filters by person, request,
action and dates (request numbers with or without dashes), and a CSV export; entries about
confidential requests only for members granted confidential access."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from onestop.core.audit import audit_record
from onestop.core.models import AuditAction, AuditLog
from onestop.core.thaidate import format_datetime
from onestop.organisations.models import Membership, Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case

URL = "/staff/wangchao/audit/"
EXPORT = "/staff/wangchao/audit/export.csv"


@pytest.fixture
def named(staff_a: Staff) -> Staff:
    User.objects.filter(pk=staff_a.counter.pk).update(first_name="สมชาย", last_name="ใจดี")
    User.objects.filter(pk=staff_a.officer.pk).update(first_name="ประเสริฐ", last_name="ช่างซ่อม")
    return staff_a


def _rows(response: Any) -> list[str]:
    return [sentence for _entry, sentence in response.context["rows"]]


def test_each_entry_reads_as_a_sentence_with_the_request_number_and_the_time(
    org_a: Organisation, named: Staff
) -> None:
    case = make_case(org_a)
    sign_in(Client(), named.counter).post(f"/staff/wangchao/cases/{case.number}/national-id/")
    entry = AuditLog.objects.get(action=AuditAction.NATIONAL_ID_VIEW)
    page = sign_in(Client(), named.admin).get(URL)
    html = page.content.decode()
    expected = (
        f"สมชาย ใจดี เปิดดูเลขประจำตัวประชาชนเต็มของคำร้อง {case.display_number} "
        f"เมื่อ {format_datetime(entry.created_at, short=True)}"
    )
    assert expected in html
    assert ("น." in expected and "2569" in expected) or "2570" in expected


def test_the_sentences_in_english(org_a: Organisation, named: Staff) -> None:
    case = make_case(org_a)
    sign_in(Client(), named.counter).get(f"/staff/wangchao/cases/{case.number}/")
    html = sign_in(Client(), named.admin).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"สมชาย ใจดี opened request {case.display_number} on" in html


def test_the_id_card_photo_and_a_counter_filing_have_their_own_sentences(
    org_a: Organisation, named: Staff
) -> None:
    case = make_case(org_a)
    for action, details in (
        (AuditAction.FILE_DOWNLOAD, {"kind": "id_card"}),
        (AuditAction.CASE_CREATE, {}),
    ):
        audit_record(
            request=None, actor=named.counter, action=action, organisation=org_a,
            object_type="case", object_ref=case.number, details=details,
        )  # fmt: skip
    sentences = _rows(sign_in(Client(), named.admin).get(URL))
    assert sentences[0].startswith(f"สมชาย ใจดี บันทึกคำร้อง {case.display_number} แทนประชาชน")
    assert sentences[1].startswith(f"สมชาย ใจดี เปิดดูรูปบัตรประชาชนของคำร้อง {case.display_number}")


def _views(org: Organisation, staff: Staff) -> tuple[Any, Any]:
    first, second = make_case(org), make_case(org)
    sign_in(Client(), staff.counter).get(f"/staff/wangchao/cases/{first.number}/")
    sign_in(Client(), staff.officer).get(f"/staff/wangchao/cases/{second.number}/")
    return first, second


def test_filter_by_person_by_name_or_username(org_a: Organisation, named: Staff) -> None:
    first, _second = _views(org_a, named)
    admin = sign_in(Client(), named.admin)
    for who in ("สมชาย", "ใจดี", "สมชาย ใจดี", "a-counter"):
        sentences = _rows(admin.get(URL, {"actor": who, "action": "case_view"}))
        assert len(sentences) == 1 and first.display_number in sentences[0], who
    assert _rows(admin.get(URL, {"actor": "สมชาย ช่างซ่อม"})) == []


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c.display_number,
        lambda c: c.number,
        lambda c: c.display_number[3:14],  # a part, with its dashes
        lambda c: c.number[2:9],  # a part, digits only
        lambda c: " " + c.display_number.replace("-", " ") + " ",
    ],
)
def test_filter_by_request_number_formatted_or_digits(
    org_a: Organisation, named: Staff, typed: Any
) -> None:
    first, second = _views(org_a, named)
    sentences = _rows(sign_in(Client(), named.admin).get(URL, {"ref": typed(first)}))
    assert sentences and all(first.display_number in s for s in sentences)
    assert not any(second.display_number in s for s in sentences)


def test_filter_by_action_and_by_dates_in_the_buddhist_era(
    org_a: Organisation, named: Staff
) -> None:
    _views(org_a, named)
    admin = sign_in(Client(), named.admin)
    assert len(_rows(admin.get(URL, {"action": "case_view"}))) == 2
    # The day as it was in Thailand (the entries were written a moment ago).
    today = timezone.localtime(AuditLog.objects.first().created_at)  # type: ignore[union-attr]
    be = f"{today.day:02d}/{today.month:02d}/{today.year + 543}"
    assert len(_rows(admin.get(URL, {"action": "case_view", "date_from": be, "date_to": be}))) == 2
    later = f"01/01/{today.year + 544}"
    assert _rows(admin.get(URL, {"date_from": later})) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "31/02/2569"}, "กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ."),
        ({"date_from": "02/12/2569", "date_to": "01/12/2569"}, "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น"),
        ({"ref": "6" * 65}, "ref"),
        ({"actor": "ก" * 151}, "actor"),
        ({"ref": "a\x00b"}, "ref"),
        ({"action": "drop_table"}, "action"),
    ],
)
def test_wrong_filters_are_explained_and_nothing_breaks(
    org_a: Organisation, named: Staff, params: dict[str, str], message: str
) -> None:
    _views(org_a, named)
    response = sign_in(Client(), named.admin).get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    export = sign_in(Client(), named.admin).get(EXPORT, params)
    assert export.status_code in {302, 400}  # back to the page that explains, or refused
    if export.status_code == 302:
        assert export["Location"].startswith(URL)
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"ref": "'; DROP TABLE core_auditlog; --"},
        {"ref": "%"},
        {"ref": "_"},
        {"actor": "<script>alert(1)</script>"},
        {"before": "9" * 40},
        {"before": "-1"},
        {"ref": "๖๙"},
    ],
)
def test_hostile_filters_find_nothing_unexpected(
    org_a: Organisation, named: Staff, params: dict[str, str]
) -> None:
    _views(org_a, named)
    response = sign_in(Client(), named.admin).get(URL, params)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
    if "ref" in params and params["ref"] != "๖๙":
        assert _rows(response) == []
    assert AuditLog.objects.filter(action=AuditAction.CASE_VIEW).count() == 2


def test_the_export_is_the_filtered_trail_as_csv_and_is_itself_audited(
    org_a: Organisation, named: Staff
) -> None:
    first, _second = _views(org_a, named)
    audit_record(
        request=None, actor=named.counter, action=AuditAction.CATALOGUE_CHANGE,
        organisation=org_a, object_type="request_type", object_ref="=HYPERLINK(\"x\")",
    )  # fmt: skip
    admin = sign_in(Client(), named.admin)
    response = admin.get(EXPORT, {"ref": first.display_number})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][2] == "รายการ"
    assert len(rows) == 2 and first.display_number in rows[1][2] and rows[1][4] == "a-counter"
    everything = admin.get(EXPORT).content.decode("utf-8")
    assert "'=HYPERLINK" in everything  # neutralised, not a formula
    export = AuditLog.objects.filter(action=AuditAction.EXPORT).first()
    assert export is not None and export.object_type == "audit" and export.actor == named.admin


def test_only_the_organisations_administrators_read_or_export_it(
    staff_a: Staff, staff_b: Staff
) -> None:
    for user in (staff_a.counter, staff_a.head, staff_a.executive, staff_b.admin):
        client = sign_in(Client(), user)
        assert client.get(URL).status_code == 404
        assert client.get(EXPORT).status_code == 404


def test_confidential_entries_only_for_a_granted_administrator(
    org_a: Organisation, named: Staff
) -> None:
    secret = make_case(org_a, type_key="corruption")
    sign_in(Client(), named.executive).get(f"/staff/wangchao/cases/{secret.number}/")
    admin = sign_in(Client(), named.admin)
    assert secret.display_number not in admin.get(URL).content.decode()
    assert secret.display_number not in admin.get(URL, {"ref": secret.number}).content.decode()
    assert secret.display_number not in admin.get(EXPORT).content.decode("utf-8")
    Membership.objects.filter(user=named.admin).update(can_see_confidential=True)
    assert secret.display_number in admin.get(URL).content.decode()
    assert secret.display_number in admin.get(EXPORT).content.decode("utf-8")


def test_the_export_reads_the_same_few_queries_whatever_it_holds(
    org_a: Organisation, named: Staff, django_assert_max_num_queries: Any
) -> None:
    admin = sign_in(Client(), named.admin)
    for i in range(3):
        audit_record(
            request=None, actor=named.counter, action=AuditAction.CASE_VIEW,
            organisation=org_a, object_type="case", object_ref=f"69{i:011d}",
        )  # fmt: skip
    with django_assert_max_num_queries(12) as few:  # 10 measured
        admin.get(EXPORT)
    for i in range(40):
        audit_record(
            request=None, actor=named.officer if i % 2 else named.counter,
            action=AuditAction.CASE_VIEW, organisation=org_a, object_type="case",
            object_ref=f"69{i:011d}",
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin.get(EXPORT)
