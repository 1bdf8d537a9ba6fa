"""SMS through the outbox, against a real HTTP gateway the tests start (http.server on a free
port of 127.0.0.1): the exact request, retries on 5xx and time-outs, failure on 4xx, nothing
without a gateway, and no SMS at night unless the citizen asked for it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from onestop.cases.models import Case
from onestop.cases.services import By, Requester, case_move, case_submit, case_transition
from onestop.cases.workflow import Actor, Move, Status
from onestop.core import crypto
from onestop.notifications import gateways, sms
from onestop.notifications.admin import SmsGatewayForm
from onestop.notifications.delivery import deliver_due
from onestop.notifications.models import Channel, Message, MessageKind, SmsGateway, State
from onestop.notifications.providers import PermanentFailure, TemporaryFailure
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import PASSWORD, Staff
from tests.factories import request_type, some_place, valid_national_id
from tests.smtp import _free_port

BANGKOK = ZoneInfo("Asia/Bangkok")
HANG = (0, b"")  # an answer that never comes
ACCEPTED = (201, b'{"remaining_credit": 99, "bad_phone_number_list": []}')


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the wall clock (`timezone.now`) for the code under test: SMS depend on the hour."""

    def set_to(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))
        return moment

    return set_to


@pytest.fixture(autouse=True)
def _daytime(clock: Any) -> None:
    """10:00 Thai time on a day in the past (so that no event looks like loaded history),
    unless a test sets another time."""
    clock(dt.datetime(2026, 11, 20, 10, 0, tzinfo=BANGKOK))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    form: dict[str, list[str]]


@dataclass
class FakeGateway:
    """What a local SMS gateway received, and what it answers next (then `ACCEPTED`)."""

    port: int
    answers: list[tuple[int, bytes]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms"


def _handler(fake: FakeGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.received.append(
                Received(
                    path=self.path,
                    headers=dict(self.headers.items()),
                    form=parse_qs(body.decode("ascii"), strict_parsing=True),
                )
            )
            status, answer = fake.answers.pop(0) if fake.answers else ACCEPTED
            if (status, answer) == HANG:
                fake.release.wait(timeout=30)
                return
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def gateway_server() -> Iterator[FakeGateway]:
    fake = FakeGateway(port=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()


def _connect(organisation: Organisation, url: str, **extra: Any) -> SmsGateway:
    return SmsGateway.objects.create(
        organisation=organisation, kind="basic_form", url=url, sender="WANGCHAO",
        api_key_encrypted=crypto.encrypt("key-123"),
        api_secret_encrypted=crypto.encrypt("secret-456"), timeout=2, **extra,
    )  # fmt: skip


@pytest.fixture
def gateway(org_a: Organisation, gateway_server: FakeGateway) -> FakeGateway:
    """Organisation A's citizens are told by SMS, through the local gateway."""
    _connect(org_a, gateway_server.url)
    return gateway_server


def _file(organisation: Organisation, *, email: str = "") -> Case:
    return case_submit(
        organisation=organisation,
        request_type=request_type(organisation, "street-light"),
        subject="ไฟฟ้าดับหน้าบ้านเลขที่ 12",
        details="ไฟส่องสว่างหน้าบ้านดับมาสามคืนแล้ว",
        requester=Requester(
            title="นาง", first_name="มาลี", last_name="ศรีสุข",
            national_id=valid_national_id(), phone="081-234-5678", email=email,
        ),
        place=some_place(),
    )  # fmt: skip


def _sms(case: Case, kind: MessageKind = MessageKind.CITIZEN_FILED) -> Message:
    return Message.objects.get(case=case, kind=kind, channel=Channel.SMS)


def _track(case: Case) -> str:
    return f"{django_settings.ONESTOP_PUBLIC_URL}/wangchao/track/?number={case.number}"


# --- the request, exactly ----------------------------------------------------------------------


def test_the_gateway_gets_the_exact_request_with_the_thai_text_intact(
    org_a: Organisation, gateway: FakeGateway, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a)
    [request] = gateway.received
    message = _sms(case)
    assert request.path == "/sms"
    expected = base64.b64encode(b"key-123:secret-456").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded; charset=utf-8"
    assert request.headers["Idempotency-Key"] == message.key
    text = f"รับคำร้องเลขที่ {case.display_number} แล้ว ติดตามผล {_track(case)}"
    assert request.form == {"msisdn": ["66812345678"], "message": [text], "sender": ["WANGCHAO"]}
    assert (message.state, message.attempts, message.segments) == (State.SENT, 1, 2)
    assert message.recipient_masked == "08x-xxx-5678" and message.subject == text
    assert "0812345678" not in message.recipient_encrypted + message.recipient_masked
    assert crypto.decrypt(message.recipient_encrypted) == "+66812345678"


def test_status_changes_a_request_for_information_and_completion_are_texted(
    org_a: Organisation, staff_a: Staff, gateway: FakeGateway,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    case = _file(org_a)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_move(case=case, move=Move.RECEIVE, by=By.staff(staff_a.counter))
        case = case_move(
            case=case, move=Move.ASK, by=By.staff(staff_a.officer),
            public_message="ขอรูปถ่ายเสาไฟต้นที่ดับ",
        )  # fmt: skip
        case = case_transition(
            case=case, to=Status.IN_PROGRESS, actor_kind=Actor.CITIZEN, public_message="ส่งรูปแล้ว"
        )
        case_move(
            case=case, move=Move.COMPLETE, by=By.staff(staff_a.head),
            public_message="เปลี่ยนหลอดไฟเรียบร้อยแล้ว",
        )  # fmt: skip
    number = case.display_number
    texts = [r.form["message"][0] for r in gateway.received]
    assert texts == [
        f"รับคำร้องเลขที่ {number} แล้ว ติดตามผล {_track(case)}",
        f"คำร้อง {number} สถานะ: รับเรื่อง",
        f"คำร้อง {number}: ขอข้อมูลเพิ่มเติม ส่งได้ที่ {_track(case)}",
        f"คำร้อง {number} เสร็จแล้ว ยืนยันผลและให้คะแนนที่ {_track(case)}",
    ]
    assert all("ขอรูปถ่าย" not in text and "มาลี" not in text for text in texts)
    segments = dict(
        Message.objects.filter(case=case, channel=Channel.SMS).values_list("kind", "segments")
    )
    assert segments[MessageKind.CITIZEN_STATUS] == 1


def test_no_gateway_no_sms_and_a_disabled_gateway_is_no_gateway(
    org_a: Organisation, org_b: Organisation, gateway_server: FakeGateway, staff_a: Staff
) -> None:
    _connect(org_b, gateway_server.url, is_active=False)  # another organisation's, and off
    case = _file(org_a, email="malee.s@example.com")
    case_move(case=case, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    assert not Message.objects.filter(channel=Channel.SMS).exists()
    assert Message.objects.filter(case=case, channel=Channel.EMAIL).exists()  # e-mail still
    deliver_due()
    assert gateway_server.received == []


# --- failures: 5xx, hangs, 4xx -----------------------------------------------------------------


def test_a_gateway_answering_500_then_200_delivers_exactly_one_message_after_one_retry(
    org_a: Organisation, gateway: FakeGateway, django_capture_on_commit_callbacks: Any
) -> None:
    gateway.answers = [(500, b'{"error": "internal"}')]
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a)
    message = _sms(case)
    assert (message.state, message.attempts) == (State.QUEUED, 1)
    assert message.last_error.startswith("HTTP 500")
    assert message.next_attempt_at > timezone.now()
    assert deliver_due() == 0  # not due yet
    assert deliver_due(now=timezone.now() + dt.timedelta(hours=1)) == 1
    deliver_due(now=timezone.now() + dt.timedelta(hours=3))  # nothing more
    assert len(gateway.received) == 2
    assert {r.headers["Idempotency-Key"] for r in gateway.received} == {message.key}
    message.refresh_from_db()
    assert (message.state, message.attempts, message.retries) == (State.SENT, 2, 1)


@pytest.fixture
def tasks_in_the_database(settings: SettingsWrapper) -> None:
    settings.TASKS = {  # as in production: the web request only enqueues the worker's task
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.usefixtures("tasks_in_the_database")
def test_a_gateway_that_hangs_neither_holds_the_web_request_nor_the_message(
    org_a: Organisation, staff_a: Staff, gateway: FakeGateway, client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    case = _file(org_a)
    SmsGateway.objects.filter(organisation=org_a).update(timeout=1)
    Message.objects.filter(case=case).update(state=State.SENT)  # the confirmation is past
    gateway.answers = [HANG]
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, staff_a.counter).post(
            f"/staff/wangchao/cases/{case.number}/act/receive/",
            {"receive-version": case.version},
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RECEIVED  # committed
    status = _sms(case, MessageKind.CITIZEN_STATUS)
    assert (status.state, status.attempts) == (State.QUEUED, 0)  # planned, not yet tried
    assert gateway.received == []  # the gateway was not even called by the web request
    assert DBTaskResult.objects.filter(task_path__endswith="tasks.deliver").exists()

    deliver_due()  # the worker: the gateway hangs, the send times out
    status.refresh_from_db()
    assert (status.state, status.attempts) == (State.QUEUED, 1)
    assert status.last_error == "timed out after 1 s"
    assert status.next_attempt_at > timezone.now()
    gateway.release.set()
    assert deliver_due(now=timezone.now() + dt.timedelta(hours=1)) == 1
    status.refresh_from_db()
    assert (status.state, status.attempts) == (State.SENT, 2)
    assert len(gateway.received) == 2


def test_a_400_fails_at_once_with_the_reason_on_the_case_page(
    org_a: Organisation, staff_a: Staff, gateway: FakeGateway, client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    refusal = {"error": {"code": 104, "name": "ERROR_INVALID_MSISDN", "description": "เบอร์ผิด"}}
    gateway.answers = [(400, json.dumps(refusal, ensure_ascii=False).encode())]
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a)
    message = _sms(case)
    assert (message.state, message.attempts) == (State.FAILED, 1)
    deliver_due(now=timezone.now() + dt.timedelta(hours=3))
    assert len(gateway.received) == 1  # never retried
    page = sign_in(client, staff_a.counter).get(f"/staff/wangchao/cases/{case.number}/")
    html = page.content.decode()
    section = html[html.index('id="h-notifications"') :].split("</section>")[0]
    assert "SMS" in section and "08x-xxx-5678" in section and "ส่งไม่สำเร็จ" in section
    assert "HTTP 400" in section and "ERROR_INVALID_MSISDN" in section and "เบอร์ผิด" in section


def test_a_number_refused_in_a_2xx_answer_fails_at_once(
    org_a: Organisation, gateway: FakeGateway, django_capture_on_commit_callbacks: Any
) -> None:
    gateway.answers = [(201, b'{"phone_number_list": [], "bad_phone_number_list": ["66812"]}')]
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a)
    message = _sms(case)
    assert message.state == State.FAILED and "bad_phone_number_list" in message.last_error


def test_a_gateway_that_refuses_connections_is_retried(org_a: Organisation) -> None:
    _connect(org_a, f"http://127.0.0.1:{_free_port()}/sms")  # nothing listens
    case = _file(org_a)
    deliver_due()
    message = _sms(case)
    assert message.state == State.QUEUED and "ConnectionRefusedError" in message.last_error


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (500, TemporaryFailure), (502, TemporaryFailure), (503, TemporaryFailure),
        (408, TemporaryFailure), (429, TemporaryFailure),
        (400, PermanentFailure), (401, PermanentFailure), (403, PermanentFailure),
        (404, PermanentFailure), (422, PermanentFailure), (302, PermanentFailure),
    ],
)  # fmt: skip
def test_answers_map_onto_retry_or_failure(status: int, outcome: type[Exception]) -> None:
    failure = gateways.failure_for(status, b"  some\n answer ")
    assert isinstance(failure, outcome) and str(failure) == f"HTTP {status}: some answer"


def test_a_redirect_is_not_followed_with_our_credentials(
    org_a: Organisation, gateway: FakeGateway, django_capture_on_commit_callbacks: Any
) -> None:
    gateway.answers = [(302, b"")]
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(org_a)
    assert _sms(case).state == State.FAILED and len(gateway.received) == 1


def test_a_gateway_url_must_be_https_unless_it_is_this_machine(org_a: Organisation) -> None:
    form = SmsGatewayForm(
        data={
            "organisation": org_a.pk, "kind": "basic_form", "url": "http://sms.example.com/send",
            "sender": "WANGCHAO", "timeout": 10, "is_active": "on", "api_key": "k",
            "api_secret": "s",
        }
    )  # fmt: skip
    assert not form.is_valid() and "url" in form.errors


# --- the admin: secrets write-only -------------------------------------------------------------


def test_the_key_and_secret_are_encrypted_and_never_shown_back(
    org_a: Organisation, gateway_server: FakeGateway
) -> None:
    data = {
        "organisation": org_a.pk, "kind": "basic_form", "url": "https://sms.example.com/sms",
        "sender": "WANGCHAO", "timeout": 10, "is_active": "on",
    }  # fmt: skip
    assert not SmsGatewayForm(data=data).is_valid()  # a new gateway needs both
    form = SmsGatewayForm(data={**data, "api_key": "key-123", "api_secret": "secret-456"})
    assert form.is_valid(), form.errors
    saved = form.save()
    assert "secret-456" not in saved.api_secret_encrypted
    assert gateways.credentials(saved) == ("key-123", "secret-456")
    shown = SmsGatewayForm(instance=saved).as_div()
    assert "key-123" not in shown and "secret-456" not in shown
    assert saved.api_secret_encrypted not in shown
    kept = SmsGatewayForm(data={**data, "sender": "NABOT"}, instance=saved)  # blank: kept
    assert kept.is_valid(), kept.errors
    assert gateways.credentials(kept.save()) == ("key-123", "secret-456")
    changed = SmsGatewayForm(data={**data, "api_secret": "new-secret"}, instance=saved)
    assert changed.is_valid()
    assert gateways.credentials(changed.save()) == ("key-123", "new-secret")


def test_an_operator_sets_up_a_gateway_in_the_admin_and_never_sees_its_secrets(
    org_a: Organisation, client: Client
) -> None:
    operator = User.objects.create_superuser("operator", "op@example.com", PASSWORD)
    admin = sign_in(client, operator)
    form = {
        "organisation": org_a.pk, "kind": "basic_form", "url": "https://sms.example.com/sms",
        "sender": "WANGCHAO", "api_key": "key-123", "api_secret": "secret-456", "timeout": 10,
        "is_active": "on",
    }  # fmt: skip
    response = admin.post("/admin/notifications/smsgateway/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    gateway = SmsGateway.objects.get(organisation=org_a)
    page = admin.get(f"/admin/notifications/smsgateway/{gateway.pk}/change/").content.decode()
    assert "WANGCHAO" in page
    for secret in ("key-123", "secret-456", gateway.api_secret_encrypted):
        assert secret not in page


# --- segments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 1), ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
        ("{" * 80, 1), ("{" * 81, 2),  # GSM-7 extension characters take two septets
        ("ก" * 70, 1), ("ก" * 71, 2), ("ก" * 134, 2), ("ก" * 135, 3),
        ("a" * 69 + "ก", 1), ("a" * 160 + "ก", 3),  # one Thai letter makes it all UCS-2
        ("a" * 69 + "`", 1), ("ที่", 1),  # a backtick is not GSM-7; combining marks count
    ],
)  # fmt: skip
def test_segments_are_counted_for_gsm7_and_ucs2(text: str, count: int) -> None:
    assert sms.segments(text) == count


def test_the_real_texts_cost_what_the_readme_says(
    org_a: Organisation, staff_a: Staff, gateway: FakeGateway, settings: SettingsWrapper
) -> None:
    settings.ONESTOP_PUBLIC_URL = "https://eservice.wangchao.go.th"  # a realistic site address
    thai = _file(org_a)
    with translation.override("en"):
        english = _file(org_a)
    for filed in (thai, english):
        case = case_move(case=filed, move=Move.RECEIVE, by=By.staff(staff_a.counter))
        case = case_move(
            case=case, move=Move.ASK, by=By.staff(staff_a.officer), public_message="ขอรูป"
        )
        case = case_transition(
            case=case, to=Status.IN_PROGRESS, actor_kind=Actor.CITIZEN, public_message="ส่งแล้ว"
        )
        case_move(case=case, move=Move.COMPLETE, by=By.staff(staff_a.head), public_message="ok")

    def cost(case: Case) -> dict[str, int]:
        rows = Message.objects.filter(case=case, channel=Channel.SMS)
        return dict(rows.values_list("kind", "segments"))

    assert cost(thai) == {
        MessageKind.CITIZEN_FILED: 2, MessageKind.CITIZEN_STATUS: 1,
        MessageKind.CITIZEN_WAITING: 2, MessageKind.CITIZEN_COMPLETED: 2,
    }  # fmt: skip
    assert set(cost(english).values()) == {1}  # GSM-7: every English text in one segment
    for message in Message.objects.filter(case=english, channel=Channel.SMS):
        assert message.language == "en" and sms.is_gsm7(message.subject)


# --- quiet hours ---------------------------------------------------------------------------------


def _thai(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=BANGKOK)


@pytest.mark.parametrize(
    ("moment", "sent_at"),
    [
        (_thai(20, 20, 59, 59), _thai(20, 20, 59, 59)),
        (_thai(20, 21), _thai(21, 8)),
        (_thai(20, 23, 59, 59), _thai(21, 8)),
        (_thai(21, 0), _thai(21, 8)),
        (_thai(21, 7, 59, 59), _thai(21, 8)),
        (_thai(21, 8), _thai(21, 8)),
        (_thai(21, 12), _thai(21, 12)),
        (dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC), _thai(21, 8)),  # 21:00 in Bangkok
    ],
)
def test_an_sms_in_the_quiet_hours_waits_until_eight(
    moment: dt.datetime, sent_at: dt.datetime
) -> None:
    status = sms.send_at(MessageKind.CITIZEN_STATUS, created_at=moment, moment=moment)
    assert status == sent_at
    filed = sms.send_at(MessageKind.CITIZEN_FILED, created_at=moment, moment=moment)
    assert filed == moment  # what the citizen asked for goes at once, night or day
    late = sms.send_at(
        MessageKind.CITIZEN_FILED, created_at=moment - dt.timedelta(minutes=31), moment=moment
    )
    assert late == sent_at  # ... while it is still the answer to what they just did


def test_filed_at_night_the_confirmation_goes_at_once_and_the_status_at_eight(
    org_a: Organisation, staff_a: Staff, gateway: FakeGateway, clock: Any
) -> None:
    night = clock(_thai(20, 21, 30))
    case = _file(org_a)
    case_move(case=case, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    assert _sms(case).next_attempt_at == night
    assert _sms(case, MessageKind.CITIZEN_STATUS).next_attempt_at == _thai(21, 8)
    deliver_due(now=night)
    deliver_due(now=_thai(21, 7, 59, 59))
    [filed] = gateway.received
    assert filed.form["message"][0].startswith("รับคำร้องเลขที่")
    deliver_due(now=_thai(21, 8))
    assert len(gateway.received) == 2 and "สถานะ" in gateway.received[1].form["message"][0]


def test_in_the_evening_a_status_goes_at_once(
    org_a: Organisation, staff_a: Staff, gateway: FakeGateway, clock: Any
) -> None:
    evening = clock(_thai(20, 20, 59, 59))
    case = case_move(case=_file(org_a), move=Move.RECEIVE, by=By.staff(staff_a.counter))
    assert _sms(case, MessageKind.CITIZEN_STATUS).next_attempt_at == evening
    deliver_due(now=evening)
    assert len(gateway.received) == 2


def test_a_retry_that_falls_after_nine_waits_for_the_morning(
    org_a: Organisation, staff_a: Staff, gateway: FakeGateway, clock: Any
) -> None:
    evening = clock(_thai(20, 20, 59, 50))
    case = case_move(case=_file(org_a), move=Move.RECEIVE, by=By.staff(staff_a.counter))
    gateway.answers = [ACCEPTED, (503, b"busy")]  # the confirmation goes, the status does not
    deliver_due(now=evening)
    status = _sms(case, MessageKind.CITIZEN_STATUS)
    assert (status.state, status.next_attempt_at) == (State.QUEUED, _thai(21, 8))


def test_an_sms_due_in_the_evening_but_found_after_nine_waits_for_the_morning(
    org_a: Organisation, staff_a: Staff, gateway: FakeGateway, clock: Any
) -> None:
    clock(_thai(20, 20, 30))
    case = case_move(case=_file(org_a), move=Move.RECEIVE, by=By.staff(staff_a.counter))
    later = clock(_thai(20, 21, 15))  # the worker was down until after nine
    deliver_due(now=later)
    assert not Message.objects.filter(case=case, channel=Channel.SMS, state=State.SENT).exists()
    status = _sms(case, MessageKind.CITIZEN_STATUS)
    assert (status.state, status.attempts, status.next_attempt_at) == (
        State.QUEUED, 0, _thai(21, 8),
    )  # fmt: skip
    # The confirmation, 45 minutes old, is no longer an answer: the morning too.
    assert _sms(case).next_attempt_at == _thai(21, 8)
    assert gateway.received == []
