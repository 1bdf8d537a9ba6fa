"""Measure the public performance page of the demo organisation against the rollups that
bench/generate.py writes (the page reads only rollups), next to the home page.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/generate.py --requests 1000000
    .venv/bin/python bench/bench_reports.py

Prints the page's and the home page's median and p99 over repeated requests, and their ratio."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

REPEAT = 60


def main() -> None:
    from onestop.reports.models import DailyCount  # noqa: PLC0415

    setup_test_environment()
    rows = DailyCount.objects.count()
    print(f"{rows} daily rollup rows on the platform ({connection.vendor})")
    measure()


def measure() -> None:
    client = Client()
    results = {}
    for label, url in (("home", "/"), ("performance", "/wangchao/performance/")):
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
    main()
