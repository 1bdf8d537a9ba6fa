"""The request document (PDF) as the citizen downloads it from the tracking status page, through
gunicorn with the production settings (bench/serve.py): how long the first download of a version
takes (rendered), the first in a fresh process when the version is already kept, and the warm
median and p99 of downloading it again; hello world (`/bench/hello/`) in the same run as the
yardstick.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_track DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo   # once
    .venv/bin/python bench/bench_pdf.py --downloads 200

The rendered documents kept for the chosen requests are deleted first (DB cache entries too), so
write only to a database (and MEDIA_ROOT) of your own. `--app-dir DIR` serves another checkout
(e.g. `git archive main | tar -x -C DIR`) for a before/after comparison."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # its neighbours: serve.py

from bench_tracking_attack import Browser, cases  # noqa: E402
from serve import free_port, serve  # noqa: E402


def forget_rendered(slug: str, count: int) -> None:
    from django.core.cache import cache  # noqa: PLC0415

    from onestop.cases.models import Case  # noqa: PLC0415
    from onestop.cases.rendered import rendered_delete  # noqa: PLC0415

    for pk in (
        Case.objects.filter(organisation__slug=slug)
        .order_by("-pk")[:count]
        .values_list("pk", flat=True)
    ):
        rendered_delete(pk)
    cache.clear()  # what the code before kept in the database cache


def timed_get(browser: Browser, path: str) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    browser.conn.request("GET", path, headers={"Cookie": browser._cookie_header()})
    response = browser.conn.getresponse()
    body = response.read()
    return (time.perf_counter() - t0) * 1000, response.status, len(body)


def signed_in(port: int, slug: str, number: str, digits: str) -> Browser:
    browser = Browser(port, f"/{slug}/track/")
    browser.prepare("127.0.0.1")
    status = browser.post("127.0.0.1", number, digits)
    assert status == 302, status
    return browser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slug", default="wangchao")
    parser.add_argument("--downloads", type=int, default=200)
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    options = parser.parse_args()
    known = cases(options.slug, 3)
    forget_rendered(options.slug, 3)
    document = f"/{options.slug}/track/status/document/"
    env = {"WEB_CONCURRENCY": "1"}  # one process: "first in process" means this one
    rows: list[str] = []
    for start in ("fresh", "restarted"):
        port = free_port()
        server = serve(port, app_dir=options.app_dir.resolve(), env=env)
        try:
            browser = signed_in(port, options.slug, *known[0])
            first, status, size = timed_get(browser, document)
            assert status == 200, status
            what = "rendered (nothing kept)" if start == "fresh" else "kept, new process"
            rows.append(f"first download in process, {what:<24} {first:8.1f} ms ({size:,} B)")
            if start == "fresh":
                continue
            other = signed_in(port, options.slug, *known[1])
            second, status, _size = timed_get(other, document)
            rows.append(f"another request's first download (renders)     {second:8.1f} ms")
            hello = Browser(port, "/bench/hello/")
            warm: list[float] = []
            hellos: list[float] = []
            for _ in range(options.downloads):  # interleaved with hello world
                warm.append(timed_get(browser, document)[0])
                hellos.append(timed_get(hello, "/bench/hello/")[0])
            rows.append(
                f"warm download x{options.downloads}: median {statistics.median(warm):6.1f} ms, "
                f"p99 {sorted(warm)[int(len(warm) * 0.99) - 1]:6.1f} ms; hello world median "
                f"{statistics.median(hellos):5.1f} ms (same run, interleaved)"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
