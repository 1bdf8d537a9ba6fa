"""`PORT=8103 make demo`: the printed address, the links and the QR codes carry the port it is
served on (unless ONESTOP_PUBLIC_URL says otherwise), and Ctrl-C stops the web server and the
worker within a few seconds, leaving no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from onestop.core.env import public_url
from onestop.documents.posters import poster_pdf
from onestop.organisations.models import Organisation
from tests.documents_helpers import page_images, qr_texts

ROOT = Path(__file__).resolve().parent.parent


def test_the_public_address_is_the_served_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONESTOP_PUBLIC_URL", raising=False)
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "8103")
    assert public_url() == "http://127.0.0.1:8103"
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104 (every interface: this machine)
    assert public_url() == "http://127.0.0.1:8103"
    monkeypatch.setenv("HOST", "::1")
    assert public_url() == "http://[::1]:8103"
    monkeypatch.delenv("HOST")
    monkeypatch.delenv("PORT")
    assert public_url() == "http://127.0.0.1:8000"


def test_a_configured_public_address_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8103")
    monkeypatch.setenv("ONESTOP_PUBLIC_URL", "https://oss.wangchao.go.th/")
    assert public_url() == "https://oss.wangchao.go.th"


def test_the_settings_take_the_port_of_the_demo() -> None:
    env = {**os.environ, "PORT": "8103", "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("ONESTOP_PUBLIC_URL", None)
    code = (
        "import django; django.setup(); from onestop.core import links; "
        "print(links.eservice_url('wangchao'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "http://127.0.0.1:8103/wangchao/request/"


def test_the_poster_qr_code_carries_the_port(
    org_a: Organisation, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ONESTOP_PUBLIC_URL", raising=False)
    monkeypatch.setenv("PORT", "8103")
    settings.ONESTOP_PUBLIC_URL = public_url()  # as config/settings.py computes it
    [page] = page_images(poster_pdf(org_a), "poster-qr", resolution=100)
    assert qr_texts(page) == ["http://127.0.0.1:8103/wangchao/request/"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_ctrl_c_stops_the_server_and_the_worker_within_five_seconds(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ, "DEBUG": "1", "PORT": str(port), "HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "ONESTOP_DATA_DIR": str(tmp_path),
        "WEB_CONCURRENCY": "1", "EMAIL_URL": "console://",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }  # fmt: skip
    env.pop("ONESTOP_PUBLIC_URL", None)
    manage = [sys.executable, "manage.py"]
    # The worker's table only: the test asks /health/live, which needs no database.
    migrate = [*manage, "migrate", "django_tasks_database", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)
    serve = subprocess.Popen(
        ["scripts/serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live") as response:
                    assert response.status == 200
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the demo did not answer")
        time.sleep(1)  # the worker is polling by now
        assert serve.poll() is None
        started = time.monotonic()
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=10)
        assert time.monotonic() - started < 5
        output = serve.stdout.read() if serve.stdout else ""
        assert f"http://127.0.0.1:{port}/" in output
        # The worker and gunicorn's processes are gone too. An exited process may stay a zombie
        # for a moment until the machine's init reaps it: those are not running, so not counted.
        ps = ["ps", "-o", "pid=,stat=", "-g", str(serve.pid)]
        listing = subprocess.run(ps, check=False, capture_output=True, text=True).stdout
        running = [line for line in listing.splitlines() if "Z" not in line.split()[1]]
        assert running == []
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
