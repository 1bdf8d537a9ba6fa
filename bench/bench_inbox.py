"""Measure the staff inbox with many requests in one organisation (keyset pages, counts, search).

    .venv/bin/python bench/bench_inbox.py 200000       # SQLite (a temporary test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \
        .venv/bin/python bench/bench_inbox.py 200000   # PostgreSQL

Rows are inserted with bulk_create (not through case_submit: only the inbox is measured)."""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stdnum import damm

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def _number(i: int) -> str:
    """A valid request number (with its Damm check digit), unique per row."""
    body = f"69{i:010d}"
    return body + str(damm.calc_check_digit(body))


def main(total: int) -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(total)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(total: int) -> None:
    from onestop.cases.models import Case  # noqa: PLC0415
    from onestop.cases.workflow import Status  # noqa: PLC0415
    from onestop.organisations.models import Role  # noqa: PLC0415
    from onestop.organisations.services import staff_create  # noqa: PLC0415
    from tests.factories import make_case, make_organisation  # noqa: PLC0415

    organisation = make_organisation(slug="bench")
    counter = staff_create(
        organisation=organisation, username="bench-counter",
        password="bench-password-2569",  # noqa: S106 (a throwaway database)
        role=Role.COUNTER,
    ).user  # fmt: skip
    template = make_case(organisation)
    types = list(organisation.request_types.all())
    departments = list(organisation.departments.all())
    rng = random.Random(1)
    words = ["ไฟฟ้าดับ", "ถนนชำรุด", "ขอถังขยะ", "น้ำท่วมขัง", "ต้นไม้ล้ม", "ท่อระบายน้ำอุดตัน"]
    statuses = list(Status)
    now = timezone.now()
    started = time.perf_counter()
    batch: list[Case] = []
    for i in range(total):
        submitted = now - dt.timedelta(minutes=rng.randrange(60 * 24 * 365 * 3))
        case = Case(
            **{f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields
               if f.attname not in {"id", "number", "submission_key"}},
        )  # fmt: skip
        case.number = _number(i)
        case.subject = f"{rng.choice(words)} หมู่ {rng.randrange(1, 12)}"
        case.request_type = rng.choice(types)
        case.department = rng.choice(departments)
        case.status = rng.choice(statuses)
        case.submitted_at = submitted
        case.due_date = submitted.date() + dt.timedelta(days=rng.randrange(3, 30))
        case.priority = rng.randrange(1, 5)
        batch.append(case)
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{total} requests inserted in {time.perf_counter() - started:.1f} s "
          f"({connection.vendor})")  # fmt: skip
    measure(counter, organisation, total)


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
    timed("search by a whole number", lambda: page(tab="all", q=_number(total // 2)))
    timed("search by 5 digits of a number", lambda: page(tab="all", q=_number(total // 2)[5:10]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
