"""A load run over loopback: citizens' and staff's pages and a hello-world view, served by
gunicorn with the production settings (plus `/bench/hello/`, see bench/settings.py).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench
    .venv/bin/python bench/generate.py --requests 1000000      # once
    SECRET_KEY=bench ONESTOP_DATA_KEY=... DJANGO_SETTINGS_MODULE=bench.settings \\
        .venv/bin/gunicorn config.wsgi:application -c deploy/gunicorn.conf.py --bind 127.0.0.1:8077
    .venv/bin/python bench/load.py --base http://127.0.0.1:8077 --seconds 5 --rounds 3

Each round visits every endpoint in a new random order, for `--seconds`, with `--concurrency`
keep-alive connections; the hello-world view is measured in every round, and each page's rate
is divided by hello world's rate of the same round. The table gives the median over rounds and
the spread (min-max of the ratio): a noisy machine shows as spread, not as a false result.
Any status other than the expected one counts as an error."""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@dataclass
class Endpoint:
    name: str
    path: str
    staff: bool = False
    status: int = 200


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0


def signed_in_session(user: Any) -> str:
    """The key of a new signed-in session of `user`, second factor done."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: PLC0415
    from django.contrib.sessions.backends.db import SessionStore  # noqa: PLC0415
    from django_otp import DEVICE_ID_SESSION_KEY  # noqa: PLC0415
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, defaults={"name": "bench", "confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return str(session.session_key)


def staff_cookie(slug: str, role: str = "admin") -> tuple[str, str]:
    """A signed-in session (second factor done) of the organisation's member with `role`
    (its administrator by default)."""
    import django  # noqa: PLC0415

    django.setup()
    from django.conf import settings  # noqa: PLC0415

    from onestop.organisations.models import Membership  # noqa: PLC0415

    user = Membership.objects.filter(organisation__slug=slug, role=role).first().user  # type: ignore[union-attr]
    return settings.SESSION_COOKIE_NAME, signed_in_session(user)


def staff_paths(slug: str) -> dict[str, str]:
    """A deep page's cursor, a case number: read once before the run."""
    from onestop.backoffice.selectors import InboxQuery, case_list_for_staff  # noqa: PLC0415
    from onestop.organisations.models import Membership, Organisation  # noqa: PLC0415

    organisation = Organisation.objects.get(slug=slug)
    user = Membership.objects.filter(organisation=organisation, role="admin").first().user  # type: ignore[union-attr]
    after = ""
    page = None
    for _ in range(20):
        page = case_list_for_staff(
            user=user, organisation=organisation, query=InboxQuery(after=after)
        )
        after = page.next_cursor
    assert page is not None
    return {
        "deep": urllib.parse.urlencode({"tab": "all", "after": after}),
        "case": page.cases[0].number,
    }


def endpoints(slug: str, *, staff: bool = True) -> list[Endpoint]:
    citizens = [
        Endpoint("hello world", "/bench/hello/"),
        Endpoint("home", "/"),
        Endpoint("organisation", f"/{slug}/"),
        Endpoint("OSS centre", f"/{slug}/oss/"),
        Endpoint("wizard step 1", f"/{slug}/request/"),
        Endpoint("tracking form", f"/{slug}/track/"),
    ]
    if not staff:
        return citizens
    extra = staff_paths(slug)
    return [
        *citizens,
        Endpoint("inbox default tab", f"/staff/{slug}/", staff=True),
        Endpoint("inbox tab new", f"/staff/{slug}/?tab=new", staff=True),
        Endpoint("inbox tab overdue", f"/staff/{slug}/?tab=overdue", staff=True),
        Endpoint(
            "inbox search ไฟฟ้า",
            f"/staff/{slug}/?tab=all&q=%E0%B9%84%E0%B8%9F%E0%B8%9F%E0%B9%89%E0%B8%B2",
            staff=True,
        ),
        Endpoint("inbox page 21", f"/staff/{slug}/?{extra['deep']}", staff=True),
        Endpoint("staff case page", f"/staff/{slug}/cases/{extra['case']}/", staff=True),
    ]


def hammer(base: str, endpoint: Endpoint, cookie: str, seconds: float, concurrency: int) -> Result:
    parsed = urllib.parse.urlsplit(base)
    host = parsed.hostname or "127.0.0.1"
    result = Result()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(host, parsed.port, timeout=30)
        headers = {"Accept-Encoding": "gzip", "Cookie": cookie if endpoint.staff else ""}
        mine: list[float] = []
        errors = 0
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", endpoint.path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == endpoint.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, parsed.port, timeout=30)
                ok = False
            mine.append(time.perf_counter() - t0)
            errors += not ok
        conn.close()
        with lock:
            result.latencies.extend(mine)
            result.errors += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8077")
    parser.add_argument("--slug", default="wangchao")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--only",
        default="",
        help="`citizens`, or the endpoints whose name contains one of these (comma-separated)",
    )
    options = parser.parse_args()
    # Citizens only (`--only citizens`): nothing is written to the database (no staff session).
    staff = options.only != "citizens"
    targets = endpoints(options.slug, staff=staff)
    if options.only and staff:
        wanted = options.only.split(",")
        targets = [targets[0]] + [e for e in targets[1:] if any(w in e.name for w in wanted)]
    cookie = ""
    if staff:
        name, value = staff_cookie(options.slug)
        cookie = f"{name}={value}"
    hello = targets[0]
    runs: dict[str, list[tuple[float, Result]]] = {e.name: [] for e in targets}
    rng = random.Random(0)
    for round_no in range(options.rounds):
        order = targets[1:]
        rng.shuffle(order)
        # Hello world at the start and the end of each round: its mean is the round's yardstick.
        first = hammer(options.base, hello, cookie, options.seconds / 2, options.concurrency)
        measured = [
            (e, hammer(options.base, e, cookie, options.seconds, options.concurrency))
            for e in order
        ]
        last = hammer(options.base, hello, cookie, options.seconds / 2, options.concurrency)
        hello_rps = (len(first.latencies) + len(last.latencies)) / (first.seconds + last.seconds)
        both = Result(
            first.latencies + last.latencies,
            first.errors + last.errors,
            first.seconds + last.seconds,
        )
        runs[hello.name].append((hello_rps, both))
        for endpoint, result in measured:
            runs[endpoint.name].append((len(result.latencies) / result.seconds / hello_rps, result))
        print(
            f"round {round_no + 1}/{options.rounds}: hello world {hello_rps:,.0f} req/s", flush=True
        )
    print()
    print(
        f"{'endpoint':<22} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
        "  ratio to hello (min-max)"
    )
    for endpoint in targets:
        rows = runs[endpoint.name]
        latencies = [x for _ratio, r in rows for x in r.latencies]
        rps = statistics.median(len(r.latencies) / r.seconds for _ratio, r in rows)
        errors = sum(r.errors for _ratio, r in rows)
        ratios = [ratio for ratio, _r in rows] if endpoint is not hello else [1.0]
        print(
            f"{endpoint.name:<22} {rps:7.1f} {percentile(latencies, 0.5):7.1f} "
            f"{percentile(latencies, 0.95):7.1f} {percentile(latencies, 0.99):7.1f} {errors:6d}  "
            f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})"
        )


if __name__ == "__main__":
    main()
