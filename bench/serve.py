"""Start gunicorn with the production settings for a benchmark (bench.settings: plus the
hello-world view), on a free loopback port, on the database named by DATABASE_URL.

The demo's data key (load_demo in DEBUG encrypts with it) and a throwaway SECRET_KEY are set;
the static files are collected first (production settings serve the hashed names)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_DATA_KEY = "onestop-development-data-key-not-for-production"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(
    port: int, *, app_dir: Path = ROOT, env: dict[str, str] | None = None, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """gunicorn -c deploy/gunicorn.conf.py (4 workers x 4 threads unless WEB_CONCURRENCY and
    GUNICORN_THREADS say otherwise), `env` added to this process's environment; its log (errors,
    workers booting and stopping) appended to `log`."""
    full = dict(os.environ)
    full.pop("DEBUG", None)
    full.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings" if (app_dir / "bench" / "settings.py").exists()
        else "config.settings",
        "SECRET_KEY": "bench-secret-key",
        "ONESTOP_ALLOW_CONSOLE_EMAIL": "1",
        "ONESTOP_DATA_KEY": DEMO_DATA_KEY,
        "WEB_CONCURRENCY": full.get("WEB_CONCURRENCY", "4"),
        "GUNICORN_THREADS": full.get("GUNICORN_THREADS", "4"),
        "PYTHONPATH": str(app_dir),
        **(env or {}),
    })  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=app_dir, env=full, check=True,
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "-c", str(app_dir / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null"],
        cwd=app_dir, env=full, stdout=subprocess.DEVNULL,
        stderr=log.open("ab") if log else subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")
