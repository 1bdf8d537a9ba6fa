"""Slow clients against the documented production setup (README, "Production"): gunicorn with
deploy/gunicorn.conf.py behind Caddy with deploy/Caddyfile (its host name, log and error-page
paths replaced by the test's). Eight connections trickle a request head, one header line a
second, and never finish it; or send a whole head and then trickle a form body, 100 bytes a
second, and never finish it either. Meanwhile ordinary visitors ask for the home page and
/health/live.

Through Caddy every ordinary request is answered quickly: Caddy reads a request's whole head,
and (`buffer_requests`) its whole body, before it talks to gunicorn, so the trickling
connections never reach gunicorn's threads. The controls: against gunicorn alone the same
attacks starve its threads and ordinary requests time out; and so do trickled bodies through
the same Caddyfile without its two buffering lines, so the body test cannot pass merely
because the attack is harmless. gunicorn runs 1 worker x 2
threads here (WEB_CONCURRENCY, GUNICORN_THREADS) so that eight connections are enough; in
production there are more threads and an attacker needs more connections, not a new trick."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SLOW_CONNECTIONS = 8
ORDINARY_TIMEOUT = 5.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Site:
    gunicorn: str
    proxy: str
    proxy_streaming_bodies: str


BUFFERING = ("\t\tbuffer_requests\n", "\t\tmax_buffer_size 64MB\n")


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, f"{process.args!r} exited with {process.returncode}"
        try:
            with urllib.request.urlopen(f"{url}/health/live", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _caddyfile(proxy_port: int, gunicorn_port: int, tmp: Path, *, buffering: bool = True) -> str:
    """deploy/Caddyfile as shipped, with the machine-specific names replaced (each must exist,
    so that a change to the shipped file is noticed here) and Caddy's admin API off; without
    `buffering`, the two lines that make Caddy read whole request bodies are left out."""
    text = (DEPLOY / "Caddyfile").read_text()
    for shipped, here in (
        ("oss.example.go.th {", f"http://127.0.0.1:{proxy_port} {{"),
        ("reverse_proxy 127.0.0.1:8000", f"reverse_proxy 127.0.0.1:{gunicorn_port}"),
        ("/srv/onestop/deploy/errors", str(DEPLOY / "errors")),
        ("/var/log/caddy/onestop.log", str(tmp / f"caddy-{proxy_port}.log")),
        *((line, "") for line in BUFFERING if not buffering),
    ):
        assert text.count(shipped) == 1, f"deploy/Caddyfile no longer has {shipped!r}"
        text = text.replace(shipped, here)
    return "{\n\tadmin off\n}\n\n" + text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    caddy = require_tool("caddy")
    tmp = tmp_path_factory.mktemp("slow-clients")
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1",
        "SECRET_KEY": "slow-clients", "ONESTOP_DATA_KEY": "slow-clients-data-key",
        "EMAIL_URL": "memory://", "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "ONESTOP_DATA_DIR": str(tmp / "data"), "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "xdg-data"), "XDG_CONFIG_HOME": str(tmp / "xdg-config"),
    }  # fmt: skip
    for command in (["migrate", "--noinput"], ["createcachetable"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT, env=env, check=True, timeout=300, capture_output=True,
        )  # fmt: skip
    gunicorn_port, proxy_port, streaming_port = free_port(), free_port(), free_port()
    (tmp / "Caddyfile").write_text(_caddyfile(proxy_port, gunicorn_port, tmp))
    (tmp / "Caddyfile.streaming").write_text(
        _caddyfile(streaming_port, gunicorn_port, tmp, buffering=False)
    )
    gunicorn_env = {
        **env, "ONESTOP_BIND": f"127.0.0.1:{gunicorn_port}",
        "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2",
    }  # fmt: skip
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
         "config.wsgi:application"],
        cwd=ROOT, env=gunicorn_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    processes = [gunicorn]
    try:
        _wait_until_up(f"http://127.0.0.1:{gunicorn_port}", gunicorn)
        for name, port in (("Caddyfile", proxy_port), ("Caddyfile.streaming", streaming_port)):
            proxy = subprocess.Popen(
                [caddy, "run", "--config", str(tmp / name), "--adapter", "caddyfile"],
                cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            processes.append(proxy)
            _wait_until_up(f"http://127.0.0.1:{port}", proxy)
        # The first home page of a fresh worker imports and compiles what the rest reuse: not
        # a cost that any of the tests below is about.
        with urllib.request.urlopen(f"http://127.0.0.1:{gunicorn_port}/", timeout=60) as first:
            first.read()
        yield Site(gunicorn=f"http://127.0.0.1:{gunicorn_port}",
                   proxy=f"http://127.0.0.1:{proxy_port}",
                   proxy_streaming_bodies=f"http://127.0.0.1:{streaming_port}")  # fmt: skip
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=40)


class SlowClients:
    """Connections that send a request head one line a second and never end it."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.sockets = []
        for _ in range(SLOW_CONNECTIONS):
            conn = socket.create_connection((host, int(port)), timeout=5)
            conn.sendall(self.opening(f"{host}:{port}"))
            self.sockets.append(conn)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def opening(self, host: str) -> bytes:
        return f"GET / HTTP/1.1\r\nHost: {host}\r\n".encode()

    def next_piece(self, number: int) -> bytes:
        return f"X-Slow-{number}: {'a' * 20}\r\n".encode()

    def _trickle(self) -> None:
        number = 0
        while not self.stop.wait(1.0):
            number += 1
            for conn in self.sockets:
                with contextlib.suppress(OSError):  # the server gave up on it: its right
                    conn.sendall(self.next_piece(number))

    def __enter__(self) -> SlowClients:
        self.thread.start()
        time.sleep(1.5)  # every connection has sent a line or two: the server is holding them
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        for conn in self.sockets:
            conn.close()


class SlowUploads(SlowClients):
    """Connections that send a whole request head announcing a 200 kB form (well under the
    1 MB an anonymous visitor may send), then 100 bytes of it a second, and never end it. The
    form goes to the home page with a well-formed CSRF cookie, so that Django's CSRF check reads
    the body (the request is refused only after that, for want of a matching token)."""

    def opening(self, host: str) -> bytes:
        return (
            f"POST / HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 200000\r\n"
            f"Cookie: csrftoken={'k' * 32}\r\n\r\nnote="
        ).encode()

    def next_piece(self, number: int) -> bytes:
        return b"a" * 100


def _ordinary_visits(url: str, count: int) -> list[tuple[str, float | None]]:
    """`count` visits (the home page and /health/live in turn), four at a time: each one's path
    and seconds taken, or None when it failed or took longer than ORDINARY_TIMEOUT."""

    def visit(index: int) -> tuple[str, float | None]:
        path = "/" if index % 2 else "/health/live"
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"{url}{path}", timeout=ORDINARY_TIMEOUT) as response:  # noqa: S310
                response.read()
                ok = response.status == 200
        except (OSError, urllib.error.URLError):
            ok = False
        return path, (time.monotonic() - started) if ok else None

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(visit, range(count)))


def test_through_caddy_slow_clients_do_not_delay_ordinary_visitors(site: Site) -> None:
    with SlowClients(site.proxy):
        results = _ordinary_visits(site.proxy, 40)
    failed = [path for path, seconds in results if seconds is None]
    assert failed == [], f"{len(failed)} of 40 ordinary requests failed or timed out"
    slowest = max(seconds for _, seconds in results if seconds is not None)
    assert slowest < 3, f"the slowest ordinary request took {slowest:.1f} s"


def test_against_gunicorn_alone_the_same_attack_starves_ordinary_visitors(site: Site) -> None:
    """The control: without the proxy in front, the same eight connections hold gunicorn's
    threads and ordinary requests time out."""
    with SlowClients(site.gunicorn):
        results = _ordinary_visits(site.gunicorn, 8)
    failed = [path for path, seconds in results if seconds is None]
    assert len(failed) >= 6, f"only {len(failed)} of 8 ordinary requests timed out"


def test_through_caddy_slow_uploads_do_not_delay_ordinary_visitors(site: Site) -> None:
    with SlowUploads(site.proxy):
        results = _ordinary_visits(site.proxy, 40)
    failed = [path for path, seconds in results if seconds is None]
    assert failed == [], f"{len(failed)} of 40 ordinary requests failed or timed out"
    slowest = max(seconds for _, seconds in results if seconds is not None)
    assert slowest < 3, f"the slowest ordinary request took {slowest:.1f} s"


def test_caddy_without_its_buffering_lines_passes_slow_uploads_on_and_starves_gunicorn(
    site: Site,
) -> None:
    """The control for the test above: the same Caddyfile without `buffer_requests` streams
    each body to gunicorn as it comes, and the trickling uploads hold gunicorn's threads."""
    with SlowUploads(site.proxy_streaming_bodies):
        results = _ordinary_visits(site.proxy_streaming_bodies, 8)
    failed = [path for path, seconds in results if seconds is None]
    assert len(failed) >= 6, f"only {len(failed)} of 8 ordinary requests timed out"


def test_against_gunicorn_alone_slow_uploads_starve_ordinary_visitors(site: Site) -> None:
    with SlowUploads(site.gunicorn):
        results = _ordinary_visits(site.gunicorn, 8)
    failed = [path for path, seconds in results if seconds is None]
    assert len(failed) >= 6, f"only {len(failed)} of 8 ordinary requests timed out"
