"""The documented production settings (deploy/onestop.env.example, as the README's production
section installs them) pass `manage.py check --deploy` without a single warning, and the
deployment files name commands that exist."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _documented_environment(data_dir: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    for line in (DEPLOY / "onestop.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    # The two secrets are left for the operator to generate; the data directory is the test's.
    assert env["SECRET_KEY"] == "" and env["ONESTOP_DATA_KEY"] == ""
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["ONESTOP_DATA_KEY"] = secrets.token_urlsafe(50)
    env["ONESTOP_DATA_DIR"] = str(data_dir)
    return env


def test_check_deploy_is_clean_with_the_documented_settings(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **_documented_environment(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_the_units_run_commands_that_exist() -> None:
    commands = get_commands()
    for unit in DEPLOY.glob("onestop-*.service"):
        for name in re.findall(r"manage\.py (\w+)", unit.read_text()):
            assert name in commands, f"{unit.name}: manage.py {name}"


def test_gunicorn_takes_its_workers_from_the_core_count() -> None:
    script = (
        "import runpy, os; c = runpy.run_path('deploy/gunicorn.conf.py'); "
        "print(c['workers'], len(os.sched_getaffinity(0)))"
    )
    env = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    ).stdout.split()  # fmt: skip
    workers, cores = int(out[0]), int(out[1])
    assert workers == 2 * cores + 1
