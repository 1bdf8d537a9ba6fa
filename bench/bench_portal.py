"""How fast is the home page's organisation search with a whole country on the platform?

Generates 8,000 organisations (Thailand has about 7,850 local governments) named after real
subdistricts, in a throwaway SQLite database, then times the search requests through Django's
test client (the full stack: URL, middleware, view, queries, template).

    .venv/bin/python bench/bench_portal.py            # 8,000 organisations, 30 runs each
    .venv/bin/python bench/bench_portal.py 20000 50   # more organisations, more runs

Nothing outside a temporary directory is touched."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    SECRET_KEY="bench-only",  # noqa: S106 (a throwaway database)
    ONESTOP_DATA_KEY="bench-only",
    EMAIL_URL="memory://",
    ONESTOP_DATA_DIR=tempfile.mkdtemp(prefix="onestop-bench-"),
    ALLOWED_HOSTS="testserver",
    STATIC_ROOT=str(ROOT / "static"),
    LOG_LEVEL="ERROR",
)
os.environ.pop("DATABASE_URL", None)  # always the throwaway SQLite file

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# No collectstatic here: plain static URLs instead of the production manifest.
settings.STORAGES["staticfiles"]["BACKEND"] = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from onestop.organisations.models import Organisation  # noqa: E402

KINDS = (
    ("sao", "องค์การบริหารส่วนตำบล"),
    ("subdistrict_municipality", "เทศบาลตำบล"),
    ("town_municipality", "เทศบาลเมือง"),
)


def generate(count: int) -> None:
    data = json.loads((ROOT / "onestop/core/data/thai_addresses.json").read_text())
    provinces = {code: name for code, name, _en in data["provinces"]}
    districts = {code: (province, name) for code, province, name, _en in data["districts"]}
    organisations = []
    for n in range(count):
        _code, district_code, name, name_en, _postcode = data["subdistricts"][
            n % len(data["subdistricts"])
        ]
        province_code, district = districts[district_code]
        kind, prefix = KINDS[n % len(KINDS)]
        organisations.append(
            Organisation(
                code=f"B{n:05d}",
                slug=f"org-{n:05d}",
                name_th=f"{prefix}{name}" + (f" {n}" if n >= len(data["subdistricts"]) else ""),
                name_en=f"{name_en} {n}",
                kind=kind,
                province=provinces[province_code],
                district=district,
                province_code=province_code,
                district_code=district_code,
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=1000)


def time_request(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm up
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    found = response.content.decode().count('class="org-link"')
    return statistics.median(timings), p95, len(queries.captured_queries), found


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    generate(count)
    print(f"{Organisation.objects.count()} organisations generated in "
          f"{time.perf_counter() - start:.1f} s (SQLite, {connection.vendor})")  # fmt: skip
    client = Client()
    print(f"{'request':<40} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'shown':>6}")
    for url in (
        "/",
        "/?q=วังเจ้า",
        "/?q=ทต.เชียงทอง",
        "/?q=บาง",
        "/?province=ตาก",
        "/?q=หนอง&province=ขอนแก่น",
        "/?q=ไม่มีองค์กรนี้",
    ):
        median, p95, queries, found = time_request(client, url, runs)
        print(f"{url:<40} {median:>10.1f} {p95:>8.1f} {queries:>8} {found:>6}")


if __name__ == "__main__":
    main()
