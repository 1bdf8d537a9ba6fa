"""Staff search and list pages with hundreds of thousands of requests in one organisation:
the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL) against a plain icontains scan, and
the newest-first list page against a deep keyset page.

    .venv/bin/python bench/bench_search.py [ROWS]       # SQLite, default 300000 rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \\
        .venv/bin/python bench/bench_search.py [ROWS]   # PostgreSQL
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
os.environ["ONESTOP_DATA_DIR"] = tempfile.mkdtemp(prefix="onestop-bench-")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Q, QuerySet  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from onestop.cases.demo import SUBJECTS  # noqa: E402
from onestop.cases.models import Case  # noqa: E402
from onestop.cases.search import case_search  # noqa: E402
from onestop.cases.selectors import case_list_for_organisation, case_page_after  # noqa: E402
from onestop.catalog.models import RequestType  # noqa: E402
from onestop.core import crypto  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
BATCH = 5_000


def timed(label: str, run: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    best = min(samples) * 1000
    print(f"  {label:<58} best {best:8.2f} ms   median {statistics.median(samples) * 1000:8.2f} ms")
    return best


def populate(organisation_id: int, rows: int) -> None:
    rng = random.Random(1)
    types = list(RequestType.objects.filter(organisation_id=organisation_id))
    texts = [pair for pairs in SUBJECTS.values() for pair in pairs]
    token = crypto.encrypt("1101700203450")
    now = timezone.now()
    for start in range(0, rows, BATCH):
        batch = []
        for i in range(start, min(start + BATCH, rows)):
            subject, details = rng.choice(texts)
            batch.append(
                Case(
                    organisation_id=organisation_id,
                    request_type=rng.choice(types),
                    number=f"69{i:010d}0",
                    subject=subject,
                    details=details,
                    requester_title="นาย",
                    requester_first_name=f"ผู้ร้อง{i}",
                    requester_last_name="ทดสอบ",
                    national_id_encrypted=token,
                    national_id_hash="x" * 64,
                    national_id_masked="1-xxxx-xxxxx-xx-0",
                    phone="+66812345678",
                    submitted_at=now - dt.timedelta(minutes=i),
                )
            )
        Case.objects.bulk_create(batch)


def main() -> None:
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from tests.factories import make_case, make_organisation  # noqa: PLC0415 (after setup)

        organisation = make_organisation()
        started = time.perf_counter()
        populate(organisation.pk, ROWS)
        needle = make_case(organisation, subject="สุนัขจรจัดกัดเด็กหน้าวัด")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum would after a bulk load
                cursor.execute("ANALYZE")
        loaded = time.perf_counter() - started
        print(f"{connection.vendor}: {ROWS:,} requests loaded in {loaded:.0f} s")
        cases = case_list_for_organisation(organisation=organisation)

        def page(qs: QuerySet[Case]) -> list[int]:
            return list(qs.values_list("pk", flat=True)[:50])

        def scan(term: str) -> QuerySet[Case]:
            return cases.filter(Q(subject__icontains=term) | Q(details__icontains=term))

        rare = "สุนัขจรจัด"
        if os.environ.get("EXPLAIN"):
            print(case_search(cases, rare)[:50].explain(analyze=True))
        assert page(case_search(cases, rare)) == [needle.pk]
        label = f"search a rare word, trigram index ({rare})"
        indexed = timed(label, lambda: page(case_search(cases, rare)))
        scanned = timed("same word, icontains scan", lambda: page(scan(rare)))
        print(f"  -> index is {scanned / indexed:.0f}x faster")
        timed("search a common word, first page (ไฟฟ้า)", lambda: page(case_search(cases, "ไฟฟ้า")))
        timed("list page 1, newest first", lambda: page(cases))
        deep = cases.order_by("-submitted_at", "-pk")[ROWS // 2 : ROWS // 2 + 1].get()
        after = case_page_after(cases, submitted_at=deep.submitted_at, pk=deep.pk)
        timed(
            "keyset page at the middle (submitted_at, pk) < cursor",
            lambda: page(after),
        )
        timed("OFFSET page at the middle", lambda: page(cases[ROWS // 2 : ROWS // 2 + 50]))
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
