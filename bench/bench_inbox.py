"""Measure the staff inbox of the demo organisation on a database filled by bench/generate.py
(keyset pages, capped counts, search).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/generate.py --requests 1000000
    .venv/bin/python bench/bench_inbox.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection  # noqa: E402


def main() -> None:
    from onestop.organisations.models import Membership, Organisation  # noqa: PLC0415

    organisation = Organisation.objects.get(slug="wangchao")
    counter = Membership.objects.filter(organisation=organisation, role="counter").first()
    if counter is None:
        raise SystemExit("run `manage.py load_demo` and bench/generate.py first")
    total = organisation.cases.count()
    print(f"{total} requests in {organisation.slug} ({connection.vendor})")
    measure(counter.user, organisation, total)


def measure(counter: Any, organisation: Any, total: int) -> None:
    from onestop.backoffice.selectors import InboxQuery, case_list_for_staff  # noqa: PLC0415

    def timed(label: str, call: Callable[[], object], repeat: int = 5) -> None:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
        print(f"{label:<48} median {statistics.median(times):7.1f} ms")

    def page(**kwargs: object) -> object:
        return case_list_for_staff(
            user=counter,
            organisation=organisation,
            query=InboxQuery(**kwargs),  # type: ignore[arg-type]
        )

    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    with CaptureQueriesContext(connection) as queries:
        page(tab="all")
    for query in queries.captured_queries:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:90]}")
        if os.environ.get("BENCH_EXPLAIN") and connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                for row in cursor.fetchall():
                    print("      ", row[-1])
    timed("tab new (counts + first page)", lambda: page(tab="new"))
    timed("tab all, newest first", lambda: page(tab="all"))
    deep = page(tab="all")
    cursor = deep.next_cursor  # type: ignore[attr-defined]
    for _ in range(20):
        cursor = page(tab="all", after=cursor).next_cursor  # type: ignore[attr-defined]
    timed("tab all, page 21 (keyset cursor)", lambda: page(tab="all", after=cursor))
    timed("tab all, sorted by due date", lambda: page(tab="all", sort="due"))
    timed("tab overdue", lambda: page(tab="overdue"))
    timed("search 'ท่อระบาย' (substring)", lambda: page(tab="all", q="ท่อระบาย"))
    number = str(organisation.cases.values_list("number", flat=True)[total // 2])
    timed("search by a whole number", lambda: page(tab="all", q=number))
    timed("search by 5 digits of a number", lambda: page(tab="all", q=number[5:10]))


if __name__ == "__main__":
    main()
