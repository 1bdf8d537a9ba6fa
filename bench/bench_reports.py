"""Measure the public performance page against rollups equivalent to many requests.

    .venv/bin/python bench/bench_reports.py 1000000      # SQLite (a temporary test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \
        .venv/bin/python bench/bench_reports.py 1000000  # PostgreSQL

The rollups of `total` requests spread over three years are computed in memory and written with
bulk_create (the page reads only rollups: the requests themselves are not needed, except a few
thousand completed ones behind "recently completed"). Prints the page's and the home page's
median and p99 over repeated requests, and their ratio."""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEAT = 60


def main(total: int) -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(total)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(total: int) -> None:
    from onestop.cases.models import Channel  # noqa: PLC0415
    from onestop.cases.workflow import Status  # noqa: PLC0415
    from onestop.reports.models import HISTOGRAM_LAST, Measure  # noqa: PLC0415
    from onestop.reports.rollups import Tally, _write  # noqa: PLC0415
    from tests.factories import make_case, make_organisation  # noqa: PLC0415

    organisation = make_organisation(slug="bench")
    types = list(organisation.request_types.values_list("pk", flat=True))
    departments = list(organisation.departments.values_list("pk", flat=True))
    channels = list(Channel.values)
    rng = random.Random(1)
    today = timezone.localdate()
    started = time.perf_counter()
    tally = Tally()
    org = organisation.pk
    for _ in range(total):
        key = (org, rng.choice(types), rng.choice(departments), rng.choice(channels))
        filed = today - dt.timedelta(days=rng.randrange(365 * 3))
        tally.daily[(*key, filed)]["received"] += 1
        answered = filed + dt.timedelta(days=rng.randrange(4))
        tally.daily[(*key, answered)]["first_responded"] += 1
        tally.distribution[(*key, answered, Measure.FIRST_RESPONSE.value, rng.randrange(3))] += 1
        days = min(int(rng.expovariate(1 / 8)), HISTOGRAM_LAST)
        done = filed + dt.timedelta(days=days * 7 // 5)
        if done <= today:
            counts = tally.daily[(*key, done)]
            counts["completed"] += 1
            counts["completed_on_time"] += days <= 15
            tally.distribution[(*key, done, Measure.COMPLETION.value, days)] += 1
            if rng.random() < 0.3:
                tally.distribution[(*key, done, Measure.RATING.value, rng.randint(1, 5))] += 1
        else:
            due = filed + dt.timedelta(days=21)
            open_key = (*key, Status.IN_PROGRESS.value, filed, due, due)
            tally.open[open_key] += 1
    _write(tally)
    # A few thousand real completed requests behind "recently completed".
    from onestop.reports.models import CaseState  # noqa: PLC0415

    template = make_case(organisation)
    CaseState.objects.filter(case=template).update(
        status=Status.COMPLETED, completed_at=timezone.now()
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rows = len(tally.daily) + len(tally.distribution) + len(tally.open)
    seconds = time.perf_counter() - started
    print(
        f"rollups of {total} requests: {rows} rows written in {seconds:.1f} s ({connection.vendor})"
    )
    measure()


def measure() -> None:
    client = Client()
    results = {}
    for label, url in (("home", "/"), ("performance", "/bench/performance/")):
        client.get(url)  # warm
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        results[label] = (statistics.median(times), p99)
        print(f"{label:<14} median {results[label][0]:7.1f} ms   p99 {p99:7.1f} ms")
    ratio = results["performance"][0] / results["home"][0]
    print(f"performance / home (median): {ratio:.1f}×")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
