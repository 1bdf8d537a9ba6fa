"""Each gunicorn worker's memory after a mixed load, with and without `preload_app`
(deploy/gunicorn.conf.py, config/preload.py): RSS, PSS (shared pages divided among the processes
that share them) and USS (the worker's own pages: what stopping it would free), from
/proc/PID/smaps_rollup.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_track DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo   # once
    .venv/bin/python bench/memory_workers.py --rounds 30

The mixed load, `--rounds` times over 8 connections so that every worker serves some of it:
the home, organisation, OSS centre and tracking pages, a citizen's tracking then the request
document (PDF), and the staff inbox with a Thai search. The server runs 4 workers x 4 threads
(WEB_CONCURRENCY, GUNICORN_THREADS)."""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import threading
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # its neighbours

from bench_tracking_attack import Browser, cases  # noqa: E402
from load import staff_cookie  # noqa: E402
from serve import free_port, serve  # noqa: E402

SEARCH = urllib.parse.quote("ไฟฟ้า")


def smaps(pid: int) -> dict[str, float]:
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _sep, rest = line.partition(":")
        values[name] = int(rest.split()[0]) / 1024
    return values


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def load(port: int, slug: str, cookie: str, known: list[tuple[str, str]], rounds: int) -> int:
    errors = 0
    lock = threading.Lock()

    def client(i: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = 0
        for n in range(rounds):
            for path, headers in (
                ("/", {}), (f"/{slug}/", {}), (f"/{slug}/oss/", {}), (f"/{slug}/track/", {}),
                (f"/staff/{slug}/", {"Cookie": cookie}),
                (f"/staff/{slug}/?tab=all&q={SEARCH}", {"Cookie": cookie}),
            ):  # fmt: skip
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    mine += response.status != 200
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    mine += 1
            if n % 5 == 0:  # a citizen tracks a request and downloads its document
                browser = Browser(port, f"/{slug}/track/")
                browser.prepare("127.0.0.1")
                number, digits = known[(i + n) % len(known)]
                mine += browser.post("127.0.0.1", number, digits) != 302
                browser.conn.request(
                    "GET", f"/{slug}/track/status/document/",
                    headers={"Cookie": browser._cookie_header()},
                )  # fmt: skip
                response = browser.conn.getresponse()
                mine += response.status != 200 or not response.read().startswith(b"%PDF")
        with lock:
            errors += mine

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slug", default="wangchao")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    parser.add_argument("--log", type=Path, help="append gunicorn's log here")
    options = parser.parse_args()
    name, value = staff_cookie(options.slug)
    known = cases(options.slug, 20)
    for preload in ("1", "0"):
        port = free_port()
        server = serve(
            port, app_dir=options.app_dir.resolve(), env={"GUNICORN_PRELOAD": preload},
            log=options.log,
        )  # fmt: skip
        try:
            errors = load(port, options.slug, f"{name}={value}", known, options.rounds)
            print(f"preload_app={'on' if preload == '1' else 'off'}  (load errors: {errors})")
            master = smaps(server.pid)
            print(f"  master  RSS {master['Rss']:6.1f}  PSS {master['Pss']:6.1f} MB")
            for pid in children(server.pid):
                m = smaps(pid)
                uss = m["Private_Clean"] + m["Private_Dirty"]
                print(
                    f"  worker  RSS {m['Rss']:6.1f}  PSS {m['Pss']:6.1f}  USS {uss:6.1f}  "
                    f"shared {m['Shared_Clean'] + m['Shared_Dirty']:6.1f} MB"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
