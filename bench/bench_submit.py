"""How fast requests are filed: case_submit end to end (validation, encryption, numbering,
timeline), sequentially and from several threads at once.

    .venv/bin/python bench/bench_submit.py              # SQLite (the embedded default)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench \
        .venv/bin/python bench/bench_submit.py          # PostgreSQL
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The test settings: a throwaway database (an SQLite *file*, for real locking), test keys.
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
os.environ["ONESTOP_DATA_DIR"] = tempfile.mkdtemp(prefix="onestop-bench-")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

SEQUENTIAL = 300
THREADS, PER_THREAD = 4, 75


def main() -> None:
    old = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("createcachetable", verbosity=0)
        from tests.factories import make_case, make_organisation  # noqa: PLC0415 (after setup)

        organisation = make_organisation()
        vendor = connection.vendor
        start = time.perf_counter()
        for _ in range(SEQUENTIAL):
            make_case(organisation)
        sequential = time.perf_counter() - start

        failures: list[BaseException] = []

        def worker() -> None:
            try:
                for _ in range(PER_THREAD):
                    make_case(organisation)
            except BaseException as exc:  # counted and reported below
                failures.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(THREADS)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        parallel = time.perf_counter() - start
        if failures:
            raise SystemExit(f"{len(failures)} threads failed: {failures[0]!r}")
        print(f"{vendor}: sequential {SEQUENTIAL / sequential:.0f} requests/s "
              f"({sequential / SEQUENTIAL * 1000:.1f} ms each); "
              f"{THREADS} threads {THREADS * PER_THREAD / parallel:.0f} requests/s")  # fmt: skip
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
