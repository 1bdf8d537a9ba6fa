"""What deploy/check-on-debian checks once the README's commands have run (inside its chroot, as
root, Debian's python3 and nothing else). `verify.py installed`: the site as installed, then the
demo data loaded and its fingerprint kept; `verify.py restored`: the same site after the machine
was wiped and the backup restored, with the same fingerprint.

Over HTTPS through Caddy (its own CA, `tls internal`): the home page; http:// redirected to
https://; HSTS and CSP on pages; a static file precompressed (Brotli and gzip) with a year-long
immutable Cache-Control; /health/ready; /metrics with the token (401 without). On the machine:
gunicorn with 2 workers per core + 1, the task worker running as onestop, and
`deploy/manage check --deploy` with no warning at all."""

from __future__ import annotations

import hashlib
import json
import os
import re
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HOST = "oss.example.go.th"
CA = Path("/var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt")
STATE = Path("/var/tmp/check/fingerprint.json")
MEDIA = Path("/var/lib/onestop/media")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def opener() -> urllib.request.OpenerDirector:
    context = ssl.create_default_context(cafile=str(CA))
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect())


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener().open(request, timeout=30) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def ok(condition: bool, what: str) -> None:
    print(("ok    " if condition else "FAIL  ") + what, flush=True)
    if not condition:
        sys.exit(f"verify.py: {what}")


def wait_for_site() -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if CA.exists() and get(f"https://{HOST}/health/live")[0] == 200:
                return
        except OSError as error:
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"verify.py: https://{HOST}/health/live never answered: {error}"
                ) from error
        time.sleep(1)


def processes() -> list[tuple[str, str]]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                uid = (proc / "status").read_text().split("Uid:")[1].split()[0]
            except OSError:
                continue
            found.append((cmdline, uid))
    return found


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/srv/onestop/deploy/manage", *args], capture_output=True, text=True, check=False
    )


def fingerprint() -> dict[str, Any]:
    counted = manage(
        "shell", "-c",
        "from onestop.cases.models import Case; "
        "from onestop.organisations.models import Organisation; "
        "print(Case.objects.count(), Organisation.objects.count())",
    )  # fmt: skip
    assert counted.returncode == 0, counted.stderr
    files = {
        str(path.relative_to(MEDIA)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(MEDIA.rglob("*")) if path.is_file()
    }  # fmt: skip
    return {"cases_organisations": counted.stdout.strip().splitlines()[-1].split(), "files": files}


def check_site() -> None:
    wait_for_site()
    status, headers, body = get(f"https://{HOST}/", {"Accept-Encoding": "identity"})
    ok(status == 200 and b"<html" in body, f"https://{HOST}/ answers 200 with a page")
    ok("max-age=" in headers.get("strict-transport-security", ""), "HSTS on the page")
    csp = headers.get("content-security-policy", "")
    ok("frame-ancestors" in csp and "unsafe-inline" not in csp, "a CSP without unsafe-inline")
    status, headers, _ = get(f"https://{HOST}/", {"Accept-Encoding": "gzip"})
    ok(headers.get("content-encoding") in ("gzip", "zstd"), "the page compressed by Caddy")
    status, headers, _ = get(f"http://{HOST}/")
    ok(
        status in (301, 308) and headers.get("location", "").startswith(f"https://{HOST}/"),
        "http:// redirected to https://",
    )

    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', body)
    ok(bool(assets), "the page links static files")
    asset = assets[0].decode()
    for encoding in ("br", "gzip"):
        status, headers, _ = get(f"https://{HOST}{asset}", {"Accept-Encoding": encoding})
        ok(
            status == 200 and headers.get("content-encoding") == encoding,
            f"{asset} served {encoding}-encoded",
        )
        cache = headers.get("cache-control", "")
        found = re.search(r"max-age=(\d+)", cache)
        age = int(found.group(1)) if found else 0
        ok(age >= 365 * 86400 and "immutable" in cache, f"{asset}: Cache-Control {cache!r}")

    status, _, body = get(f"https://{HOST}/health/ready")
    ok(status == 200 and isinstance(json.loads(body), dict), "/health/ready answers 200 (JSON)")
    token = next(
        line.split("=", 1)[1] for line in Path("/etc/onestop/onestop.env").read_text().splitlines()
        if line.startswith("ONESTOP_METRICS_TOKEN=")
    )  # fmt: skip
    status, _, body = get(f"https://{HOST}/metrics", {"Authorization": f"Bearer {token}"})
    ok(status == 200 and b"onestop_" in body, "/metrics with the token")
    ok(get(f"https://{HOST}/metrics")[0] == 401, "/metrics without the token: 401")

    running = processes()
    onestop_uid = subprocess.run(
        ["id", "-u", "onestop"], capture_output=True, text=True, check=True
    ).stdout.strip()
    gunicorns = [
        c for c, uid in running if "gunicorn" in c and "config.wsgi" in c and uid == onestop_uid
    ]
    cores = len(os.sched_getaffinity(0))
    ok(
        len(gunicorns) == 1 + 2 * cores + 1,
        f"gunicorn: a master and {2 * cores + 1} workers for {cores} cores "
        f"(found {len(gunicorns)})",
    )
    ok(
        any("db_worker" in c and uid == onestop_uid for c, uid in running),
        "the task worker runs as onestop",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    ok(
        result.returncode == 0 and "no issues" in result.stdout,
        "check --deploy: no issues\n" + result.stdout + result.stderr,
    )


def main() -> None:
    stage = sys.argv[1]
    check_site()
    if stage == "installed":
        loaded = manage("load_demo", "--requests", "5")
        ok(loaded.returncode == 0, "load_demo " + loaded.stderr[-2000:])
        ok(get(f"https://{HOST}/wangchao/")[0] == 200, "the demo organisation's page")
        STATE.write_text(json.dumps(fingerprint()))
        print("fingerprint:", STATE.read_text()[:300])
    else:
        ok(
            get(f"https://{HOST}/wangchao/")[0] == 200,
            "the demo organisation's page after the restore",
        )
        before, after = json.loads(STATE.read_text()), fingerprint()
        ok(
            before["cases_organisations"] == after["cases_organisations"],
            f"requests, organisations: {before['cases_organisations']} = "
            f"{after['cases_organisations']}",
        )
        ok(
            before["files"] == after["files"] and len(after["files"]) > 0,
            f"{len(after['files'])} files, every SHA-256 the same",
        )


if __name__ == "__main__":
    main()
