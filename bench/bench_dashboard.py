"""Measure the staff dashboard and the platform view against the rollups that bench/generate.py
writes (the same database as bench_reports.py), next to the home page, with bench/timing.py:

    createdb -h 127.0.0.1 -U postgres -T onestop_bench1m onestop_mine   # writes staff, sessions
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_mine DEBUG=1
    .venv/bin/python bench/bench_dashboard.py               # through gunicorn
    .venv/bin/python bench/bench_dashboard.py --mode inprocess --profile "dashboard (year)"

Pages: the executive's dashboard for each filter (fiscal year, quarter, month, 90 chosen days,
department, category, type, channel), the whole workbook as XLSX, a department head's
dashboard, and the platform view of every organisation (sorted by volume, and by on-time
share). Prints p50, p95 and p99 of each and its ratio to the home page in the same run."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import timing  # sets Django up


def pages(slug: str) -> list[timing.Page]:
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from onestop.catalog.models import RequestType  # noqa: PLC0415
    from onestop.organisations.models import Organisation, Role  # noqa: PLC0415
    from onestop.organisations.services import staff_create  # noqa: PLC0415

    organisation = Organisation.objects.get(slug=slug)
    department = organisation.departments.order_by("pk").first()
    assert department is not None
    request_type = RequestType.objects.filter(organisation=organisation).order_by("pk").first()
    assert request_type is not None
    suffix = timing.password()[:6].lower()
    executive = staff_create(organisation=organisation, username=f"bench-executive-{suffix}",
                             password=timing.password(), role=Role.EXECUTIVE,
                             can_see_confidential=True).user  # fmt: skip
    head = staff_create(organisation=organisation, username=f"bench-head-{suffix}",
                        password=timing.password(), role=Role.HEAD,
                        department=department).user  # fmt: skip
    operator = User.objects.create_superuser(
        f"bench-operator-{suffix}", "op@example.com", timing.password()
    )
    today = timezone.localdate()
    start = (today - dt.timedelta(days=89)).isoformat()
    url = f"/staff/{slug}/dashboard/"
    return [
        timing.Page(timing.HOME, "/"),
        timing.Page("dashboard (year)", url, executive),
        timing.Page("dashboard (quarter)", f"{url}?period=quarter&quarter=1", executive),
        timing.Page("dashboard (month)",
                    f"{url}?period=month&month={today.strftime('%Y-%m')}", executive),
        timing.Page("dashboard (custom 90 days)",
                    f"{url}?period=custom&start={start}&end={today.isoformat()}", executive),
        timing.Page("dashboard (department)", f"{url}?department={department.pk}", executive),
        timing.Page("dashboard (category)",
                    f"{url}?category={request_type.category_id}", executive),
        timing.Page("dashboard (type)", f"{url}?request_type={request_type.pk}", executive),
        timing.Page("dashboard (channel web)", f"{url}?channel=web", executive),
        timing.Page("dashboard XLSX (all tables)", f"{url}?xlsx=all", executive),
        timing.Page("dashboard (head)", url, head),
        timing.Page("platform (volume)", "/admin/platform/performance/", operator),
        timing.Page("platform (on time)", "/admin/platform/performance/?sort=on_time", operator),
    ]  # fmt: skip


def main() -> None:
    from onestop.reports.models import DailyCount  # noqa: PLC0415

    args = timing.options(__doc__.split("\n")[0])
    print(f"{DailyCount.objects.count()} daily rollup rows on the platform")
    timing.measure(pages(args.slug), args)


if __name__ == "__main__":
    main()
