"""LINE through the outbox, against a local Messaging API server the tests start; the signed
webhook that links a LINE user to one request with a one-time code; the offer on the pages."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from onestop.cases.models import Case
from onestop.cases.services import By, Requester, case_assign, case_move, case_submit
from onestop.cases.workflow import Move
from onestop.core import crypto
from onestop.notifications.admin import LineChannelForm
from onestop.notifications.delivery import deliver_due
from onestop.notifications.line import line_link_code, line_link_code_for_member, retry_key
from onestop.notifications.models import (
    Channel,
    LineChannel,
    LineLink,
    Message,
    MessageKind,
    StaffContact,
    State,
)
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import request_type, some_place, valid_national_id

SECRET = "line-channel-secret-a"
TOKEN = "line-access-token-a"
USER = "U" + "a1" * 16
OTHER_USER = "U" + "b2" * 16
GROUP = "C" + "c3" * 16
HANG = 0


@dataclass
class Pushed:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeLine:
    port: int
    answers: list[int] = field(default_factory=list)
    received: list[Pushed] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def line_api(settings: SettingsWrapper) -> Iterator[FakeLine]:
    fake = FakeLine(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.received.append(Pushed(self.path, dict(self.headers.items()), json.loads(raw)))
            status = fake.answers.pop(0) if fake.answers else 200
            if status == HANG:
                fake.release.wait(timeout=30)
                return
            answer = b"{}" if status < 400 else b'{"message":"error"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ONESTOP_LINE_API_URL = f"http://127.0.0.1:{fake.port}"
    settings.ONESTOP_LINE_TIMEOUT = 1
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()


def _connect(organisation: Organisation, secret: str = SECRET, **extra: Any) -> LineChannel:
    return LineChannel.objects.create(
        organisation=organisation, basic_id="@wangchao",
        channel_secret_encrypted=crypto.encrypt(secret),
        access_token_encrypted=crypto.encrypt(TOKEN), **extra,
    )  # fmt: skip


def _file(organisation: Organisation) -> Case:
    return case_submit(
        organisation=organisation,
        request_type=request_type(organisation, "street-light"),
        subject="ไฟฟ้าดับหน้าบ้านเลขที่ 12",
        details="ไฟส่องสว่างหน้าบ้านดับมาสามคืนแล้ว",
        requester=Requester(
            title="นาง", first_name="มาลี", last_name="ศรีสุข",
            national_id=valid_national_id(), phone="0812345678", email="",
        ),
        place=some_place(),
    )  # fmt: skip


def _signed(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _event(text: str, user: str = USER) -> bytes:
    event = {
        "type": "message", "replyToken": "r", "timestamp": 1,
        "source": {"type": "user", "userId": user},
        "message": {"type": "text", "id": "1", "text": text},
    }  # fmt: skip
    return json.dumps({"destination": "U0", "events": [event]}).encode()


def _webhook(body: bytes, signature: str | None, slug: str = "wangchao") -> int:
    headers = {"X-Line-Signature": signature} if signature is not None else {}
    response = Client().post(
        f"/line/{slug}/webhook/", body, content_type="application/json", headers=headers
    )
    return response.status_code


@pytest.fixture
def followed(org_a: Organisation, line_api: FakeLine) -> Case:
    """A request of A whose citizen linked LINE (through the webhook), the pushes so far sent."""
    _connect(org_a)
    case = _file(org_a)
    code = line_link_code(case=case).code
    assert _webhook(_event(f"รหัส {code}"), _signed(_event(f"รหัส {code}"))) == 200
    deliver_due()
    return case


def _line(case: Case, kind: MessageKind) -> Message:
    return Message.objects.get(case=case, kind=kind, channel=Channel.LINE)


# --- push ---------------------------------------------------------------------------------------


def test_the_push_request_is_exact(followed: Case, line_api: FakeLine, staff_a: Staff) -> None:
    [linked] = line_api.received  # the first message: "this chat now follows the request"
    assert followed.display_number in linked.body["messages"][0]["text"]
    case_move(case=followed, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    assert deliver_due() == 1
    push = line_api.received[-1]
    message = _line(followed, MessageKind.CITIZEN_STATUS)
    assert push.path == "/v2/bot/message/push"
    assert push.headers["Authorization"] == f"Bearer {TOKEN}"
    assert push.headers["Content-Type"] == "application/json; charset=utf-8"
    assert push.headers["X-Line-Retry-Key"] == retry_key(message.key)
    assert uuid.UUID(push.headers["X-Line-Retry-Key"]).version == 5
    assert push.body["to"] == USER
    [text] = push.body["messages"]
    assert text["type"] == "text"
    assert followed.display_number in text["text"] and "รับเรื่อง" in text["text"]
    assert f"/wangchao/track/?number={followed.number}" in text["text"]
    assert "มาลี" not in text["text"] and "0812345678" not in text["text"]
    assert (
        message.recipient_masked == f"LINE …{USER[-4:]}" and USER not in message.recipient_encrypted
    )


def test_a_500_then_200_is_one_retry_and_one_message(
    followed: Case, line_api: FakeLine, staff_a: Staff
) -> None:
    case_move(case=followed, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    line_api.answers = [500]
    before = len(line_api.received)
    assert deliver_due() == 0
    message = _line(followed, MessageKind.CITIZEN_STATUS)
    assert (message.state, message.attempts) == (State.QUEUED, 1) and "500" in message.last_error
    assert deliver_due(now=timezone.now() + dt.timedelta(hours=1)) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts, message.retries) == (State.SENT, 2, 1)
    first, second = line_api.received[before:]
    assert first.headers["X-Line-Retry-Key"] == second.headers["X-Line-Retry-Key"]


def test_a_hanging_api_times_out_and_the_push_is_retried(
    followed: Case, line_api: FakeLine, staff_a: Staff
) -> None:
    case_move(case=followed, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    line_api.answers = [HANG]
    deliver_due()
    message = _line(followed, MessageKind.CITIZEN_STATUS)
    assert message.state == State.QUEUED and message.last_error == "timed out after 1 s"
    line_api.release.set()
    assert deliver_due(now=timezone.now() + dt.timedelta(hours=1)) == 1


def test_a_409_for_the_same_retry_key_counts_as_sent(
    followed: Case, line_api: FakeLine, staff_a: Staff
) -> None:
    case_move(case=followed, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    line_api.answers = [409]  # an earlier attempt got through before the worker died
    assert deliver_due() == 1
    assert _line(followed, MessageKind.CITIZEN_STATUS).state == State.SENT


def test_a_400_fails_at_once(followed: Case, line_api: FakeLine, staff_a: Staff) -> None:
    case_move(case=followed, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    line_api.answers = [400]
    deliver_due()
    message = _line(followed, MessageKind.CITIZEN_STATUS)
    assert (message.state, message.attempts) == (State.FAILED, 1)


def test_the_staff_group_hears_of_new_requests(org_a: Organisation, line_api: FakeLine) -> None:
    _connect(org_a, staff_group_id=GROUP)
    case = _file(org_a)
    message = _line(case, MessageKind.STAFF_NEW)
    assert crypto.decrypt(message.recipient_encrypted) == GROUP
    deliver_due()
    [push] = [p for p in line_api.received if p.body["to"] == GROUP]
    text = push.body["messages"][0]["text"]
    assert case.display_number in text and f"/staff/wangchao/cases/{case.number}/" in text
    assert "มาลี" not in text


def test_without_a_linked_user_or_an_account_nothing_goes_by_line(
    org_a: Organisation, staff_a: Staff
) -> None:
    case = _file(org_a)
    case_move(case=case, move=Move.RECEIVE, by=By.staff(staff_a.counter))
    assert not Message.objects.filter(channel=Channel.LINE).exists()
    _connect(org_a)
    case_move(case=case, move=Move.START, by=By.staff(staff_a.counter))
    assert not Message.objects.filter(channel=Channel.LINE).exists()  # nobody linked


# --- the webhook ----------------------------------------------------------------------------------


def test_a_wrong_or_missing_signature_is_refused_and_logged(
    org_a: Organisation, caplog: pytest.LogCaptureFixture
) -> None:
    _connect(org_a)
    case = _file(org_a)
    body = _event(line_link_code(case=case).code)
    with caplog.at_level(logging.WARNING, logger="onestop.notifications"):
        assert _webhook(body, _signed(body, secret="someone-elses")) == 401
        assert _webhook(body, None) == 401
        assert _webhook(body, "not base64 at all ✗") == 401
        assert _webhook(body + b" ", _signed(body)) == 401  # the body changed on the way
    assert "wrong or missing signature" in caplog.text
    assert not LineLink.objects.filter(linked_at__isnull=False).exists()


def test_the_right_signature_links_that_user_to_that_one_request(org_a: Organisation) -> None:
    _connect(org_a)
    case, other = _file(org_a), _file(org_a)
    code = line_link_code(case=case).code
    line_link_code(case=other)
    body = _event(f"สวัสดีค่ะ {code.lower()}")  # typed in lower case: still the code
    assert _webhook(body, _signed(body)) == 200
    link = LineLink.objects.get(code=code)
    assert link.linked_at is not None and crypto.decrypt(link.line_user_encrypted) == USER
    assert USER not in link.line_user_encrypted
    assert not LineLink.objects.filter(case=other, linked_at__isnull=False).exists()
    confirmation = _line(case, MessageKind.CITIZEN_LINE_LINKED)
    assert crypto.decrypt(confirmation.recipient_encrypted) == USER


def test_a_code_works_once(org_a: Organisation) -> None:
    _connect(org_a)
    case = _file(org_a)
    code = line_link_code(case=case).code
    first, again = _event(code), _event(code, user=OTHER_USER)
    assert _webhook(first, _signed(first)) == 200
    assert _webhook(again, _signed(again)) == 200  # LINE wants 200; the code is refused
    [link] = LineLink.objects.filter(case=case)
    assert crypto.decrypt(link.line_user_encrypted) == USER
    assert Message.objects.filter(kind=MessageKind.CITIZEN_LINE_LINKED).count() == 1
    assert line_link_code(case=case).code != code  # the page offers a new one


def test_an_expired_code_is_refused(org_a: Organisation) -> None:
    _connect(org_a)
    link = line_link_code(case=_file(org_a))
    LineLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    body = _event(link.code)
    assert _webhook(body, _signed(body)) == 200
    link.refresh_from_db()
    assert link.linked_at is None


def test_another_organisations_code_is_refused(org_a: Organisation, org_b: Organisation) -> None:
    _connect(org_a)
    _connect(org_b, secret="line-channel-secret-b")
    code = line_link_code(case=_file(org_a)).code
    body = _event(code)
    # Sent to B's account (its webhook, its signature): A's code means nothing there.
    assert _webhook(body, _signed(body, "line-channel-secret-b"), slug=org_b.slug) == 200
    assert not LineLink.objects.filter(linked_at__isnull=False).exists()


def test_hostile_and_odd_bodies(org_a: Organisation, org_b: Organisation) -> None:
    _connect(org_a)
    for body in (b"not json", b"[]", b'{"events": "x"}', b'{"events": [1, {"type": "message"}]}'):
        expected = 400 if body == b"not json" else 200
        assert _webhook(body, _signed(body)) == expected
    injected = _event("ABCDEFGH", user="U' OR 1=1 --")
    assert _webhook(injected, _signed(injected)) == 200
    huge = b'{"events": []}' + b" " * (300 * 1024)
    assert _webhook(huge, _signed(huge)) == 413
    assert _webhook(b"{}", _signed(b"{}"), slug=org_b.slug) == 404  # B has no LINE account
    assert _webhook(b"{}", _signed(b"{}"), slug="nowhere") == 404
    assert Client().get("/line/wangchao/webhook/").status_code == 405


# --- the offer on the pages and the admin -------------------------------------------------------


def _tracking_page(client: Client, case: Case) -> str:
    client.post(f"/{case.organisation.slug}/track/", {"number": case.number, "digits": "5678"})
    return client.get(f"/{case.organisation.slug}/track/status/").content.decode()


def test_the_tracking_page_offers_line_only_when_the_organisation_has_it(
    org_a: Organisation,
) -> None:
    case = _file(org_a)
    assert "line.me" not in _tracking_page(Client(), case)
    _connect(org_a)
    html = _tracking_page(Client(), case)
    code = LineLink.objects.get(case=case).code
    assert "https://line.me/R/ti/p/%40wangchao" in html
    assert f"https://line.me/R/oaMessage/%40wangchao/?{code}" in html and code in html
    assert _tracking_page(Client(), case).count(code) >= 1  # the same code while valid
    assert LineLink.objects.filter(case=case).count() == 1
    body = _event(code)
    _webhook(body, _signed(body))
    html = _tracking_page(Client(), case)
    assert "แจ้งความคืบหน้าทาง LINE แล้ว" in html and "oaMessage" not in html


def test_the_secret_and_the_token_are_write_only_in_the_admin(org_a: Organisation) -> None:
    channel = _connect(org_a)
    form = LineChannelForm(instance=channel)
    html = form.as_p()
    for value in (SECRET, TOKEN, channel.channel_secret_encrypted, channel.access_token_encrypted):
        assert value not in html
    data = {"organisation": org_a.pk, "basic_id": "@wangchao", "staff_group_id": "",
            "is_active": "on", "channel_secret": "", "access_token": ""}  # fmt: skip
    form = LineChannelForm(data, instance=channel)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert crypto.decrypt(saved.channel_secret_encrypted) == SECRET  # kept when left empty
    bad = LineChannelForm({**data, "basic_id": "wangchao", "staff_group_id": "x"}, instance=channel)
    assert set(bad.errors) == {"basic_id", "staff_group_id"}


# --- a staff member's own LINE ------------------------------------------------------------------


def test_a_member_links_their_line_and_chooses_it_for_assignments(
    org_a: Organisation, staff_a: Staff, line_api: FakeLine
) -> None:
    _connect(org_a)
    client = sign_in(Client(), staff_a.officer)
    html = client.get("/staff/wangchao/notifications/").content.decode()
    code = LineLink.objects.get(user=staff_a.officer).code
    assert code in html and 'name="staff_assigned-line"' in html
    body = _event(code, user=OTHER_USER)
    assert _webhook(body, _signed(body)) == 200
    contact = StaffContact.objects.get(organisation=org_a, user=staff_a.officer)
    assert crypto.decrypt(contact.line_user_encrypted) == OTHER_USER
    assert "เชื่อมต่อ LINE แล้ว" in client.get("/staff/wangchao/notifications/").content.decode()
    assert (
        client.post("/staff/wangchao/notifications/", {"staff_assigned-line": "on"}).status_code
        == 302
    )
    case = _file(org_a)
    case_assign(
        case=case, department=org_a.departments.get(key="engineering"),
        assignee=staff_a.officer, by=By.staff(staff_a.head),
    )  # fmt: skip
    [message] = Message.objects.filter(case=case, kind=MessageKind.STAFF_ASSIGNED)
    assert message.channel == Channel.LINE and message.recipient_user == staff_a.officer
    deliver_due()
    [push] = [p for p in line_api.received if p.body["to"] == OTHER_USER]
    assert case.display_number in push.body["messages"][0]["text"]
    # Unlinked: LINE chosen but nowhere to send it.
    client.post(
        "/staff/wangchao/notifications/", {"staff_assigned-line": "on", "line_remove": "on"}
    )
    contact.refresh_from_db()
    assert contact.line_user_encrypted == ""


def test_a_members_code_from_another_organisation_is_refused(
    org_a: Organisation, org_b: Organisation, staff_b: Staff
) -> None:
    _connect(org_a)
    _connect(org_b, secret="line-channel-secret-b")
    code = line_link_code_for_member(organisation=org_b, user=staff_b.officer).code
    body = _event(code)
    assert _webhook(body, _signed(body)) == 200  # sent to A's account
    assert not StaffContact.objects.filter(user=staff_b.officer).exists()
