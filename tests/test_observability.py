"""Request ids in responses, log records and tasks; JSON logs; Prometheus metrics at /metrics."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import onestop.core.metrics as metrics_module
from onestop.core.metrics import Family, render
from onestop.core.requestid import (
    JsonFormatter,
    RequestIdFilter,
    RequestIdMiddleware,
    current_request_id,
)
from onestop.notifications import tasks
from onestop.notifications.models import Message
from onestop.organisations.models import Organisation
from onestop.tracking.models import TrackingThrottle
from tests.factories import make_case

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "s3cret-metrics-token-for-tests"
HEX32 = re.compile(r"[0-9a-f]{32}")


# -- request id -------------------------------------------------------------------------------


def test_a_request_gets_an_id_in_its_response(client: Client) -> None:
    first = client.get("/health/live")["X-Request-ID"]
    second = client.get("/health/live")["X-Request-ID"]
    assert HEX32.fullmatch(first) and HEX32.fullmatch(second)
    assert first != second


def test_a_safe_incoming_id_is_echoed(client: Client) -> None:
    response = client.get("/health/live", headers={"X-Request-ID": "lb-7f3a-0042"})
    assert response["X-Request-ID"] == "lb-7f3a-0042"
    sixty_four = "a" * 64
    assert client.get("/health/live", headers={"X-Request-ID": sixty_four})["X-Request-ID"] == (
        sixty_four
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "a" * 65,  # too long
        "abc def",  # space
        "abc\r\nSet-Cookie: x=1",  # header injection
        "id\n2026-12-01 ERROR forged line",  # log injection
        '"},"level":"CRITICAL',  # JSON injection
        "../../etc/passwd",
        "รหัสคำขอ",  # not ASCII
        "",  # empty
        "abc_def",  # underscore is outside the allowed set
    ],
)
def test_an_unsafe_incoming_id_is_replaced(client: Client, hostile: str) -> None:
    request = RequestFactory().get("/", headers={"X-Request-ID": hostile})
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current_request_id())
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(request)
    assert HEX32.fullmatch(response["X-Request-ID"])
    assert seen == [response["X-Request-ID"]]
    assert current_request_id() == ""  # reset after the request


def test_log_records_during_a_request_carry_its_id(caplog: pytest.LogCaptureFixture) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        logging.getLogger("onestop.test").warning("ระหว่างคำขอ")
        return HttpResponse("ok")

    handler_filter = RequestIdFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        # onestop.access says INFO only with LOG_FORMAT=json (settings); here it is asked to.
        with caplog.at_level(logging.INFO, logger="onestop.access"):
            request = RequestFactory().get("/", headers={"X-Request-ID": "req-1"})
            RequestIdMiddleware(view)(request)
            logging.getLogger("onestop.test").warning("หลังคำขอ")
    finally:
        caplog.handler.removeFilter(handler_filter)
    inside = [r for r in caplog.records if r.getMessage() == "ระหว่างคำขอ"]
    after = [r for r in caplog.records if r.getMessage() == "หลังคำขอ"]
    assert [r.request_id for r in inside] == ["req-1"]  # type: ignore[attr-defined]
    assert [r.request_id for r in after] == ["-"]  # type: ignore[attr-defined]
    access = [r for r in caplog.records if r.name == "onestop.access"]
    assert [(r.status, r.method) for r in access] == [(200, "GET")]  # type: ignore[attr-defined]


def test_the_settings_put_the_filter_on_the_console_handler() -> None:
    handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert any(isinstance(f, RequestIdFilter) for h in handlers for f in h.filters)


def test_json_formatter_writes_one_parsable_object_with_thai_intact() -> None:
    formatter = JsonFormatter()
    try:
        raise ValueError("ค่าไม่ถูกต้อง")
    except ValueError:
        record = logging.makeLogRecord(
            {
                "name": "onestop.cases",
                "levelno": logging.ERROR,
                "levelname": "ERROR",
                "msg": "ส่งคำร้อง %s ไม่สำเร็จ\nบรรทัดที่สอง",
                "args": ("69-0001",),
                "exc_info": sys.exc_info(),
                "request_id": "abc-123",
                "view": "portal:home",
                "request": RequestFactory().get("/track/?national_id=1103700012346"),
            }
        )
    line = formatter.format(record)
    assert "\n" not in line  # one line per record, whatever the message holds
    assert "ส่งคำร้อง" in line  # Thai written as Thai, not \\u escapes
    entry = json.loads(line)
    assert entry["message"] == "ส่งคำร้อง 69-0001 ไม่สำเร็จ\nบรรทัดที่สอง"
    assert entry["level"] == "ERROR" and entry["logger"] == "onestop.cases"
    assert entry["request_id"] == "abc-123" and entry["view"] == "portal:home"
    assert "ValueError: ค่าไม่ถูกต้อง" in entry["exception"]
    assert "request" not in entry and "1103700012346" not in line  # objects are not written
    assert dt.datetime.fromisoformat(entry["time"]).tzinfo is not None


def test_json_formatter_outside_a_request_says_dash() -> None:
    record = logging.makeLogRecord({"msg": "hello", "levelname": "INFO", "name": "x"})
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "-" and "exception" not in entry


@pytest.fixture
def db_tasks(settings: Any) -> None:
    """As in production: the request only stores the task; the worker runs it later."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.django_db
def test_a_task_enqueued_during_a_request_runs_with_its_id(
    monkeypatch: Any, caplog: pytest.LogCaptureFixture, db_tasks: None
) -> None:
    seen: list[str] = []

    def deliver_due(**kwargs: Any) -> int:
        seen.append(current_request_id())
        logging.getLogger("onestop.notifications").warning("กำลังส่ง")
        return 0

    monkeypatch.setattr(tasks, "deliver_due", deliver_due)
    monkeypatch.setattr(tasks, "next_due_at", lambda: None)

    def view(request: HttpRequest) -> HttpResponse:
        tasks.deliver_soon()  # as the commit of a change does
        return HttpResponse("ok")

    RequestIdMiddleware(view)(RequestFactory().get("/", headers={"X-Request-ID": "req-task-9"}))
    [row] = DBTaskResult.objects.filter(task_path="onestop.notifications.tasks.deliver")
    assert row.args_kwargs == {"args": [], "kwargs": {"request_id": "req-task-9"}}
    # The worker runs it later, in another process, outside any request.
    assert current_request_id() == ""
    result = row.task_result
    handler_filter = RequestIdFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        result.task.call(*result.args, **result.kwargs)
    finally:
        caplog.handler.removeFilter(handler_filter)
    assert seen == ["req-task-9"]
    [record] = [r for r in caplog.records if r.getMessage() == "กำลังส่ง"]
    assert record.request_id == "req-task-9"  # type: ignore[attr-defined]
    assert current_request_id() == ""


@pytest.mark.django_db
def test_a_task_enqueued_outside_a_request_has_no_extra_argument(db_tasks: None) -> None:
    tasks.deliver_soon()
    [row] = DBTaskResult.objects.filter(task_path="onestop.notifications.tasks.deliver")
    assert row.args_kwargs == {"args": [], "kwargs": {}}


# -- metrics ----------------------------------------------------------------------------------

LINE = re.compile(
    r'(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?P<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*)\})?'
    r" (?P<value>-?[0-9.e+]+|NaN|[+-]Inf)"
)
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every line is a comment (# HELP / # TYPE) or `name{labels} value`; anything else fails."""
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    assert text.endswith("\n")
    for line in text.splitlines():
        if line.startswith(("# HELP ", "# TYPE ")):
            continue
        match = LINE.fullmatch(line)
        assert match, f"not exposition format: {line!r}"
        labels = frozenset(LABEL.findall(match["labels"] or ""))
        samples[(match["name"], labels)] = float(match["value"])
    return samples


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


@pytest.mark.django_db
def test_metrics_do_not_exist_without_a_token(client: Client) -> None:
    with override_settings(ONESTOP_METRICS_TOKEN=""):
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.django_db
@override_settings(ONESTOP_METRICS_TOKEN=TOKEN)
def test_metrics_refuse_a_missing_or_wrong_token(client: Client) -> None:
    missing = client.get("/metrics")
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
    for header in [
        "Bearer wrong",
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN[:-1]}",
        f"Basic {TOKEN}",
        TOKEN,
        "Bearer ",
        "Bearer " + "ก" * 40,  # not ASCII
        "Bearer " + "x" * 10_000,
    ]:
        response = client.get("/metrics", headers={"Authorization": header})
        assert response.status_code == 403, header
        assert b"onestop_" not in response.content
    assert client.post("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405


@pytest.mark.django_db
@override_settings(ONESTOP_METRICS_TOKEN=TOKEN)
def test_metrics_answer_whatever_the_host(client: Client) -> None:
    response = client.get(
        "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, HTTP_HOST="10.0.0.5:8000"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "no-cache" in response["Cache-Control"]


def scrape(client: Client) -> tuple[str, dict[Any, float]]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    text = response.content.decode()
    return text, parse(text)


def _message(key: str, state: str, channel: str = "email") -> Message:
    return Message.objects.create(
        kind="citizen_status", channel=channel, recipient_encrypted="x",
        recipient_masked="ma***@example.com", recipient_hash=key, subject="คำร้อง",
        body_encrypted="x", key=key, state=state,
    )  # fmt: skip


@pytest.mark.django_db
@override_settings(ONESTOP_METRICS_TOKEN=TOKEN)
def test_metrics_match_the_data(client: Client, org_a: Organisation) -> None:
    _text, before = scrape(client)
    national_id = "1103700012346"
    make_case(org_a, national_id=national_id, phone="0899990001")
    make_case(org_a)
    for n in range(3):
        _message(f"obs-failed-{n}", "failed")
    _message("obs-queued", "queued", channel="sms")
    now = timezone.now()
    for n, (scope, until) in enumerate(
        [("ip", now + dt.timedelta(minutes=5)), ("number", now + dt.timedelta(minutes=5)),
         ("number", now - dt.timedelta(minutes=1)), ("ip", None)]
    ):  # fmt: skip
        TrackingThrottle.objects.create(
            scope=scope, key=f"k{n}", window_started_at=now, failures=5, locked_until=until
        )
    for n, (failures, ago) in enumerate([(2, 10), (5, 3), (7, 120)]):
        attempt = AccessAttempt.objects.create(
            username=f"staffuser{n}", ip_address="192.0.2.1", user_agent="t", http_accept="*/*",
            path_info="/accounts/login/", get_data="", post_data="",
            failures_since_start=failures,
        )  # fmt: skip
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=now - dt.timedelta(minutes=ago)
        )
    DBTaskResult.objects.create(
        task_path="onestop.tests.nothing", args_kwargs={"args": [], "kwargs": {}},
        queue_name="default", backend_name="default",
    )  # fmt: skip
    text, after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - before.get((name, frozenset(labels.items())), 0)

    assert delta("onestop_requests", status="submitted") == 2
    assert delta("onestop_requests", status="completed") == 0
    assert delta("onestop_outbox_messages", state="failed", channel="email") == 3
    assert delta("onestop_outbox_messages", state="queued", channel="sms") == 1
    assert value(after, "onestop_tracking_lockouts_active", scope="ip") == 1
    assert value(after, "onestop_tracking_lockouts_active", scope="number") == 1
    assert value(after, "onestop_signin_failures_last_hour") == 7  # 2 + 5; not the 2-hour-old 7
    assert value(after, "onestop_signin_lockouts_active") == 1  # 5 failures, 3 minutes ago
    assert delta("onestop_tasks_ready") == 1
    assert value(after, "onestop_tasks_oldest_ready_age_seconds") >= 0
    for collector in ["accounts", "cases", "notifications", "tasks", "tracking"]:
        assert value(after, "onestop_metrics_collector_up", collector=collector) == 1
    # No personal data: only states, statuses, channels and scopes as labels.
    label_names = {key for (_name, labels) in after for key, _v in labels}
    assert label_names <= {"status", "state", "channel", "scope", "collector"}
    for secret in [national_id, "0899990001", "มาลี", "ศรีสุข", "ma***", "192.0.2.1", "staffuser"]:
        assert secret not in text


@pytest.mark.django_db
@override_settings(ONESTOP_METRICS_TOKEN=TOKEN)
def test_a_failing_collector_is_reported_and_the_others_still_answer(
    client: Client, monkeypatch: Any
) -> None:
    def broken() -> list[Family]:
        raise RuntimeError("boom")

    monkeypatch.setattr(metrics_module, "_COLLECTORS", dict(metrics_module._COLLECTORS))
    metrics_module.register("zz-broken", broken)
    _text, samples = scrape(client)
    assert value(samples, "onestop_metrics_collector_up", collector="zz-broken") == 0
    assert value(samples, "onestop_metrics_collector_up", collector="cases") == 1


def test_render_escapes_label_values() -> None:
    text = render([Family("x_total", 'say "hi"\nnow', [({"a": 'q"\\\nz'}, 1.5)], kind="counter")])
    assert text == (
        '# HELP x_total say "hi"\\nnow\n# TYPE x_total counter\nx_total{a="q\\"\\\\\\nz"} 1.5\n'
    )
    assert parse(text) == {("x_total", frozenset({("a", 'q\\"\\\\\\nz')})): 1.5}


def _log_in_a_process(tmp_path: Path, log_format: str) -> subprocess.CompletedProcess[str]:
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('onestop.x').warning('สวัสดี %s', 'ครับ')"
    )
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "LOG_FORMAT": log_format,
        "SECRET_KEY": "x", "ONESTOP_DATA_KEY": "x", "EMAIL_URL": "memory://",
        "ONESTOP_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings",
    }  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", script],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_log_format_json_makes_the_process_write_json_lines(tmp_path: Path) -> None:
    result = _log_in_a_process(tmp_path, "json")
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if "onestop.x" in line]
    entry = json.loads(line)
    assert entry["message"] == "สวัสดี ครับ" and entry["request_id"] == "-"
    plain = _log_in_a_process(tmp_path, "plain")
    assert "WARNING onestop.x [-] สวัสดี ครับ" in plain.stderr
    wrong = _log_in_a_process(tmp_path, "xml")
    assert wrong.returncode != 0 and "LOG_FORMAT must be plain or json" in wrong.stderr
