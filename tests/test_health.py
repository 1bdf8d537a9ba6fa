"""/health/live answers without the database; /health/ready checks the database, the storage
and the task queue, and answers 503 when a required check fails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max


@contextmanager
def database_down() -> Iterator[None]:
    """Every query fails as it does when the server is unreachable."""

    def refuse(*args: Any) -> None:
        raise OperationalError("connection refused (simulated)")

    with connection.execute_wrapper(refuse):
        yield


def test_live_answers_without_touching_the_database(client: Client) -> None:
    # No database fixture: any query (even a session read) would fail the test.
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_reports_every_check(client: Client) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "storage", "tasks"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["tasks"]["ready"] == 0


@pytest.mark.django_db
def test_ready_tells_how_long_the_oldest_ready_task_has_waited(client: Client) -> None:
    def task(enqueued_minutes_ago: int, run_after: dt.datetime | None = None) -> None:
        row = DBTaskResult.objects.create(
            task_path="onestop.tests.nothing",
            args_kwargs={"args": [], "kwargs": {}},
            queue_name="default",
            backend_name="default",
            run_after=run_after or get_date_max(),
        )
        DBTaskResult.objects.filter(pk=row.pk).update(
            enqueued_at=timezone.now() - dt.timedelta(minutes=enqueued_minutes_ago)
        )

    task(5)
    task(30)
    task(60, run_after=timezone.now() + dt.timedelta(hours=1))  # not ready yet
    tasks = client.get("/health/ready").json()["checks"]["tasks"]
    assert tasks["ready"] == 2
    assert 30 * 60 <= tasks["oldest_ready_age_seconds"] < 31 * 60


@pytest.mark.django_db
def test_ready_is_503_when_the_database_fails(client: Client) -> None:
    with database_down():
        response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {
        "ok": False,
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }
    assert body["checks"]["storage"]["ok"] is True


@pytest.mark.django_db
def test_ready_is_503_when_the_storage_cannot_be_written(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Callable[..., Any]:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(default_storage, "save", refuse)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["error"] == "PermissionError"


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["oss.example.go.th"], SECURE_SSL_REDIRECT=True)
def test_probes_are_answered_whatever_the_host_and_over_plain_http(client: Client) -> None:
    for path in ("/health/live", "/health/ready"):
        assert client.get(path, HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400


def test_live_refuses_a_post(client: Client) -> None:
    assert client.post("/health/live").status_code == 405
