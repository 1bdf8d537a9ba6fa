"""Staff hear by e-mail (over real SMTP) when a citizen says a completed request is not solved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from onestop.cases.models import Case
from onestop.cases.services import By, case_assign, case_transition
from onestop.cases.workflow import Actor, Status
from onestop.core.errors import DomainError
from onestop.notifications.tasks import staff_recipients
from onestop.organisations.models import Organisation
from onestop.tracking.services import tracking_report_not_solved
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case
from tests.smtp import SmtpInbox


def _completed(organisation: Organisation, staff: Staff, *, assign: bool) -> Case:
    case = make_case(organisation)
    case = case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    if assign:
        case = case_assign(
            case=case, department=organisation.departments.get(key="engineering"),
            assignee=staff.officer, by=By.staff(staff.head),
        )  # fmt: skip
    return case_transition(
        case=case, to=Status.COMPLETED, actor_kind=Actor.STAFF, public_message="เปลี่ยนหลอดแล้ว"
    )


def test_the_officer_in_charge_is_emailed_when_the_citizen_reopens(
    org_a: Organisation,
    staff_a: Staff,
    smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = _completed(org_a, staff_a, assign=True)
    with django_capture_on_commit_callbacks(execute=True):
        tracking_report_not_solved(case=case, reason="ไฟยังดับอยู่ทุกคืน")
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "a-officer@example.com"
    assert case.display_number in mail["Subject"] and "เปิดใหม่" in mail["Subject"]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "ไฟยังดับอยู่ทุกคืน" in body
    assert f"/staff/wangchao/cases/{case.number}/" in body


def test_the_case_page_lists_the_notifications_sent(
    org_a: Organisation,
    staff_a: Staff,
    smtp_server: SmtpInbox,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = _completed(org_a, staff_a, assign=True)
    with django_capture_on_commit_callbacks(execute=True):
        tracking_report_not_solved(case=case, reason="ไฟยังดับอยู่ทุกคืน")
    page = sign_in(client, staff_a.officer).get(f"/staff/wangchao/cases/{case.number}/")
    html = page.content.decode()
    assert "การแจ้งเตือนที่ส่งแล้ว" in html
    assert "a-officer@example.com" in html and "เปิดใหม่" in html


def test_without_an_assignee_the_department_then_the_counter_is_told(
    org_a: Organisation, staff_a: Staff
) -> None:
    routed = _completed(org_a, staff_a, assign=False)  # street lights go to engineering
    assert staff_recipients(routed) == ["a-head@example.com", "a-officer@example.com"]
    Case.objects.filter(pk=routed.pk).update(department=None)
    routed.refresh_from_db()
    assert staff_recipients(routed) == ["a-counter@example.com"]


def test_no_mail_leaves_when_the_reopening_fails(
    org_a: Organisation,
    staff_a: Staff,
    smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = make_case(org_a)  # not completed: the citizen cannot say "not solved"
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        tracking_report_not_solved(case=case, reason="ยังไม่แก้")
    assert smtp_server.messages == []
