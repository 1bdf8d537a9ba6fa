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


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(ONESTOP_TRACKING_NUMBER_LIMIT=1000, ONESTOP_TRACKING_IP_LIMIT=5)
def test_an_address_hammering_in_parallel_gets_exactly_its_limit_of_guesses() -> None:
    """An attacker's many connections from one address, each guessing another number: the
    address is let through its limit exactly, locked once, and every other guess is refused."""
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess(i: int) -> None:
        for j in range(3):
            subject = throttle.Subject(ip="203.0.113.66", number=f"69042178{i:03d}{j:02d}")
            outcome = throttle.attempt(subject)
            kind = (
                "refused" if outcome.refused_until is not None
                else "locked" if outcome.locked_until is not None
                else "counted"
            )  # fmt: skip
            with lock:
                outcomes.append(kind)

    assert _run_in_threads(guess, 16) == []
    assert outcomes.count("counted") == 4
    assert outcomes.count("locked") == 1  # the fifth guess reaches the limit
    assert outcomes.count("refused") == 16 * 3 - 5
    row = TrackingThrottle.objects.get(scope=ThrottleScope.IP)
    assert row.failures == 5
    assert row.locked_until is not None
    # Refused guesses were not counted against the numbers they named either.
    numbers = TrackingThrottle.objects.filter(scope=ThrottleScope.NUMBER)
    assert sorted(r.failures for r in numbers if r.failures) == [1] * 5


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(ONESTOP_TRACKING_NUMBER_LIMIT=5, ONESTOP_TRACKING_IP_LIMIT=2)
def test_a_locked_address_is_refused_without_waiting_for_its_row() -> None:
    """Refusing a locked address takes no row lock: even while another connection holds the
    address's row (an attempt in flight), the refusal comes at once instead of queueing."""
    attacker = throttle.Subject(ip="203.0.113.66", number="6904217883156")
    throttle.attempt(attacker)
    assert throttle.attempt(attacker).locked_until is not None
    row_held = threading.Event()
    release = threading.Event()

    def hold_the_row(i: int) -> None:
        from django.db import transaction  # noqa: PLC0415

        with transaction.atomic():
            TrackingThrottle.objects.select_for_update().get(scope=ThrottleScope.IP)
            row_held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=lambda: _run_in_threads(hold_the_row, 1))
    holder.start()
    try:
        assert row_held.wait(timeout=10)
        from django.db import connection  # noqa: PLC0415

        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting would raise, not hang
        try:
            assert throttle.attempt(attacker).refused_until is not None
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        release.set()
        holder.join()
