"""Parallel submissions against a real database: unique numbers, no lost or doubled requests."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from onestop.cases.models import Case
from onestop.organisations.models import Organisation
from tests.factories import make_case

WORKERS = 8
PER_WORKER = 6


def _run_in_threads(target: Callable[[int], None], count: int) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            barrier.wait()
            target(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_each_get_their_own_unique_number(org_a: Organisation) -> None:
    def submit(i: int) -> None:
        for _ in range(PER_WORKER):
            make_case(org_a)

    errors = _run_in_threads(submit, WORKERS)
    assert errors == []
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == WORKERS * PER_WORKER
    assert len(set(numbers)) == len(numbers)


@pytest.mark.django_db(transaction=True)
def test_parallel_retries_of_one_submission_create_one_request(org_a: Organisation) -> None:
    results: list[str] = []

    def submit(i: int) -> None:
        results.append(make_case(org_a, submission_key="same-wizard-session").number)

    errors = _run_in_threads(submit, WORKERS)
    assert errors == []
    assert Case.objects.count() == 1
    assert set(results) == {Case.objects.get().number}
