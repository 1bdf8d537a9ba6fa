"""Measure the staff dashboard and the platform view against the rollups that
bench/generate.py writes (the same database as bench_reports.py):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/generate.py --requests 1000000
    .venv/bin/python bench/bench_dashboard.py

Prints the median and p99 of the home page, the dashboard (this fiscal year; a quarter filtered
by channel; one department as its head sees it) and the platform view, and their ratio to the
home page."""

from __future__ import annotations

import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_reports  # sets Django up

REPEAT = 40


def measure() -> None:
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from onestop.organisations.models import Organisation, Role  # noqa: PLC0415
    from onestop.organisations.services import staff_create  # noqa: PLC0415
    from tests.backoffice_helpers import sign_in  # noqa: PLC0415

    password = secrets.token_urlsafe(16)
    organisation = Organisation.objects.get(slug="bench")
    department = organisation.departments.order_by("pk").first()
    executive = staff_create(organisation=organisation, username="bench-executive",
                             password=password, role=Role.EXECUTIVE,
                             can_see_confidential=True).user  # fmt: skip
    head = staff_create(organisation=organisation, username="bench-head",
                        password=password, role=Role.HEAD,
                        department=department).user  # fmt: skip
    operator = User.objects.create_superuser("bench-operator", "op@example.com", password)
    pages = [
        ("home", Client(), "/"),
        ("dashboard (year)", sign_in(Client(), executive), "/staff/bench/dashboard/"),
        ("dashboard (quarter, web)", sign_in(Client(), executive),
         "/staff/bench/dashboard/?period=quarter&quarter=1&channel=web"),
        ("dashboard (head)", sign_in(Client(), head), "/staff/bench/dashboard/"),
        ("platform", sign_in(Client(), operator), "/admin/platform/performance/"),
    ]  # fmt: skip
    results: dict[str, tuple[float, float]] = {}
    for label, client, url in pages:
        assert client.get(url).status_code == 200  # warm
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        results[label] = (statistics.median(times), p99)
        ratio = results[label][0] / results["home"][0]
        print(f"{label:<26} median {results[label][0]:7.1f} ms   p99 {p99:7.1f} ms   {ratio:5.1f}×")


if __name__ == "__main__":
    bench_reports.measure = measure  # the same data, these pages
    bench_reports.main()
