"""Notifications through the outbox: planned in the transaction of the change, delivered by
the worker over real SMTP (aiosmtpd, started by the tests), never lost, never doubled."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone, translation
from pytest_django.fixtures import Settings as SettingsWrapper

from onestop.cases.models import Case
from onestop.cases.services import (
    By,
    Requester,
    case_assign,
    case_move,
    case_note,
    case_submit,
    case_transition,
)
from onestop.cases.workflow import Actor, Move, Status
from onestop.core import crypto
from onestop.notifications import delivery, tasks
from onestop.notifications.delivery import LEASE, deliver_due, message_id
from onestop.notifications.models import Message, MessageKind, State
from onestop.notifications.services import message_plan
from onestop.organisations.models import Organisation
from onestop.tracking.services import tracking_report_not_solved
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import request_type, some_place, valid_national_id
from tests.smtp import SmtpInbox, StallingInbox, _free_port

ROOT = Path(__file__).resolve().parent.parent
CITIZEN = "malee.s@example.com"


def _file(
    organisation: Organisation, *, email: str = CITIZEN, type_key: str = "street-light"
) -> Case:
    return case_submit(
        organisation=organisation,
        request_type=request_type(organisation, type_key),
        subject="ไฟฟ้าดับหน้าบ้านเลขที่ 12",
        details="ไฟส่องสว่างหน้าบ้านดับมาสามคืนแล้ว",
        requester=Requester(
            title="นาง", first_name="มาลี", last_name="ศรีสุข",
            national_id=valid_national_id(), phone="0812345678", email=email,
        ),
        place=some_place(),
    )  # fmt: skip


def _to(inbox: SmtpInbox, address: str) -> list[Any]:
    return [mail for mail in inbox.messages if mail["To"] == address]


def _text(mail: Any) -> str:
    return str(mail.get_body(preferencelist=("plain",)).get_content())


def _smtp_on(settings: SettingsWrapper, port: int, timeout: float = 5) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
        }
    }


# --- e-mail over real SMTP ---------------------------------------------------------------------


def test_the_filing_confirmation_arrives_with_the_number_thai_text_and_the_pdf(
    org_a: Organisation, smtp_server: SmtpInbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a)
    [mail] = _to(smtp_server, CITIZEN)
    assert mail["Subject"] == f"ได้รับคำร้องเลขที่ {case.display_number} แล้ว"
    body = _text(mail)
    assert case.display_number in body and "ไฟฟ้าดับหน้าบ้านเลขที่ 12" in body
    assert f"/wangchao/track/?number={case.number}" in body
    assert "กำหนดแล้วเสร็จ" in body
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert case.display_number in html
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_filename() == f"request-{case.display_number}.pdf"
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF")
    message = Message.objects.get(case=case, kind=MessageKind.CITIZEN_FILED)
    assert mail["Message-ID"] == message_id(message)
    assert message.state == State.SENT and message.attempts == 1 and message.language == "th"


def test_a_citizen_filing_in_english_is_answered_in_english(
    org_a: Organisation, staff_a: Staff, smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        case = _file(org_a)
    with django_capture_on_commit_callbacks(execute=True):  # staff act in Thai later
        case_move(case=case, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    filed, received = _to(smtp_server, CITIZEN)
    assert filed["Subject"] == f"Request {case.display_number} received"
    assert received["Subject"] == f"Request {case.display_number}: Received"
    assert all(m.language == "en" for m in Message.objects.filter(case=case, kind__startswith="c"))
    assert "คำร้องใหม่" in _to(smtp_server, "a-officer@example.com")[0]["Subject"]  # staff: Thai


def test_a_status_change_with_a_public_message_arrives_once(
    org_a: Organisation, staff_a: Staff, smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    case = _file(org_a)
    case = case_move(case=case, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    with django_capture_on_commit_callbacks(execute=True):
        case_note(
            case=case, by=By.staff(staff_a.officer), expected_version=case.version,
            public_message="ช่างจะเข้าไปเปลี่ยนหลอดไฟวันพรุ่งนี้",
            internal_note="เบิกหลอด LED จากคลัง 2 หลอด",
        )  # fmt: skip
    deliver_due()  # a second run finds nothing more to send
    deliver_due(now=timezone.now() + dt.timedelta(hours=3))
    started = [m for m in _to(smtp_server, CITIZEN) if "กำลังดำเนินการ" in m["Subject"]]
    assert len(started) == 1
    body = _text(started[0])
    assert "ช่างจะเข้าไปเปลี่ยนหลอดไฟวันพรุ่งนี้" in body
    assert "เบิกหลอด" not in body  # an internal note never reaches the citizen
    assert all("เบิกหลอด" not in _text(m) for m in smtp_server.messages)


def test_a_change_in_a_transaction_that_rolls_back_sends_nothing(
    org_a: Organisation, staff_a: Staff, smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    case = _file(org_a)
    planned = Message.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        case_move(
            case=case, move=Move.REJECT, by=By.staff(staff_a.head),
            public_message="ไม่อยู่ในอำนาจหน้าที่",
        )  # fmt: skip
        raise RuntimeError("the request failed after the change")
    assert Message.objects.count() == planned
    deliver_due()
    assert [m for m in smtp_server.messages if "ไม่รับเรื่อง" in m["Subject"]] == []


def test_waiting_for_the_citizen_and_completion_carry_the_links(
    org_a: Organisation, staff_a: Staff, smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    case = _file(org_a)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
        case = case_move(
            case=case, move=Move.ASK, by=By.staff(staff_a.officer),
            public_message="ขอรูปถ่ายเสาไฟต้นที่ดับ",
        )  # fmt: skip
        case = case_transition(case=case, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF)
        case_move(
            case=case, move=Move.COMPLETE, by=By.staff(staff_a.head),
            public_message="เปลี่ยนหลอดไฟเรียบร้อยแล้ว",
        )  # fmt: skip
    track = f"/wangchao/track/?number={case.number}"
    [asked] = [m for m in _to(smtp_server, CITIZEN) if "ขอข้อมูลเพิ่มเติม" in m["Subject"]]
    assert "ขอรูปถ่ายเสาไฟต้นที่ดับ" in _text(asked) and track in _text(asked)
    [done] = [m for m in _to(smtp_server, CITIZEN) if "ดำเนินการแล้วเสร็จ" in m["Subject"]]
    assert "เปลี่ยนหลอดไฟเรียบร้อยแล้ว" in _text(done) and "ให้คะแนน" in _text(done)
    assert track in _text(done)


# --- staff -------------------------------------------------------------------------------------


def test_a_new_request_goes_to_the_routed_division_and_an_assignment_to_the_assignee(
    org_a: Organisation, staff_a: Staff, smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a, email="")  # street lights go to engineering
    new = sorted(m["To"] for m in smtp_server.messages)
    assert new == ["a-head@example.com", "a-officer@example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(
            case=case, department=org_a.departments.get(key="engineering"),
            assignee=staff_a.officer, by=By.staff(staff_a.head),
        )  # fmt: skip
    [assigned] = smtp_server.messages[2:]
    assert assigned["To"] == "a-officer@example.com" and "มอบหมาย" in assigned["Subject"]


def test_the_officer_in_charge_hears_the_citizens_not_solved_with_their_words(
    org_a: Organisation, staff_a: Staff, smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    case = _file(org_a, email="")
    case = case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    case = case_assign(
        case=case, department=org_a.departments.get(key="engineering"),
        assignee=staff_a.officer, by=By.staff(staff_a.head),
    )  # fmt: skip
    case = case_transition(
        case=case, to=Status.COMPLETED, actor_kind=Actor.STAFF, public_message="เปลี่ยนหลอดแล้ว"
    )
    with django_capture_on_commit_callbacks(execute=True):
        tracking_report_not_solved(case=case, reason="ไฟยังดับอยู่ทุกคืน")
    [mail] = [m for m in smtp_server.messages if "เปิดใหม่" in m["Subject"]]
    assert mail["To"] == "a-officer@example.com"
    assert "ไฟยังดับอยู่ทุกคืน" in _text(mail)
    assert f"/staff/wangchao/cases/{case.number}/" in _text(mail)


def test_an_officers_completion_is_told_to_the_heads(
    org_a: Organisation, staff_a: Staff, smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    case = _file(org_a, email="")
    case = case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        case_move(
            case=case, move=Move.COMPLETE, by=By.staff(staff_a.officer),
            public_message="เปลี่ยนหลอดแล้ว",
        )  # fmt: skip
    [mail] = [m for m in smtp_server.messages if "ดำเนินการแล้วเสร็จโดย" in m["Subject"]]
    assert mail["To"] == "a-head@example.com"


def test_a_confidential_request_is_told_only_to_the_granted_and_never_named(
    org_a: Organisation, staff_a: Staff, smtp_server: SmtpInbox,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a, type_key="corruption")
    told = {m["To"] for m in smtp_server.messages}
    assert told <= {CITIZEN, "a-executive@example.com"}  # only members granted confidential
    for mail in smtp_server.messages:
        assert "ไฟฟ้าดับ" not in mail["Subject"] + _text(mail)
        assert list(mail.iter_attachments()) == []
    assert case.display_number in _to(smtp_server, CITIZEN)[0]["Subject"]


def test_history_loaded_with_a_past_time_tells_nobody(org_a: Organisation, staff_a: Staff) -> None:
    case = _file(org_a, email="")
    before = Message.objects.count()
    case_transition(
        case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF,
        at=timezone.now() - dt.timedelta(days=30),
    )  # fmt: skip
    assert Message.objects.count() == before


# --- delivery: retries, time-outs, leases --------------------------------------------------------


def test_smtp_down_then_back_every_queued_message_arrives_exactly_once(
    org_a: Organisation, settings: SettingsWrapper, django_capture_on_commit_callbacks: Any
) -> None:
    port = _free_port()
    _smtp_on(settings, port)  # nothing listens there yet
    with django_capture_on_commit_callbacks(execute=True):
        cases = [_file(org_a) for _n in range(3)]
    queued = Message.objects.filter(case__in=cases)
    assert {m.state for m in queued} == {State.QUEUED}
    assert all(m.attempts == 1 and "Connection" in m.last_error for m in queued)
    later = timezone.now() + dt.timedelta(minutes=10)
    assert deliver_due(now=later) == 0  # still down ten minutes later
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        sent = deliver_due(now=later + dt.timedelta(hours=2))
        deliver_due(now=later + dt.timedelta(hours=4))  # nothing is sent twice
    finally:
        controller.stop()
    assert sent == queued.count() == len(inbox.messages)
    assert len({m["Message-ID"] for m in inbox.messages}) == len(inbox.messages)
    for case in cases:
        assert len([m for m in _to(inbox, CITIZEN) if case.display_number in m["Subject"]]) == 1
    after = Message.objects.filter(case__in=cases)
    assert {(m.state, m.attempts) for m in after} == {(State.SENT, 3)}


def test_the_retry_waits_longer_each_time_with_jitter() -> None:
    waits = [delivery.backoff(n).total_seconds() for n in range(1, 6)]
    assert 22 <= waits[0] <= 38 and 360 <= waits[4] <= 600
    assert len({delivery.backoff(3) for _n in range(20)}) > 1  # jitter
    assert delivery.backoff(30) <= dt.timedelta(hours=1, minutes=15)


def test_after_the_last_attempt_the_message_fails_and_the_case_page_says_why(
    org_a: Organisation, staff_a: Staff, settings: SettingsWrapper, client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.ONESTOP_NOTIFY_MAX_ATTEMPTS = 2
    _smtp_on(settings, _free_port())
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a)
    deliver_due(now=timezone.now() + dt.timedelta(hours=1))
    message = Message.objects.get(case=case, kind=MessageKind.CITIZEN_FILED)
    assert (message.state, message.attempts) == (State.FAILED, 2)
    html = sign_in(client, staff_a.counter).get(f"/staff/wangchao/cases/{case.number}/")
    page = html.content.decode()
    assert "ส่งไม่สำเร็จ" in page and "ลองส่งซ้ำ 1 ครั้ง" in page and "Connection" in page


def test_a_provider_that_hangs_times_out_and_the_message_is_retried(
    org_a: Organisation, settings: SettingsWrapper
) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections and never says a word
    _smtp_on(settings, silent.getsockname()[1], timeout=1)
    case = _file(org_a)
    started = time.monotonic()
    try:
        deliver_due()
    finally:
        silent.close()
    assert time.monotonic() - started < 20
    message = Message.objects.get(case=case, kind=MessageKind.CITIZEN_FILED)
    assert message.state == State.QUEUED and "timed out" in message.last_error
    assert message.next_attempt_at > timezone.now()


def test_a_live_lease_is_left_alone_and_an_expired_one_is_taken_again(org_a: Organisation) -> None:
    case = _file(org_a)
    taken = delivery.lease_next()
    assert taken is not None and taken.state == State.SENDING and taken.attempts == 1
    others = Message.objects.exclude(pk=taken.pk).filter(state=State.QUEUED).count()
    for _n in range(others):
        assert delivery.lease_next() is not None
    assert delivery.lease_next() is None  # all leased, none expired
    again = delivery.lease_next(now=timezone.now() + LEASE + dt.timedelta(seconds=1))
    assert again is not None and again.attempts == 2
    assert case.pk is not None


@pytest.fixture
def stalling_smtp(settings: SettingsWrapper) -> Iterator[tuple[StallingInbox, int]]:
    inbox = StallingInbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    _smtp_on(settings, port)
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user, host, port = db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_then_a_second_run_delivers_exactly_once(
    org_a: Organisation, stalling_smtp: tuple[StallingInbox, int], monkeypatch: Any
) -> None:
    inbox, port = stalling_smtp
    monkeypatch.setattr("onestop.notifications.services.deliver_soon", lambda: None)
    with transaction.atomic():
        planned = message_plan(
            kind=MessageKind.CITIZEN_STATUS, recipient=CITIZEN, language="th",
            subject="คำร้อง 69-0000: รับเรื่อง", body="เจ้าหน้าที่รับเรื่องแล้ว",
        )  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
           "DATABASE_URL": _database_url(), "EMAIL_URL": f"smtp://127.0.0.1:{port}"}  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "notifications_deliver"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert inbox.stalled.wait(timeout=60), worker.stderr.read() if worker.stderr else ""
        planned.refresh_from_db()
        assert (planned.state, planned.attempts) == (State.SENDING, 1)  # recorded before sending
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    inbox.release.set()
    assert deliver_due() == 0  # the dead worker's lease has not expired yet: left alone
    assert deliver_due(now=timezone.now() + LEASE + dt.timedelta(seconds=1)) == 1
    [mail] = inbox.messages
    assert mail["To"] == CITIZEN and mail["Message-ID"] == message_id(planned)
    planned.refresh_from_db()
    assert (planned.state, planned.attempts) == (State.SENT, 2)


# --- what staff see ------------------------------------------------------------------------------


def test_the_case_page_lists_every_message_with_the_recipient_masked(
    org_a: Organisation, staff_a: Staff, smtp_server: SmtpInbox, client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a)
    page = sign_in(client, staff_a.officer).get(f"/staff/wangchao/cases/{case.number}/")
    html = page.content.decode()
    section = html[html.index('id="h-notifications"') :].split("</section>")[0]
    assert "ma***@example.com" in section and CITIZEN not in section
    assert section.count("ส่งแล้ว") == 3  # the citizen, the officer and the head
    assert "ยืนยันการยื่นคำร้อง" in section and "คำร้องใหม่" in section
    assert "a-officer" in section and "a-head" in section  # staff by name


def test_recipients_and_bodies_are_encrypted_at_rest(org_a: Organisation) -> None:
    case = _file(org_a)
    message = Message.objects.get(case=case, kind=MessageKind.CITIZEN_FILED)
    assert CITIZEN not in message.recipient_encrypted
    assert crypto.decrypt(message.recipient_encrypted) == CITIZEN
    assert "ไฟฟ้าดับ" in crypto.decrypt(message.body_encrypted)
    assert message.key.startswith(f"{message.event_id}:citizen_filed:email:")


def test_a_password_reset_asked_for_while_smtp_is_down_arrives_when_it_is_back(
    staff_a: Staff, client: Client, settings: SettingsWrapper,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    port = _free_port()
    _smtp_on(settings, port)  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/password/reset/", {"email": "a-officer@example.com"})
    assert response.status_code == 302  # the page says it was sent: it will be
    reset = Message.objects.get(kind=MessageKind.PASSWORD_RESET)
    assert (reset.state, reset.attempts, reset.case) == (State.QUEUED, 1, None)
    assert "/staff/password/reset/" not in reset.body_encrypted  # the link is encrypted
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        deliver_due(now=timezone.now() + dt.timedelta(minutes=10))
        deliver_due(now=timezone.now() + dt.timedelta(hours=2))
    finally:
        controller.stop()
    [mail] = inbox.messages
    assert mail["To"] == "a-officer@example.com" and "ตั้งรหัสผ่านใหม่" in mail["Subject"]
    assert "/staff/password/reset/" in _text(mail)


def test_an_administrator_retries_a_failed_message_and_others_may_not(
    org_a: Organisation, staff_a: Staff, staff_b: Staff, client: Client, smtp_server: SmtpInbox,
) -> None:  # fmt: skip
    case = _file(org_a)
    failed = Message.objects.get(case=case, kind=MessageKind.CITIZEN_FILED)
    Message.objects.filter(pk=failed.pk).update(state=State.FAILED, attempts=8, last_error="down")
    url = f"/staff/wangchao/cases/{case.number}/notifications/{failed.pk}/retry/"
    assert sign_in(Client(), staff_a.officer).post(url).status_code == 403
    assert sign_in(Client(), staff_b.admin).post(url).status_code == 404  # another organisation
    page = sign_in(client, staff_a.admin).get(f"/staff/wangchao/cases/{case.number}/")
    assert url in page.content.decode()  # the button
    assert client.post(url).status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (State.QUEUED, 0)
    deliver_due()
    assert len(_to(smtp_server, CITIZEN)) == 1


def test_while_messages_are_pending_the_worker_schedules_its_next_run(
    org_a: Organisation, settings: SettingsWrapper, monkeypatch: Any
) -> None:
    enqueued: list[dt.datetime | None] = []

    class DeferringBackend:  # django-tasks-db's ability, without its worker
        supports_defer = True

    class Deferred:
        def __init__(self, run_after: dt.datetime | None = None) -> None:
            self.run_after = run_after

        def get_backend(self) -> DeferringBackend:
            return DeferringBackend()

        def using(self, *, run_after: dt.datetime) -> Deferred:
            return Deferred(run_after)

        def enqueue(self) -> None:
            enqueued.append(self.run_after)

    the_task = tasks.deliver
    monkeypatch.setattr(tasks, "deliver", Deferred())
    _smtp_on(settings, _free_port())  # down
    _file(org_a)
    the_task.call()
    # The first retry due (the citizen's and the division's staff's messages all failed).
    retry = min(Message.objects.values_list("next_attempt_at", flat=True))
    assert enqueued and all(when is not None for when in enqueued)
    assert any(retry <= when <= retry + dt.timedelta(seconds=6) for when in enqueued if when)
