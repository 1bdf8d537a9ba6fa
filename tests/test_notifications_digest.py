"""The daily digest: once a Thai day per person (a late worker catches up, two workers do not
double it), listing only that person's overdue and soon-due requests; and the worker's own
task runs, which a killed worker used to leave RUNNING for ever."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email import message_from_string, policy
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, connections, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from onestop.cases.models import Case
from onestop.cases.services import By, Requester, case_assign, case_submit
from onestop.core import crypto
from onestop.notifications import digest, tasks
from onestop.notifications.delivery import message_id
from onestop.notifications.digest import daily_digest, daily_digest_schedule, digests_plan
from onestop.notifications.models import Channel, Message, MessageKind, SmsGateway, State
from onestop.notifications.services import message_plan, preferences_save, staff_mobile_set
from onestop.notifications.sweep import TASK_LEASE, tasks_requeue_abandoned
from onestop.organisations.models import Membership, Organisation
from tests.conftest import Staff
from tests.factories import request_type, some_place, valid_national_id
from tests.smtp import StallingInbox, _free_port

ROOT = Path(__file__).resolve().parent.parent
BANGKOK = ZoneInfo("Asia/Bangkok")
DAY = dt.date(2026, 11, 20)


def _at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BANGKOK)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_to(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))
        return moment

    set_to(_at(6, 0) - dt.timedelta(days=3))  # the requests are filed three days before
    return set_to


def _file(
    organisation: Organisation, *, due: dt.date, subject: str, type_key: str = "street-light"
) -> Case:
    case = case_submit(
        organisation=organisation,
        request_type=request_type(organisation, type_key),
        subject=subject,
        details="รายละเอียด",
        requester=Requester(
            title="นาง", first_name="มาลี", last_name="ศรีสุข",
            national_id=valid_national_id(), phone="0812345678", email="",
        ),
        place=some_place(),
    )  # fmt: skip
    engineering = organisation.departments.get(key="engineering")
    Case.objects.filter(pk=case.pk).update(due_date=due, department=engineering)
    case.refresh_from_db()
    return case


@pytest.fixture
def workload(org_a: Organisation, staff_a: Staff, clock: Any) -> dict[str, Case]:
    """Organisation A's engineering division: one request assigned to the officer and overdue,
    one unassigned and due tomorrow, one assigned to the head and due in a week, one closed."""
    engineering = org_a.departments.get(key="engineering")
    mine = _file(org_a, due=DAY - dt.timedelta(days=3), subject="ไฟฟ้าดับซอยหนึ่ง")
    case_assign(
        case=mine, department=engineering, assignee=staff_a.officer, by=By.staff(staff_a.head)
    )
    unassigned = _file(org_a, due=DAY + dt.timedelta(days=1), subject="ไฟฟ้าดับซอยสอง")
    later = _file(org_a, due=DAY + dt.timedelta(days=7), subject="ไฟฟ้าดับซอยสาม")
    closed = _file(org_a, due=DAY - dt.timedelta(days=5), subject="ไฟฟ้าดับซอยสี่")
    Case.objects.filter(pk=closed.pk).update(status="completed")
    return {"mine": mine, "unassigned": unassigned, "later": later, "closed": closed}


def _digests(**filters: Any) -> list[Message]:
    return list(Message.objects.filter(kind=MessageKind.STAFF_DIGEST, **filters).order_by("pk"))


def _body(message: Message) -> str:
    return crypto.decrypt(message.body_encrypted)


@pytest.mark.usefixtures("org_b", "staff_b")
def test_nothing_before_seven_then_each_person_their_own_requests(
    org_a: Organisation, staff_a: Staff, workload: dict[str, Case]
) -> None:
    assert digests_plan(now=_at(6, 59)) == 0
    assert digests_plan(now=_at(7, 0)) == 2  # the officer and the head
    by_user = {m.recipient_user.username: m for m in _digests() if m.recipient_user}
    assert set(by_user) == {"a-officer", "a-head"}  # nobody in B, nobody with nothing due
    officer = _body(by_user["a-officer"])
    assert workload["mine"].display_number in officer and "เกิน 3 วัน" in officer
    assert workload["unassigned"].display_number in officer  # their division's, unassigned
    for other in ("later", "closed"):
        assert workload[other].display_number not in officer
    assert by_user["a-officer"].subject.endswith("เกินกำหนด 1 เรื่อง ใกล้ครบกำหนด 1 เรื่อง")
    head = _body(by_user["a-head"])  # the head: every open request of the division due soon
    assert workload["mine"].display_number in head and workload["unassigned"].display_number in head
    assert "/staff/wangchao/" in head
    message = by_user["a-officer"]
    assert (message.organisation_id, message.case_id, message.channel) == (org_a.pk, None, "email")
    assert message.key.startswith(f"digest20261120-{org_a.pk}-{staff_a.officer.pk}:staff_digest:")


def test_once_a_day_however_often_it_runs_and_again_the_next_day(
    staff_a: Staff, workload: dict[str, Case]
) -> None:
    for moment in (_at(7, 0), _at(7, 5), _at(12, 0), _at(23, 59)):
        digests_plan(now=moment)
    assert len(_digests()) == 2
    digests_plan(now=_at(6, 0, DAY + dt.timedelta(days=1)))  # before seven, the next day
    assert len(_digests()) == 2
    digests_plan(now=_at(7, 30, DAY + dt.timedelta(days=1)))
    assert len(_digests()) == 4


def test_a_worker_that_starts_late_catches_up_and_comes_back_the_next_morning(
    staff_a: Staff, workload: dict[str, Case], clock: Any, monkeypatch: Any
) -> None:
    scheduled: list[dt.datetime] = []
    monkeypatch.setattr(digest, "daily_digest_schedule", lambda when=None: scheduled.append(when))
    clock(_at(15, 40))  # the worker was down at seven
    assert daily_digest.call() == 2
    assert len(_digests()) == 2
    assert scheduled == [_at(7, 0, DAY + dt.timedelta(days=1))]
    clock(_at(16, 0))
    daily_digest.call()  # a second run the same day: nothing new
    assert len(_digests()) == 2


def test_the_daily_run_is_enqueued_once_and_runs_at_once_when_its_hour_has_passed(
    db: None, settings: SettingsWrapper, clock: Any
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    clock(_at(15, 40))
    assert daily_digest_schedule() is True
    assert daily_digest_schedule() is False  # one already waiting (two serve scripts, say)
    [run] = DBTaskResult.objects.filter(task_path="onestop.notifications.digest.daily_digest")
    assert run.status == TaskResultStatus.READY and run.run_after <= timezone.now()


def test_confidential_requests_only_to_the_granted_and_never_named(
    org_a: Organisation, staff_a: Staff, workload: dict[str, Case]
) -> None:
    secret = _file(org_a, due=DAY, subject="ร้องเรียนการทุจริตของเจ้าหน้าที่", type_key="corruption")
    digests_plan(now=_at(7, 0))
    for message in _digests():
        assert secret.display_number not in _body(message)
    Message.objects.filter(kind=MessageKind.STAFF_DIGEST).delete()
    Membership.objects.filter(user=staff_a.head).update(can_see_confidential=True)
    digests_plan(now=_at(7, 0))
    [head] = _digests(recipient_user=staff_a.head)
    body = _body(head)
    assert secret.display_number in body and "ทุจริต" not in body + head.subject
    assert "เรื่องที่ขอให้ปกปิด" in body
    [officer] = _digests(recipient_user=staff_a.officer)
    assert secret.display_number not in _body(officer)


def test_the_digest_follows_each_persons_channels(
    org_a: Organisation, staff_a: Staff, workload: dict[str, Case], clock: Any
) -> None:
    SmsGateway.objects.create(
        organisation=org_a, kind="basic_form", url="https://sms.example.com/send",
        sender="WANGCHAO", api_key_encrypted=crypto.encrypt("k"),
        api_secret_encrypted=crypto.encrypt("s"),
    )  # fmt: skip
    preferences_save(organisation=org_a, user=None, table={MessageKind.STAFF_DIGEST: set()})
    preferences_save(
        organisation=org_a, user=staff_a.officer, table={MessageKind.STAFF_DIGEST: {Channel.SMS}}
    )
    staff_mobile_set(organisation=org_a, user=staff_a.officer, mobile="+66891112222")
    clock(_at(7, 0))
    digests_plan()
    [sms] = _digests()  # the head took the default: none
    assert (sms.recipient_user, sms.channel) == (staff_a.officer, Channel.SMS)
    assert _body(sms) == sms.subject and "ไฟฟ้าดับ" not in sms.subject
    assert sms.next_attempt_at == _at(8, 0)  # quiet hours: texted at eight


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user, host, port = db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_plan_one_digest_per_person(
    org_a: Organisation, staff_a: Staff, workload: dict[str, Case]
) -> None:
    start = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait(timeout=10)
            counts.append(digests_plan(now=_at(7, 0)))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and counts == [2, 2]
    digests = _digests()
    assert sorted(m.recipient_user.username for m in digests if m.recipient_user) == [
        "a-head", "a-officer",
    ]  # fmt: skip


# --- the worker's own task runs ------------------------------------------------------------------


@pytest.fixture
def stalling_smtp(settings: SettingsWrapper) -> Iterator[tuple[StallingInbox, int]]:
    inbox = StallingInbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()


def _db_worker(port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
           "DATABASE_URL": _database_url(), "EMAIL_URL": f"smtp://127.0.0.1:{port}"}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "default",
         "--no-startup-delay", "--interval", "0.2", *extra],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_db_worker_killed_mid_task_leaves_a_run_the_sweep_puts_back_and_a_new_worker_ends(
    stalling_smtp: tuple[StallingInbox, int], monkeypatch: Any
) -> None:
    inbox, port = stalling_smtp
    monkeypatch.setattr("onestop.notifications.services.deliver_soon", lambda: None)
    with transaction.atomic():
        planned = message_plan(
            kind=MessageKind.CITIZEN_STATUS, recipient="malee.s@example.com", language="th",
            subject="คำร้อง 69-0000: รับเรื่อง", body="เจ้าหน้าที่รับเรื่องแล้ว",
        )  # fmt: skip
    tasks.deliver.enqueue()  # into the database, as the commit of a change does
    [run] = DBTaskResult.objects.filter(task_path="onestop.notifications.tasks.deliver")
    worker = _db_worker(port)
    try:
        assert inbox.stalled.wait(timeout=60), worker.stderr.read() if worker.stderr else ""
        run.refresh_from_db()
        assert run.status == TaskResultStatus.RUNNING
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    inbox.release.set()
    run.refresh_from_db()
    assert run.status == TaskResultStatus.RUNNING  # for ever, without the sweep
    assert tasks_requeue_abandoned() == 0  # a run started seconds ago may be alive: left alone
    later = timezone.now() + TASK_LEASE + dt.timedelta(seconds=1)
    assert tasks_requeue_abandoned(now=later) == 1
    run.refresh_from_db()
    assert run.status == TaskResultStatus.READY
    # Five minutes on, the dead worker's lease on the message has expired too.
    Message.objects.filter(pk=planned.pk).update(lease_until=timezone.now())
    time.sleep(0.01)
    again = _db_worker(port, "--batch")
    _out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    run.refresh_from_db()
    assert run.status == TaskResultStatus.SUCCESSFUL and len(run.worker_ids) == 2
    [mail] = inbox.messages  # exactly one message arrived
    assert mail["Message-ID"] == message_id(planned)
    planned.refresh_from_db()
    assert (planned.state, planned.attempts) == (State.SENT, 2)


def test_only_idempotent_tasks_are_put_back(
    db: None, settings: SettingsWrapper, clock: Any
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    tasks.deliver.enqueue()
    DBTaskResult.objects.create(
        task_path="somewhere.else.send_invoice", args_kwargs={"args": [], "kwargs": {}},
        backend_name="default", run_after=timezone.now(),
    )  # fmt: skip
    long_ago = timezone.now() - TASK_LEASE - dt.timedelta(minutes=1)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=long_ago)
    assert tasks_requeue_abandoned() == 1
    states = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert states == {
        "onestop.notifications.tasks.deliver": TaskResultStatus.READY,
        "somewhere.else.send_invoice": TaskResultStatus.RUNNING,
    }


# --- the demo's mail -----------------------------------------------------------------------------


def test_the_demo_prints_where_mail_goes_and_its_worker_prints_the_confirmation(
    transactional_db: None, org_a: Organisation, settings: SettingsWrapper
) -> None:
    """`make demo` runs scripts/serve with EMAIL_URL unset (console://): it says so, and the
    worker it starts prints a filed request's confirmation, PDF attached, in that window."""
    serve = (ROOT / "scripts" / "serve").read_text()
    assert '"${EMAIL_URL:-console://}"' in serve and "printed in this window by the worker" in serve
    assert "notifications_digest --schedule" in serve
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    case = case_submit(
        organisation=org_a,
        request_type=request_type(org_a, "street-light"),
        subject="ไฟฟ้าดับหน้าบ้านเลขที่ 12",
        details="ไฟส่องสว่างหน้าบ้านดับมาสามคืนแล้ว",
        requester=Requester(
            title="นาง",
            first_name="มาลี",
            last_name="ศรีสุข",
            national_id=valid_national_id(),
            phone="0812345678",
            email="malee.s@example.com",
        ),
        place=some_place(),
    )  # fmt: skip  (committed: the on-commit hook enqueued the worker's task in the database)
    assert DBTaskResult.objects.filter(task_path="onestop.notifications.tasks.deliver").exists()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_worker", "DEBUG": "1",
           "DATABASE_URL": _database_url(), "EMAIL_URL": "console://"}  # fmt: skip
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "default", "--batch",
         "--no-startup-delay"],
        cwd=ROOT, env=env, capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    printed = worker.stdout.decode()
    mails = [
        message_from_string(chunk.strip("\n"), policy=policy.default)
        for chunk in printed.split("-" * 79)
        if "Subject:" in chunk
    ]
    [confirmation] = [mail for mail in mails if mail["To"] == "malee.s@example.com"]
    assert confirmation["Subject"] == f"ได้รับคำร้องเลขที่ {case.display_number} แล้ว"
    plain = confirmation.get_body(preferencelist=("plain",))
    assert plain is not None
    body = plain.get_content()
    assert case.display_number in body and "ไฟฟ้าดับหน้าบ้าน" in body
    [pdf] = list(confirmation.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
