"""The tracking limits hold when several app processes (here: threads with their own database
connections) count attempts at the same moment: no lost update, exactly one lock, and never more
guesses compared than the limit allows."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.test import Client, override_settings

from onestop.cases.models import Case
from onestop.organisations.models import Organisation
from onestop.tracking import throttle
from onestop.tracking.models import ThrottleScope, TrackingThrottle
from onestop.tracking.selectors import case_verify as real_verify
from tests.factories import make_case
from tests.test_concurrency import _run_in_threads

WORKERS = 8
PER_WORKER = 5


@pytest.mark.django_db(transaction=True)
@override_settings(ONESTOP_TRACKING_NUMBER_LIMIT=1000, ONESTOP_TRACKING_IP_LIMIT=1000)
def test_parallel_attempts_are_all_counted() -> None:
    subject = throttle.Subject(ip="203.0.113.1", number="6904217883156")

    def fail(i: int) -> None:
        for _ in range(PER_WORKER):
            throttle.attempt(subject)

    assert _run_in_threads(fail, WORKERS) == []
    rows = TrackingThrottle.objects.all()
    assert sorted(r.failures for r in rows) == [WORKERS * PER_WORKER] * 2


@pytest.mark.django_db(transaction=True)
@override_settings(ONESTOP_TRACKING_NUMBER_LIMIT=5, ONESTOP_TRACKING_IP_LIMIT=1000)
def test_parallel_attempts_on_one_number_lock_it_once_at_the_limit() -> None:
    locks: list[object] = []

    def fail(i: int) -> None:
        # Rotating addresses: only the number's limit applies.
        subject = throttle.Subject(ip=f"198.51.100.{i}", number="6904217883156")
        if throttle.attempt(subject).locked_until is not None:
            locks.append(i)

    assert _run_in_threads(fail, 5) == []
    assert len(locks) == 1
    row = TrackingThrottle.objects.get(scope=ThrottleScope.NUMBER)
    assert row.locked_until is not None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(ONESTOP_TRACKING_NUMBER_LIMIT=5, ONESTOP_TRACKING_IP_LIMIT=1000)
def test_simultaneous_wrong_guesses_never_exceed_the_number_limit(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(org_a)
    compared: list[str] = []
    lock = threading.Lock()

    def slow_verify(**kwargs: Any) -> Case | None:
        with lock:
            compared.append(kwargs["digits"])
        time.sleep(0.2)  # a slow comparison widens any gap between checking and counting
        return real_verify(**kwargs)

    monkeypatch.setattr("onestop.tracking.views.case_verify", slow_verify)
    statuses: list[int] = []

    def guess(i: int) -> None:
        response = Client().post(
            f"/{org_a.slug}/track/",
            {"number": case.display_number, "digits": f"{i:04d}"},
            REMOTE_ADDR=f"198.51.100.{i + 1}",  # every guess from another address
        )
        with lock:
            statuses.append(response.status_code)

    assert _run_in_threads(guess, 12) == []
    assert len(compared) == 5  # the limit, not one guess more
    assert sorted(statuses) == [200] * 4 + [429] * 8
    # The right digits are refused too while the number is locked.
    right = Client().post(
        f"/{org_a.slug}/track/", {"number": case.display_number, "digits": "5678"}
    )
    assert right.status_code == 429
