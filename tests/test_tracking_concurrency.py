"""The tracking limits hold when several app processes (here: threads with their own database
connections) count failures at the same moment: no lost update, exactly one lock."""

from __future__ import annotations

import pytest
from django.test import override_settings

from onestop.tracking import throttle
from onestop.tracking.models import ThrottleScope, TrackingThrottle
from tests.test_concurrency import _run_in_threads

WORKERS = 8
PER_WORKER = 5


@pytest.mark.django_db(transaction=True)
@override_settings(ONESTOP_TRACKING_NUMBER_LIMIT=1000, ONESTOP_TRACKING_IP_LIMIT=1000)
def test_parallel_failures_are_all_counted() -> None:
    subject = throttle.Subject(ip="203.0.113.1", number="6904217883156")

    def fail(i: int) -> None:
        for _ in range(PER_WORKER):
            throttle.record_failure(subject)

    assert _run_in_threads(fail, WORKERS) == []
    rows = TrackingThrottle.objects.all()
    assert sorted(r.failures for r in rows) == [WORKERS * PER_WORKER] * 2


@pytest.mark.django_db(transaction=True)
@override_settings(ONESTOP_TRACKING_NUMBER_LIMIT=5, ONESTOP_TRACKING_IP_LIMIT=1000)
def test_parallel_failures_on_one_number_lock_it_once_at_the_limit() -> None:
    locks: list[object] = []

    def fail(i: int) -> None:
        # Rotating addresses: only the number's limit applies.
        subject = throttle.Subject(ip=f"198.51.100.{i}", number="6904217883156")
        if throttle.record_failure(subject) is not None:
            locks.append(i)

    assert _run_in_threads(fail, 5) == []
    assert len(locks) == 1
    row = TrackingThrottle.objects.get(scope=ThrottleScope.NUMBER)
    assert row.locked_until is not None
