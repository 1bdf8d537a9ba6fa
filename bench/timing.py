"""The timing loop of bench_reports.py and bench_dashboard.py: pages measured one request at a
time, interleaved (every round visits every page once, in a new random order, so that a burst
of load on the shared machine hits all pages alike), with p50, p95 and p99 and each page's
ratio to the home page measured in the same run.

Two ways to serve the pages:

- `gunicorn` (the default): the production settings (DEBUG off, bench/settings.py) served by
  gunicorn on a free loopback port, two workers, over keep-alive HTTP: what a user waits for,
  middleware, sessions and all.
- `inprocess`: Django's test client in this process (no HTTP, no gunicorn); quicker to start,
  and `--profile LABEL` writes a pyinstrument profile of that page (pyinstrument is not a
  dependency: `uv pip install --python .venv/bin/python pyinstrument` first).

Staff pages are visited with a session made for the user (second factor done), as load.py does."""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

HOME = "home"


@dataclass
class Page:
    label: str
    path: str
    user: Any = None  # a User to sign in as, None for an anonymous visitor
    status: int = 200


@dataclass
class Timings:
    page: Page
    ms: list[float] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def options(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--slug", default="wangchao", help="the organisation measured")
    parser.add_argument("--mode", choices=["gunicorn", "inprocess"], default="gunicorn")
    parser.add_argument("--rounds", type=int, default=60, help="visits of each page")
    parser.add_argument("--only", nargs="*", default=[], help="labels measured (and home)")
    parser.add_argument("--profile", default="", help="inprocess: profile this page's label")
    return parser.parse_args()


def password() -> str:
    return secrets.token_urlsafe(16)


def session_cookie(user: Any) -> str:
    """`name=value` of a new signed-in session of `user`, second factor done."""
    from django.conf import settings  # noqa: PLC0415
    from load import signed_in_session  # noqa: PLC0415

    return f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user)}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Gunicorn:
    """gunicorn serving bench.settings on a free port, stopped on exit."""

    def __init__(self) -> None:
        from django.conf import settings  # noqa: PLC0415

        self.port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here must verify there
            "ONESTOP_DATA_KEY": ",".join(settings.ONESTOP_DATA_KEYS),
            "ONESTOP_HTTPS": "0",
            "ONESTOP_ALLOW_CONSOLE_EMAIL": "1",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "1",
            "LOG_LEVEL": "WARNING",
        }
        # The production settings serve hashed static files from STATIC_ROOT's manifest.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application",
             "-c", str(ROOT / "deploy/gunicorn.conf.py"), "--bind", f"127.0.0.1:{self.port}",
             "--access-logfile", "/dev/null"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        for _attempt in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)

    def get(self, path: str, cookie: str) -> tuple[int, bytes]:
        headers = {"Accept-Encoding": "gzip", "Cookie": cookie}
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # a worker restarted (max_requests): reconnect once
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
        return response.status, response.read()

    def stop(self) -> None:
        self.connection.close()
        self.process.terminate()
        self.process.wait(timeout=120)


def _inprocess_getter() -> Callable[[str, str], tuple[int, bytes]]:
    from django.test import Client  # noqa: PLC0415

    # No setup_test_environment(): it instruments every template render (a signal and a copy
    # of the context), which would be measured too. "localhost" is an allowed host.
    client = Client(SERVER_NAME="localhost")

    def get(path: str, cookie: str) -> tuple[int, bytes]:
        response = client.get(path, headers={"cookie": cookie} if cookie else {})
        content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        return response.status_code, content

    return get


def measure(pages: list[Page], args: argparse.Namespace) -> list[Timings]:
    """Visit every page `args.rounds` times, interleaved, and print the table."""
    from django.db import connection  # noqa: PLC0415

    if args.only:
        pages = [p for p in pages if p.label == HOME or p.label in args.only]
    cookies = {id(p): session_cookie(p.user) if p.user is not None else "" for p in pages}
    server = _Gunicorn() if args.mode == "gunicorn" else None
    get = server.get if server else _inprocess_getter()
    try:
        if args.profile:
            _profile(next(p for p in pages if p.label == args.profile), cookies, get)
        results = {id(p): Timings(p) for p in pages}
        for page in pages:  # warm: each worker's first visit pays for imports and caches
            for _warm in range(2):  # one per worker
                status, _body = get(page.path, cookies[id(page)])
                if status != page.status:
                    raise SystemExit(f"{page.label}: {page.path} answered {status}")
        rng = random.Random(0)
        order = list(pages)
        for _round in range(args.rounds):
            rng.shuffle(order)
            for page in order:
                t0 = time.perf_counter()
                status, _body = get(page.path, cookies[id(page)])
                results[id(page)].ms.append((time.perf_counter() - t0) * 1000)
                assert status == page.status, (page.label, status)
    finally:
        if server:
            server.stop()
    timings = [results[id(p)] for p in pages]
    home = next(t for t in timings if t.page.label == HOME)
    load = os.getloadavg()[0]
    print(f"{args.mode}, {args.rounds} rounds, {connection.vendor}, load average {load:.2f}")
    print(f"{'page':<34} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  p50/home p99/home")
    for t in timings:
        p50, p95, p99 = (t.percentile(p) for p in (0.5, 0.95, 0.99))
        print(
            f"{t.page.label:<34} {p50:7.1f} {p95:7.1f} {p99:7.1f}  "
            f"{p50 / home.percentile(0.5):8.2f} {p99 / home.percentile(0.99):8.2f}"
        )
    slowest = max(timings, key=lambda t: t.percentile(0.99))
    print(f"slowest p99: {slowest.page.label}, {slowest.percentile(0.99):.1f} ms")
    return timings


def _profile(
    page: Page, cookies: dict[int, str], get: Callable[[str, str], tuple[int, bytes]]
) -> None:
    from pyinstrument import Profiler  # noqa: PLC0415

    get(page.path, cookies[id(page)])
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _visit in range(10):
        get(page.path, cookies[id(page)])
    profiler.stop()
    name = "".join(ch if ch.isalnum() else "-" for ch in page.label)
    out = Path(tempfile.gettempdir()) / f"profile-{name}.txt"
    every_frame = os.environ.get("PROFILE_ALL") == "1"  # Django's own frames too
    out.write_text(profiler.output_text(unicode=True, show_all=every_frame))
    print(f"profile of 10 visits of {page.label}: {out}")
