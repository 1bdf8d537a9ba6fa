"""Measure the public pages of the reports app against the rollups that bench/generate.py
writes (they read only rollups), next to the home page, with bench/timing.py:

    createdb -h 127.0.0.1 -U postgres -T onestop_bench1m onestop_mine   # writes sessions
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_mine DEBUG=1
    .venv/bin/python bench/bench_reports.py                 # through gunicorn
    .venv/bin/python bench/bench_reports.py --mode inprocess --profile "performance (year)"

Pages: the public performance page for each period choice (this fiscal year, one month, twelve
months), the organisation's and the platform's figures as JSON, and the ITA reports (PDF, XLSX)
as the monthly task keeps them ready (the first visit makes and stores one; its time is
printed). Prints p50, p95 and p99 of each page and its ratio to the home page in the same run."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import timing  # sets Django up


def pages(slug: str) -> list[timing.Page]:
    from django.utils import timezone  # noqa: PLC0415

    from onestop.organisations.models import Organisation  # noqa: PLC0415
    from onestop.reports.ita import periods_offered  # noqa: PLC0415
    from onestop.reports.publications import ita_file_publish  # noqa: PLC0415

    today = timezone.localdate()
    month = today.strftime("%Y-%m")
    year_ago = today.replace(year=today.year - 1, day=1)
    months = f"start={year_ago.strftime('%Y-%m')}&end={month}"
    organisation = Organisation.objects.get(slug=slug)
    period = periods_offered(today)[4]  # this fiscal year so far
    for fmt in ("pdf", "xlsx"):  # made on demand once; then served as the monthly task keeps it
        t0 = time.perf_counter()
        ita_file_publish(organisation=organisation, kind="complaints", period=period, fmt=fmt,
                         today=today)  # fmt: skip
        print(f"ITA {fmt} {period.key} made on demand in {time.perf_counter() - t0:.2f} s")
    ita = f"/{slug}/performance/ita/complaints/{period.year}"
    ita += f"/q{period.quarter}" if period.quarter else ""
    return [
        timing.Page(timing.HOME, "/"),
        timing.Page("performance (year)", f"/{slug}/performance/"),
        timing.Page("performance (month)", f"/{slug}/performance/?start={month}&end={month}"),
        timing.Page("performance (12 months)", f"/{slug}/performance/?{months}"),
        timing.Page("figures.json", f"/{slug}/performance/figures.json"),
        timing.Page("platform figures.json", "/open-data/figures.json"),
        timing.Page("ITA PDF (stored)", f"{ita}.pdf"),
        timing.Page("ITA XLSX (stored)", f"{ita}.xlsx"),
    ]


def main() -> None:
    from onestop.reports.models import DailyCount  # noqa: PLC0415

    args = timing.options(__doc__.split("\n")[0])
    print(f"{DailyCount.objects.count()} daily rollup rows on the platform")
    timing.measure(pages(args.slug), args)


if __name__ == "__main__":
    main()
