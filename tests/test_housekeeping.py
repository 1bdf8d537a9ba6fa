"""Nothing kept that nothing uses: every dependency and every vendored asset has a user."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What shows that a dependency is used: text found in our code, settings, scripts or Makefile.
# A new dependency needs a line here, which says why it is there.
EVIDENCE = {
    "django": "from django",
    "django-tasks-db": '"django_tasks_db"',  # INSTALLED_APPS: the task queue's tables
    "django-axes": '"axes"',
    "django-otp": "django_otp",
    "dj-database-url": "import dj_database_url",
    "psycopg": "postgres",  # DATABASE_URL=postgres://… (Django's PostgreSQL backend)
    "gunicorn": ".venv/bin/gunicorn",
    "whitenoise": "whitenoise",
    "argon2-cffi": "Argon2PasswordHasher",
    "cryptography": "from cryptography",
    "python-stdnum": "from stdnum",
    "phonenumbers": "import phonenumbers",
    "segno": "import segno",
    "fpdf2": "from fpdf",
    "openpyxl": "from openpyxl",  # XLSX: the ITA reports (reports/ita_pdf.py), dashboard tables
    "pythainlp": "pythainlp",
    "uharfbuzz": "perform_harfbuzz_shaping",  # fpdf2's text shaping imports it
    "polib": "import polib",
    "pillow": "from PIL",
    "pypdfium2": "import pypdfium2",
    "pikepdf": "import pikepdf",
    "pytest": "import pytest",
    "pytest-django": "DJANGO_SETTINGS_MODULE",
    "playwright": "playwright",
    "ruff": "bin/ruff",
    "mypy": "bin/mypy",
    "django-stubs": "mypy_django_plugin",
    "aiosmtpd": "aiosmtpd",
    "zxing-cpp": "import zxingcpp",
    "hypothesis": "from hypothesis import",  # property tests (tests/test_reports_property.py)
    "django-storages": "storages.backends.s3.S3Storage",  # ONESTOP_S3_BUCKET (config/settings.py)
    "moto": "from moto.server import ThreadedMotoServer",  # tests/test_two_servers.py
    "django-ninja": "from ninja import",  # the staff API and its OpenAPI 3.1 (onestop/api)
    "schemathesis": "import schemathesis",  # the OpenAPI contract checked (tests/test_api_schema)
    "types-openpyxl": "from openpyxl",  # its type stubs, for mypy
    "brotli": "precompressed_with_brotli",  # WhiteNoise writes .br files with it (test_deploy)
}


def _sources() -> str:
    files = [
        *ROOT.glob("config/*.py"), *ROOT.glob("onestop/**/*.py"), *ROOT.glob("tests/*.py"),
        *ROOT.glob("scripts/*"), ROOT / "Makefile", ROOT / "pyproject.toml",
    ]  # fmt: skip
    here = Path(__file__).resolve()
    return "\n".join(f.read_text(encoding="utf-8") for f in files if f.is_file() and f != here)


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert match is not None
    return match.group(0).lower()


def test_every_dependency_is_used() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = [_name(r) for r in project["project"]["dependencies"]]
    declared += [_name(r) for group in project["dependency-groups"].values() for r in group]
    sources = _sources()
    unexplained = [name for name in declared if name not in EVIDENCE]
    assert not unexplained, f"say in EVIDENCE how these are used: {unexplained}"
    unused = [name for name in declared if EVIDENCE[name] not in sources]
    assert not unused


def test_every_vendored_asset_is_used_by_a_template_or_a_test() -> None:
    used = "\n".join(
        p.read_text(encoding="utf-8")
        for pattern in ("**/templates/**/*.html", "static/js/*.js", "tests/*.py")
        for p in ROOT.glob(pattern)
        if ".venv" not in p.parts
    )
    assets = [p.name for p in (ROOT / "static/vendor").iterdir() if p.is_dir()]
    assert assets
    assert [name for name in assets if f"vendor/{name}/" not in used] == []
