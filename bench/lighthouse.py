"""Lighthouse (mobile) on every citizen page: performance, accessibility, best practices, SEO.

Installs npm `lighthouse` (pinned below) into .tools/lighthouse if it is missing, serves the demo
as production does (DEBUG off, static files from WhiteNoise with their hashed names) with
gunicorn on a free port, against a demo database made for it (or `--base` a running site), and
runs Lighthouse with Debian's Chromium (headless, no network beyond this machine) on the home,
organisation, OSS centre pages, each wizard step (the session that reached the step is passed as
a cookie: Lighthouse can only GET), the done page and the tracking pages. Prints a table of the
four scores per page; exits 1 if any is below `--min` (95).

    .venv/bin/python bench/lighthouse.py                  # every page (about 1 min a page)
    .venv/bin/python bench/lighthouse.py --pages home oss # some of them
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "12.8.2"  # the newest that runs on Debian 13's Node 20
PREFIX = ROOT / ".tools/lighthouse"
BINARY = PREFIX / "node_modules/.bin/lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
    "--disable-background-networking --disable-component-update --disable-sync "
    "--disable-default-apps --no-first-run --disable-extensions --mute-audio"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SLUG = "wangchao"
TYPE_NAME = "ไฟฟ้าสาธารณะ"


def ensure_lighthouse() -> Path:
    if not BINARY.exists():
        npm = shutil.which("npm") or sys.exit("npm is needed to install lighthouse")
        subprocess.run(
            [npm, "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund",
             f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )  # fmt: skip
    return BINARY


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def demo_server(data_dir: Path) -> Iterator[str]:
    """The demo, served as in production on a free port; yields its base URL."""
    port = free_port()
    key = "onestop-development-data-key-not-for-production"  # the demo's (DEBUG) data key
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
        "ONESTOP_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir}/db.sqlite3", "ONESTOP_DATA_KEY": key,
        "SECRET_KEY": "lighthouse-bench-only", "ONESTOP_HTTPS": "0", "EMAIL_URL": "console://",
        "ONESTOP_ALLOW_CONSOLE_EMAIL": "1", "HOST": "127.0.0.1", "PORT": str(port),
        "ONESTOP_MAP_TILES_URL": "",  # no network here: the place step without its map
    }  # fmt: skip
    env.pop("ONESTOP_PUBLIC_URL", None)
    manage = [sys.executable, "manage.py"]
    if not (data_dir / "db.sqlite3").exists():
        demo = {**env, "DEBUG": "1"}
        for command in (["migrate", "--noinput"], ["createcachetable"], ["load_demo"]):
            subprocess.run([*manage, *command, "-v0"], cwd=ROOT, env=demo, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
    env["DEBUG"] = "0"
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--graceful-timeout", "1"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/live").close()
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)


class Citizen:
    """A browser session going through the wizard over HTTP (for the pages behind a step)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path) as response:
            return str(response.read().decode())

    def post(self, path: str, data: dict[str, str]) -> str:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        headers = {"Referer": self.base + path}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        with self.opener.open(request) as response:
            return str(response.read().decode())

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def national_id(rng: random.Random) -> str:
    digits = [rng.randint(1, 8)] + [rng.randint(0, 9) for _ in range(11)]
    check = (11 - sum(d * (13 - i) for i, d in enumerate(digits)) % 11) % 10
    return "".join(map(str, digits)) + str(check)


def pages(base: str) -> Iterator[tuple[str, str, str]]:
    """(name, url, cookie) of every citizen page, the wizard's in the order a citizen meets them."""
    yield "home", f"{base}/", ""
    yield "organisation", f"{base}/{SLUG}/", ""
    yield "oss", f"{base}/{SLUG}/oss/", ""
    yield "tracking", f"{base}/{SLUG}/track/", ""
    yield "performance", f"{base}/{SLUG}/performance/", ""
    citizen = Citizen(base)
    wizard = f"/{SLUG}/request/"
    page = citizen.get(wizard)
    yield "wizard-1-details", base + wizard, citizen.cookie()
    pattern = rf'value="(\d+)" id="type-\d+"[^>]*>\s*<label[^>]*>{re.escape(TYPE_NAME)}<'
    type_pk = re.search(pattern, page)
    citizen.post(wizard, {
        "request_type": type_pk.group(1) if type_pk else "", "subject": "ไฟฟ้าดับหน้าบ้าน",
        "details": "ไฟส่องสว่างหน้าบ้านดับมา 3 คืน", "title": "นาย", "first_name": "สมชาย",
        "last_name": "ใจดี", "national_id": national_id(random.Random(1)), "phone": "0812345678",
        "privacy": "on",
    })  # fmt: skip
    yield "wizard-2-place", f"{base}{wizard}place/", citizen.cookie()
    citizen.post(f"{wizard}place/", {
        "house_no": "12", "subdistrict": "นาโบสถ์", "district": "วังเจ้า", "province": "ตาก",
        "postcode": "63180", "action": "next",
    })  # fmt: skip
    yield "wizard-3-documents", f"{base}{wizard}documents/", citizen.cookie()
    citizen.post(f"{wizard}documents/", {"action": "next"})
    yield "wizard-4-review", f"{base}{wizard}review/", citizen.cookie()
    confirm = citizen.get(f"{wizard}confirm/")
    yield "wizard-5-confirm", f"{base}{wizard}confirm/", citizen.cookie()
    key = re.search(r'name="submission_key" value="([^"]+)"', confirm)
    citizen.post(
        f"{wizard}confirm/", {"submission_key": html.unescape(key.group(1)) if key else ""}
    )
    yield "done", f"{base}{wizard}done/", citizen.cookie()


def lighthouse(binary: Path, url: str, cookie: str, out: Path) -> tuple[dict[str, int], list[str]]:
    """The four scores of the page, and the audits that cost points."""
    command = [
        str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile",
        f"--chrome-flags={CHROME_FLAGS}", "--max-wait-for-load=30000",
    ]  # fmt: skip
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROME})
    report = json.loads(out.read_text())
    if report.get("finalDisplayedUrl", url) != url:  # a step whose session did not reach it
        sys.exit(f"{url} was sent to {report['finalDisplayedUrl']}")
    scores = {k: round(100 * (report["categories"][k]["score"] or 0)) for k in CATEGORIES}
    failing = [
        f"    {k}: {a['id']} ({a.get('displayValue') or a['title']})"
        for k in CATEGORIES
        for ref in report["categories"][k]["auditRefs"]
        if ref["weight"] and (a := report["audits"][ref["id"]])["score"] is not None
        and a["score"] < 0.9
    ]  # fmt: skip
    return scores, failing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="a running site (default: serve a demo made for this)")
    parser.add_argument("--data-dir", type=Path, help="keep the demo database here (reused)")
    parser.add_argument("--pages", nargs="*", help="only these pages (names as in the table)")
    parser.add_argument("--min", type=int, default=95)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the failing audits")
    args = parser.parse_args(argv)
    binary = ensure_lighthouse()
    with tempfile.TemporaryDirectory(prefix="onestop-lighthouse-") as scratch:
        data_dir = args.data_dir or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        with demo_server(data_dir) if not args.base else _given(args.base) as base:
            rows = []
            for name, url, cookie in pages(base.rstrip("/")):
                if args.pages and name not in args.pages:
                    continue
                scores, failing = lighthouse(binary, url, cookie, Path(scratch) / f"{name}.json")
                rows.append((name, scores))
                if args.verbose:
                    print(name, scores, *failing, sep="\n", file=sys.stderr)
    print(f"{'page':<20} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}")
    low = False
    for name, scores in rows:
        values = [int(scores[k]) for k in CATEGORIES]
        low = low or min(values) < args.min
        print(f"{name:<20} " + " ".join(f"{v:>5}" for v in values))
    print(f"lighthouse {LIGHTHOUSE_VERSION}, mobile; minimum {args.min}: {'FAIL' if low else 'ok'}")
    return 1 if low else 0


@contextmanager
def _given(base: str) -> Iterator[str]:
    yield base


if __name__ == "__main__":
    sys.exit(main())
