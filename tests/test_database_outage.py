"""A real outage: gunicorn serving OneStop against a PostgreSQL this test starts itself; the
database is stopped under it (every page: the Thai/English 503, /health/live still 200,
/health/ready 503) and started again (the site recovers by itself, no restart)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import STRICT

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        message = "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        if STRICT:
            pytest.fail(message)
        pytest.skip(message)
    return found[-1].parent


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary directory (as `postgres` when run as root,
    since PostgreSQL refuses to run as root)."""

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="onestop-pg-"))
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.dir / "data"), "-o", options, "-l", str(self.dir / "log"),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        subprocess.run(
            [*cluster.as_user, str(cluster.bin / "pg_ctl"), "-D", str(cluster.dir / "data"),
             "-m", "immediate", "stop"],
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(cluster.dir, ignore_errors=True)


def _get(url: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http on loopback)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def _wait_for(check: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_with_postgresql_stopped_pages_answer_503_and_the_site_recovers_by_itself(
    cluster: Cluster,
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": cluster.url(),
        "ONESTOP_HTTPS": "0",
    }
    env.pop("DEBUG", None)
    python = sys.executable
    for command in (["migrate", "--noinput"], ["createcachetable"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True,
            capture_output=True, timeout=300,
        )  # fmt: skip
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(lambda: _get(f"{base}/health/live")[0] == 200, 60)
        assert _get(f"{base}/")[0] == 200
        assert _get(f"{base}/health/ready")[0] == 200

        cluster.stop()
        session = {"Cookie": "sessionid=kept-in-the-database"}
        for path in ("/", "/staff/", "/no-such-organisation/"):
            status, body, headers = _get(base + path, **session)
            assert status == 503, (path, status)
            assert "ข้อมูลที่ท่านกรอกไว้ยังอยู่" in body
            assert headers["Retry-After"] == "120"
        status, body, _ = _get(f"{base}/", **session, **{"Accept-Language": "en"})
        assert status == 503
        assert "What you typed is kept" in body
        assert _get(f"{base}/health/live")[0] == 200
        assert _get(f"{base}/health/ready")[0] == 503

        cluster.start()
        assert _get(f"{base}/")[0] == 200  # the next request reconnects
        assert _get(f"{base}/health/ready")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
