"""The documented production settings (deploy/onestop.env.example, as the README's production
section installs them) pass `manage.py check --deploy` without a single warning, and the
deployment files name commands that exist."""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management import get_commands
from whitenoise.compress import Compressor

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


# The README's production commands, as deploy/check-on-debian reads and runs them on a fresh
# Debian root (too slow and privileged for the suite: root, debootstrap, mounts). What can be
# checked cheaply is checked here.


def _check_on_debian() -> Any:
    path = DEPLOY / "check-on-debian.d" / "readme_blocks.py"
    spec = importlib.util.spec_from_file_location("readme_blocks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _readme_commands() -> str:
    blocks = _check_on_debian().readme_blocks((ROOT / "README.md").read_text())
    assert set(blocks) == {"install", "backup", "restore"}
    return "\n".join(line for lines in blocks.values() for line in lines)


def test_the_readme_production_commands_name_files_and_commands_that_exist() -> None:
    commands = _readme_commands()
    files = re.findall(r"(?<![\w/])(deploy/[\w.*-]+)", commands)
    assert "deploy/Caddyfile" in files and "deploy/manage" in files
    for name in files:
        assert list(ROOT.glob(name.removeprefix("/srv/onestop/"))), f"README names {name}"
    known = get_commands()
    for name in re.findall(r"deploy/manage (\w+)", commands):
        assert name in known, f"README: deploy/manage {name}"
    # The check script's two edits find what they replace, once each.
    scripts = _check_on_debian().scripts((ROOT / "README.md").read_text())
    assert "git clone /var/tmp/onestop.git /srv/onestop" in scripts["install.sh"]
    assert "make -C /srv/onestop install" in scripts["install.sh"]


def test_the_units_name_files_that_the_install_puts_there() -> None:
    """/srv/onestop is the clone (ExecStart's programs come from `make install`'s .venv) and
    /etc/onestop/onestop.env is installed from deploy/onestop.env.example by the README."""
    commands = _readme_commands()
    assert "deploy/onestop.env.example /etc/onestop/onestop.env" in commands
    assert (ROOT / ".venv/bin/gunicorn").exists() and (ROOT / ".venv/bin/python").exists()
    for unit in DEPLOY.glob("onestop-*.service"):
        text = unit.read_text()
        assert "EnvironmentFile=/etc/onestop/onestop.env" in text, unit.name
        assert "WorkingDirectory=/srv/onestop" in text, unit.name
        for line in re.findall(r"^Exec\w+=(.*)$", text, flags=re.M):
            words = shlex.split(line.lstrip("-"))
            program = Path(words[0])
            if program.is_relative_to("/srv/onestop"):
                assert (ROOT / program.relative_to("/srv/onestop")).exists(), f"{unit.name}: {line}"
            else:
                assert program.exists(), f"{unit.name}: {line}"
            for word in words[1:]:
                if word.startswith("deploy/"):
                    assert (ROOT / word).exists(), f"{unit.name}: {word}"
    for timer in DEPLOY.glob("onestop-*.timer"):
        assert (DEPLOY / f"{timer.stem}.service").exists(), timer.name


def test_check_deploy_is_clean_after_the_operators_edit(tmp_path: Path) -> None:
    """The environment file as check-on-debian's `editor` fills it in (the three keys and the
    metrics token, as the README asks) passes `check --deploy` with no warning; and the same
    stand-in finds the shipped Caddyfile's `# tls internal` line to turn on."""
    for name in ("onestop.env.example", "Caddyfile"):
        target = tmp_path / ("onestop.env" if name.endswith(".example") else name)
        target.write_text((DEPLOY / name).read_text())
        subprocess.run(
            [sys.executable, DEPLOY / "check-on-debian.d" / "editor", target],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
    assert "\ttls internal\n" in (tmp_path / "Caddyfile").read_text()
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    for line in (tmp_path / "onestop.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    assert env["ONESTOP_BACKUP_KEY"] and env["ONESTOP_METRICS_TOKEN"]
    env["ONESTOP_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_static_files_are_precompressed_with_brotli_and_gzip(tmp_path: Path) -> None:
    """What the README promises and Caddy relies on (it does not compress with Brotli): the
    production storage is WhiteNoise's compressing one, and its compressor, as collectstatic
    runs it on every file, writes a .br beside the .gz (only with the brotli package)."""
    script = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), **_documented_environment(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }  # fmt: skip
    backend = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        check=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    ).stdout.strip()  # fmt: skip
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    css = tmp_path / "sarabun.css"
    css.write_bytes((ROOT / "static/vendor/sarabun/sarabun.css").read_bytes())
    list(Compressor(quiet=True).compress(str(css)))
    assert (tmp_path / "sarabun.css.gz").exists()
    assert (tmp_path / "sarabun.css.br").exists(), "precompressed_with_brotli: is brotli installed?"


def test_the_production_section_covers_what_an_operator_needs() -> None:
    readme = (ROOT / "README.md").read_text()
    production = readme.split("## Production", 1)[1].split("\n## Privacy", 1)[0]
    for needed in (
        "per usable core",  # gunicorn's workers
        "onestop-worker",  # the task worker
        "deploy/onestop-*.service",  # the units
        "tls internal",  # TLS when no public CA can check the name
        "deploy/manage backup",
        "ONESTOP_BACKUP_KEY",
        "privacy_retention",
        "data_key_rotate",
        "ONESTOP_METRICS_TOKEN",
        "ONESTOP_S3_BUCKET",
        "DATABASE_REPLICA_URL",
        "buffer_requests",
    ):
        assert needed in production, needed
