"""Measure the ITA reports and the open data against many requests.

    .venv/bin/python bench/bench_publications.py 1000000 30000     # SQLite (temporary test DB)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \
        .venv/bin/python bench/bench_publications.py 1000000 30000  # PostgreSQL

The first number: requests whose rollups are written (three years, as bench_reports.py does);
the ITA reports read the day rows of a quarter or a year of them. The second: requests filed
last month, inserted as rows (bulk_create), that the month's open data streams. Prints the
time to compute a report's figures, to make its PDF and XLSX, to serve a stored file, and to
stream the month's CSV and GeoJSON, with the queries and the peak Python memory of the
stream (which must not grow with the month)."""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from onestop.organisations.models import Organisation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEAT = 10


def main(total: int, month_rows: int) -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(total, month_rows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _rollups(organisation_id: int, types: list[int], departments: list[int], total: int) -> None:
    from onestop.cases.models import Channel  # noqa: PLC0415
    from onestop.cases.workflow import Status  # noqa: PLC0415
    from onestop.reports.models import HISTOGRAM_LAST, Measure  # noqa: PLC0415
    from onestop.reports.rollups import Tally, _write  # noqa: PLC0415

    rng = random.Random(1)
    today = timezone.localdate()
    tally = Tally()
    for _ in range(total):
        key = (organisation_id, rng.choice(types), rng.choice(departments),
               rng.choice(list(Channel.values)))  # fmt: skip
        filed = today - dt.timedelta(days=rng.randrange(365 * 3))
        tally.daily[(*key, filed)]["received"] += 1
        days = min(int(rng.expovariate(1 / 8)), HISTOGRAM_LAST)
        done = filed + dt.timedelta(days=days * 7 // 5)
        if done <= today:
            tally.daily[(*key, done)]["completed"] += 1
            tally.distribution[(*key, done, Measure.COMPLETION.value, days)] += 1
        else:
            due = filed + dt.timedelta(days=21)
            tally.open[(*key, Status.IN_PROGRESS.value, filed, due, due)] += 1
    _write(tally)


def _requests(organisation: Organisation, month: dt.date, count: int) -> None:
    from onestop.cases.models import Case  # noqa: PLC0415
    from onestop.catalog.models import RequestType  # noqa: PLC0415

    types = list(RequestType.objects.filter(organisation=organisation, is_confidential=False))
    rng = random.Random(2)
    start = dt.datetime.combine(month, dt.time(), tzinfo=dt.UTC)
    batch = []
    for index in range(count):
        batch.append(
            Case(
                organisation=organisation, request_type=rng.choice(types),
                number=f"{index:011d}", subject="ไฟดับ", details="รายละเอียด",
                requester_title="นาย", requester_first_name="ทดสอบ", requester_last_name="ระบบ",
                national_id_encrypted="x", national_id_hash=f"{index:064d}",
                national_id_masked="x-xxxx-xxxxx-xx-x", phone="+66800000000",
                house_no="1/1", subdistrict_code="630901",
                latitude=Decimal("16.5") + Decimal(rng.randrange(100000)) / 1000000,
                longitude=Decimal("99.1") + Decimal(rng.randrange(100000)) / 1000000,
                submitted_at=start + dt.timedelta(seconds=rng.randrange(27 * 86400)),
                status="completed" if rng.random() < 0.7 else "in_progress",
                completed_at=start + dt.timedelta(days=28),
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)


def _stream(response: Any) -> int:
    return sum(len(chunk) for chunk in response.streaming_content)


def _time(call: object, repeat: int = REPEAT) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[-1]


def run(total: int, month_rows: int) -> None:
    from onestop.reports.ita import ItaPeriod, ita_report  # noqa: PLC0415
    from onestop.reports.ita_pdf import ita_pdf, ita_xlsx  # noqa: PLC0415
    from onestop.reports.selectors import fiscal_year  # noqa: PLC0415
    from tests.factories import make_organisation  # noqa: PLC0415

    organisation = make_organisation(slug="bench")
    types = list(organisation.request_types.values_list("pk", flat=True))
    departments = list(organisation.departments.values_list("pk", flat=True))
    started = time.perf_counter()
    _rollups(organisation.pk, types, departments, total)
    today = timezone.localdate()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    _requests(organisation, month, month_rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{total} requests in rollups, {month_rows} rows in {month:%Y-%m}: "
          f"{time.perf_counter() - started:.1f} s ({connection.vendor})")  # fmt: skip

    year = fiscal_year(today) - 1
    for label, period in (("quarter", ItaPeriod(year, 4)), ("fiscal year", ItaPeriod(year, 0))):
        with CaptureQueriesContext(connection) as queries:
            report = ita_report(organisation=organisation, kind="complaints", period=period)
        median, worst = _time(
            lambda p=period: ita_report(organisation=organisation, kind="complaints", period=p)
        )
        print(f"ITA figures, {label:<11}: median {median:7.1f} ms  max {worst:7.1f} ms  "
              f"({len(queries)} queries, {report.total.received} received)")  # fmt: skip
        median, worst = _time(lambda r=report: ita_pdf(r), repeat=3)
        print(f"  PDF  {median:7.1f} ms;", end="")
        median, worst = _time(lambda r=report: ita_xlsx(r), repeat=3)
        print(f"  XLSX {median:7.1f} ms")

    client = Client()
    url = f"/bench/performance/ita/complaints/{year}.pdf"
    client.get(url)  # made and stored
    median, worst = _time(lambda: client.get(url))
    print(f"stored PDF served: median {median:.1f} ms  max {worst:.1f} ms")
    home = _time(lambda: client.get("/"))[0]
    print(f"home page: median {home:.1f} ms")

    for fmt in ("csv", "geojson"):
        _stream(client.get(f"/bench/performance/open-data/{today:%Y-%m}.{fmt}"))
        path = f"/bench/performance/open-data/{month:%Y-%m}.{fmt}"
        tracemalloc.start()
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            size = _stream(client.get(path))
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"open data {fmt:<7}: {size / 1e6:.1f} MB in {seconds:.2f} s "
              f"({month_rows / seconds:,.0f} rows/s), {len(queries)} queries, "
              f"peak Python memory {peak / 1e6:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 10_000,
    )
