"""Lighthouse (mobile) on two citizen pages, the home page and the OSS centre: accessibility,
best practices and SEO at least 95. The whole table, performance included and on every citizen
page, is `bench/lighthouse.py` (against the demo served as in production); this test keeps the
three categories that do not depend on the machine's speed from slipping. Needs npm `lighthouse`
in .tools/lighthouse (`.ci/run` installs it; `bench/lighthouse.py` does too)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from onestop.organisations.models import Organisation
from tests.conftest import STRICT, require_tool

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".tools/lighthouse/node_modules/.bin/lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


def _lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        message = "lighthouse is not installed (npm install --prefix .tools/lighthouse lighthouse)"
        if STRICT:
            pytest.fail(message)
        pytest.skip(message)
    return LIGHTHOUSE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/wangchao/oss/"])
def test_a_citizen_page_scores_95_in_lighthouse(
    path: str, live_server: Any, org_a: Organisation, tmp_path: Path
) -> None:
    chromium = require_tool("chromium")
    out = tmp_path / "report.json"
    subprocess.run(
        [str(_lighthouse()), live_server.url + path, "--quiet", "--output=json",
         f"--output-path={out}", "--only-categories=accessibility,best-practices,seo",
         "--form-factor=mobile", f"--chrome-flags={CHROME_FLAGS}", "--max-wait-for-load=20000"],
        check=True, timeout=60, env={**os.environ, "CHROME_PATH": chromium},
    )  # fmt: skip
    report = json.loads(out.read_text())
    scores = {key: round(100 * c["score"]) for key, c in report["categories"].items()}
    failing = [
        audit_id
        for c in report["categories"].values()
        for ref in c["auditRefs"]
        if ref["weight"] and (report["audits"][(audit_id := ref["id"])]["score"] or 0) < 1
        and report["audits"][audit_id]["score"] is not None
    ]  # fmt: skip
    assert min(scores.values()) >= 95, (scores, failing)
