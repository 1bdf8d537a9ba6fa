"""Measure the staff inbox of the demo organisation on a database filled by bench/generate.py
(keyset pages, capped counts, search).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/generate.py --requests 1000000
    .venv/bin/python bench/bench_inbox.py

With `--http`, the pages themselves over loopback, as an officer opens them (every tab, a
filtered view, a deep page, common, rare and absent Thai words, the case page; as the
administrator, a division's officer and the counter), served by gunicorn as in bench/load.py's
docstring (`DJANGO_SETTINGS_MODULE=bench.settings`), each with its p50/p95/p99 and its rate as
a ratio to the hello-world view of the same round:

    .venv/bin/python bench/bench_inbox.py --http http://127.0.0.1:8077 --seconds 4 --rounds 3

It writes what any visit writes (sessions, the audit trail's list views): run it on your own
database, not on a shared one. `BENCH_ONLY=search,tab` keeps the pages whose names contain
one of the words.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--http", default="", help="base URL of a running gunicorn")
    parser.add_argument("--slug", default="wangchao")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=1)
    options = parser.parse_args()
    if options.http:
        http_main(options.http, options.slug, options.seconds, options.rounds, options.concurrency)
    else:
        selector_main()


def selector_main() -> None:
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


# --- Over HTTP: every tab, filters, a deep page, searches and the case page, per role -------


def http_endpoints(slug: str) -> list[tuple[str, str, str]]:
    """(name, path, role): what an officer of each kind opens, read once before the run."""
    from load import staff_paths  # noqa: PLC0415

    from onestop.organisations.models import Organisation  # noqa: PLC0415

    organisation = Organisation.objects.get(slug=slug)
    paths = staff_paths(slug)  # a deep page's cursor and a case number
    biggest = organisation.cases.values("department").annotate(n=Count("pk")).order_by("-n").first()
    kind = organisation.request_types.filter(key="street-light").first()
    base = f"/staff/{slug}/"
    search = "?tab=all&" + "q="
    endpoints = [
        ("inbox default (all)", base, "admin"),
        *[
            (f"tab {tab}", f"{base}?tab={tab}", "admin")
            for tab in ("new", "mine", "waiting", "overdue", "closed")
        ],
        (
            "filter department",
            f"{base}?tab=all&department={biggest['department'] if biggest else ''}",
            "admin",
        ),
        ("filter type", f"{base}?tab=all&request_type={kind.pk if kind else ''}", "admin"),
        (
            "filter type + overdue",
            f"{base}?tab=overdue&request_type={kind.pk if kind else ''}",
            "admin",
        ),
        (
            "deep page (21)",
            f"{base}?{paths['deep']}",
            "admin",
        ),
        ("search ไฟฟ้า", base + search + urllib.parse.quote("ไฟฟ้า"), "admin"),
        ("search หมู่ (every row)", base + search + urllib.parse.quote("หมู่"), "admin"),
        ("search กะพริบ (rare)", base + search + urllib.parse.quote("กะพริบ"), "admin"),
        ("search absent word", base + search + urllib.parse.quote("ช้างเผือก"), "admin"),
        ("case page", f"{base}cases/{paths['case']}/", "admin"),
        ("officer default (dept)", base, "officer"),
        (
            "officer search ไฟฟ้า",
            base + "?tab=department&q=" + urllib.parse.quote("ไฟฟ้า"),
            "officer",
        ),
        ("counter default (new)", base, "counter"),
    ]
    only = os.environ.get("BENCH_ONLY")
    return [e for e in endpoints if not only or any(w in e[0] for w in only.split(","))]


def http_main(base_url: str, slug: str, seconds: float, rounds: int, concurrency: int) -> None:
    from load import Endpoint, Result, hammer, percentile, staff_cookie  # noqa: PLC0415

    cookies: dict[str, str] = {}
    targets = [Endpoint("hello world", "/bench/hello/")]
    for name, path, role in http_endpoints(slug):
        if role not in cookies:
            cookies[role] = "=".join(staff_cookie(slug, role))
        targets.append(Endpoint(name, path, staff=True))
    roles = {name: role for name, _path, role in http_endpoints(slug)}
    runs: dict[str, list[tuple[float, Result]]] = {e.name: [] for e in targets}
    rng = random.Random(0)
    for round_no in range(rounds):
        order = targets[1:]
        rng.shuffle(order)
        first = hammer(base_url, targets[0], "", seconds / 2, concurrency)
        measured = [
            (e, hammer(base_url, e, cookies[roles[e.name]], seconds, concurrency)) for e in order
        ]
        last = hammer(base_url, targets[0], "", seconds / 2, concurrency)
        hello_rps = (len(first.latencies) + len(last.latencies)) / (first.seconds + last.seconds)
        runs["hello world"].append(
            (1.0, Result(first.latencies + last.latencies, first.errors + last.errors, 0))
        )
        for endpoint, result in measured:
            runs[endpoint.name].append((len(result.latencies) / result.seconds / hello_rps, result))
        print(f"round {round_no + 1}/{rounds}: hello world {hello_rps:,.0f} req/s", flush=True)
    print(
        f"\n{'page':<26} {'n':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'err':>4}"
        "  ratio to hello (min-max)"
    )
    for endpoint in targets:
        rows = runs[endpoint.name]
        latencies = [x for _ratio, r in rows for x in r.latencies]
        ratios = [ratio for ratio, _r in rows]
        print(
            f"{endpoint.name:<26} {len(latencies):5d} {percentile(latencies, 0.5):7.1f} "
            f"{percentile(latencies, 0.95):7.1f} {percentile(latencies, 0.99):7.1f} "
            f"{sum(r.errors for _x, r in rows):4d}  {statistics.median(ratios):.4f} "
            f"({min(ratios):.4f}-{max(ratios):.4f})"
        )


if __name__ == "__main__":
    main()
