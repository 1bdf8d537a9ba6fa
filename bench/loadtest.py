"""The locust load run and the soak: citizens and staff of `wangchao` against gunicorn (the
settings of deploy/gunicorn.conf.py, production mode, bench.settings for `/bench/hello/`) and
the PostgreSQL database named by DATABASE_URL, over loopback only, bounded in time.

    createdb -h 127.0.0.1 -U postgres -T onestop_bench1m onestop_load1m   # it writes: a copy
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_load1m
    .venv/bin/python bench/loadtest.py --rounds 3 --seconds 60            # the table
    .venv/bin/python bench/loadtest.py --soak 1800 --rate 20              # the soak

Load run: after a warm-up (until every worker answers quickly, then `--warmup` seconds of the
mix, not counted), each round runs hello world alone for `--hello-seconds` (half before, half
after the mix: the server's ceiling at that moment), and the mix (bench/locustfile.py: citizens
browse, search, track with number + phone digits, file a request with a photo through the wizard
to the done page; the counter officer reads the inbox tabs, a search, a deep page and case
pages, and receives, notes and assigns submitted requests) with `--users` users as fast as they
can. Per endpoint it prints the mix's requests/s, p50/p95/p99 over all rounds, errors (must be
0), and the ratio to hello world: the rate the page would have alone, `users / its mean time in
the mix` (Little's law, with the server's CPU shared between the requests in flight, as
bench/load.py measures it by hammering one page with that many connections), over hello world's
rate alone in the same round; the median over rounds and the spread (min-max), so a noisy
machine shows as spread. Keep `--users` at most workers × threads (none waits in the listen
queue, where a cheap page would wait as long as a dear one).

Soak: one run of `--soak` seconds at about `--rate` requests per second (users paced), sampling
every `--every` seconds into a CSV: each gunicorn worker's RSS, PSS and open files
(/proc/PID/smaps_rollup and /proc/PID/fd) and the database's connections (pg_stat_activity);
prints the first sample after the warm-up against the last and whether each stayed flat.

Locust is not a dependency of the site (nor of its tests): it brings gevent, Flask and a
pinned `requests` stack, so it is installed on first use into its own venv, .tools/locust
(LOCUST_VERSION below), like bench/lighthouse.py does for Lighthouse.
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOCUST_VERSION = "2.47.0"
LOCUST_VENV = ROOT / ".tools/locust"
LOCUST = LOCUST_VENV / "bin/locust"
DEV_DATA_KEY = "onestop-development-data-key-not-for-production"  # bench/generate.py's data

from lighthouse import TYPE_NAME, free_port, national_id  # noqa: E402
from load import staff_cookie, staff_paths  # noqa: E402


def ensure_locust() -> Path:
    if not LOCUST.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LOCUST_VENV)], check=True)
        subprocess.run(
            [str(LOCUST_VENV / "bin/pip"), "install", "-q", f"locust=={LOCUST_VERSION}"], check=True
        )
    return LOCUST


def server_env(data_dir: Path, port: int) -> dict[str, str]:
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        "ONESTOP_DATA_KEY": os.environ.get("ONESTOP_DATA_KEY", DEV_DATA_KEY),
        "ONESTOP_HTTPS": "0", "EMAIL_URL": "console://", "ONESTOP_ALLOW_CONSOLE_EMAIL": "1",
        "ONESTOP_DATA_DIR": str(data_dir), "STATIC_ROOT": str(ROOT / "data/bench-static"),
        "ONESTOP_BIND": f"127.0.0.1:{port}",
    }  # fmt: skip
    env.pop("ONESTOP_PUBLIC_URL", None)
    return env


class Server:
    """gunicorn with deploy/gunicorn.conf.py, its output in a log file."""

    def __init__(self, env: dict[str, str], log: Path, extra: list[str]) -> None:
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        self.base = f"http://{env['ONESTOP_BIND']}"
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "-c",
             "deploy/gunicorn.conf.py", *extra],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{self.base}/bench/hello/").close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not answer; see {log}")

    def warm_up(self, paths: list[str], limit: float = 300) -> float:
        """Until every worker answers quickly: each loads its modules on its first request
        (seconds on a busy machine), which is not what the table measures. Returns seconds."""
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            while time.monotonic() - started < limit:
                timed = list(pool.map(self._timed, paths * 8))
                if max(timed) < 1.0:
                    break
        return time.monotonic() - started

    def _timed(self, path: str) -> float:
        t0 = time.monotonic()
        with urllib.request.urlopen(f"{self.base}{path}", timeout=120) as response:
            response.read()
        return time.monotonic() - t0

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sorted(int(p) for p in children.read_text().split())

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def fixtures(slug: str, users: int) -> dict[str, Any]:
    """What the scenario needs from the database, read once before the run."""
    from django.db import connection  # noqa: PLC0415
    from PIL import Image  # noqa: PLC0415

    from onestop.cases.models import Case  # noqa: PLC0415
    from onestop.cases.workflow import Status  # noqa: PLC0415
    from onestop.catalog.models import RequestType  # noqa: PLC0415
    from onestop.organisations.models import Department  # noqa: PLC0415

    sessions = [staff_cookie(slug, role="counter") for _ in range(max(users, 1))]
    extra = staff_paths(slug)
    mine = Case.objects.filter(organisation__slug=slug, request_type__is_confidential=False)
    act = list(
        mine.filter(status=Status.SUBMITTED)
        .order_by("-pk")
        .values_list("number", flat=True)[:20000]
    )
    read = list(mine.order_by("-pk").values_list("number", flat=True)[:500])
    tracking = [
        (number, phone[-4:])
        for number, phone in mine.exclude(phone="")
        .order_by("-pk")
        .values_list("number", "phone")[:500]
    ]
    request_type = RequestType.objects.filter(
        organisation__slug=slug, name_th=TYPE_NAME, id_card_required=False
    )
    photo = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 200)).save(photo, "JPEG", quality=80)
    connection.close()
    return {
        "slug": slug,
        "staff_sessions": sessions,
        "deep_query": extra["deep"],
        "case_numbers": read,
        "act_numbers": act,
        "tracking": tracking,
        "request_type": request_type.values_list("pk", flat=True)[0],
        "department": Department.objects.filter(organisation__slug=slug)
        .order_by("pk")
        .values_list("pk", flat=True)[0],
        "national_id": national_id(random.Random(1)),
        "photo_b64": base64.b64encode(photo.getvalue()).decode(),
    }


@dataclass
class Entry:
    """One endpoint's figures in one locust run."""

    requests: int = 0
    failures: int = 0
    seconds: float = 0.0
    total_ms: float = 0.0
    times: Counter[int] = field(default_factory=Counter)  # locust's histogram: ms → count

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def mean_ms(self) -> float:
        return self.total_ms / self.requests if self.requests else 0.0


def locust_run(  # noqa: PLR0917 (one call site per phase)
    base: str,
    classes: list[str],
    users: int,
    seconds: int,
    scratch: Path,
    env: dict[str, str],
    part: str = "0/1",
) -> dict[str, Entry]:
    """One headless locust run; `part` ("k/n") is its share of the requests to act on."""
    out = scratch / "stats.json"
    command = [
        str(LOCUST), "-f", str(ROOT / "bench/locustfile.py"), "--headless", "--only-summary",
        "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--stop-timeout", "10",
        "--host", base, "--json-file", str(out.with_suffix("")), "--loglevel", "WARNING",
        "--exit-code-on-error", "0", *classes,
    ]  # fmt: skip
    out.unlink(missing_ok=True)
    subprocess.run(
        command, env={**env, "LOADTEST_PART": part}, check=True, stdout=subprocess.DEVNULL
    )
    entries: dict[str, Entry] = {}
    if os.environ.get("LOADTEST_DEBUG"):
        print(classes, out.read_text()[:3000], file=sys.stderr)
    for row in json.loads(out.read_text()):
        entry = entries.setdefault(row["name"], Entry())
        entry.requests += row["num_requests"]
        entry.failures += row["num_failures"]
        entry.total_ms += row["total_response_time"]
        entry.seconds = seconds
        entry.times.update({int(k): v for k, v in row["response_times"].items()})
    return entries


def percentile(times: Counter[int], p: float) -> float:
    total = sum(times.values())
    if not total:
        return 0.0
    seen = 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= total * p:
            return float(ms)
    return float(max(times))


def load_table(
    options: argparse.Namespace, server: Server, env: dict[str, str], scratch: Path
) -> None:
    rounds: list[tuple[dict[str, Entry], dict[str, Entry]]] = []  # (hello world alone, the mix)
    # Warm-up, not counted: templates and caches on first use of each page.
    parts = options.rounds + 1
    locust_run(
        server.base, ["Citizen", "Staff"], options.users, options.warmup, scratch, env,
        f"{options.rounds}/{parts}",
    )  # fmt: skip
    for number in range(options.rounds):
        half = max(1, options.hello_seconds // 2)
        first = locust_run(server.base, ["Hello"], options.users, half, scratch, env)
        mix = locust_run(
            server.base, ["Citizen", "Staff"], options.users, options.seconds, scratch, env,
            f"{number}/{parts}",
        )  # fmt: skip
        last = locust_run(server.base, ["Hello"], options.users, half, scratch, env)
        hello = Entry(seconds=2 * half)
        for run in (first, last):
            alone = run.get("hello world", Entry())
            hello.requests += alone.requests
            hello.failures += alone.failures
            hello.total_ms += alone.total_ms
            hello.times.update(alone.times)
        mix.pop("Aggregated", None)
        rounds.append(({"hello world": hello}, mix))
        total = sum(e.requests for e in mix.values())
        print(
            f"round {number + 1}/{options.rounds}: hello world alone {hello.rps:,.0f} req/s; "
            f"the mix {total / options.seconds:,.1f} req/s "
            f"({total / options.seconds / max(hello.rps, 1e-9):.3f} of hello world alone); "
            f"load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    names = sorted(
        {n for _h, mix in rounds for n in mix},
        key=lambda n: -sum(mix.get(n, Entry()).requests for _h, mix in rounds),
    )
    print()
    print(
        f"{'endpoint':<22} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
        "  ratio to hello world (min-max)"
    )
    errors = 0
    for name in ["hello world", *names]:
        # (this endpoint's figures, the rate it would have alone, hello world's rate alone)
        runs = [
            (e, options.users / (e.mean_ms / 1000), hello["hello world"].rps)
            for hello, mix in rounds
            if (e := {**mix, **hello}.get(name)) is not None and e.requests
        ]
        times: Counter[int] = Counter()
        for entry, _alone, _hello in runs:
            times.update(entry.times)
        ratios = [1.0] if name == "hello world" else [alone / h for _e, alone, h in runs if h]
        errors += sum(e.failures for e, _a, _h in runs)
        print(
            f"{name:<22} {statistics.median(e.rps for e, _a, _h in runs):7.1f} "
            f"{percentile(times, 0.5):7.0f} {percentile(times, 0.95):7.0f} "
            f"{percentile(times, 0.99):7.0f} {sum(e.failures for e, _a, _h in runs):6d}  "
            f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})"
        )
    print(f"errors in all: {errors}")


def pg_connections(database: str) -> int:
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def process_sample(pid: int) -> tuple[float, float, int]:
    """RSS and PSS (MB) and open files of one process."""
    sizes = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            sizes[key] = int(rest.split()[0]) / 1024
    return sizes["Rss"], sizes["Pss"], sum(1 for _ in Path(f"/proc/{pid}/fd").iterdir())


def soak(options: argparse.Namespace, server: Server, env: dict[str, str], scratch: Path) -> None:
    from django.conf import settings  # noqa: PLC0415

    database = str(settings.DATABASES["default"]["NAME"])
    users = options.users
    env = {**env, "LOADTEST_PACE": str(options.rate / users)}
    command = [
        str(LOCUST), "-f", str(ROOT / "bench/locustfile.py"), "--headless", "--only-summary",
        "-u", str(users), "-r", str(users), "-t", f"{options.soak}s", "--stop-timeout", "10",
        "--host", server.base, "--json-file", str(scratch / "soak"), "--loglevel", "WARNING",
        "--exit-code-on-error", "0", "Citizen", "Staff",
    ]  # fmt: skip
    started = time.monotonic()
    runner = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    samples: list[dict[str, Any]] = []
    with options.csv.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["elapsed_s", "pid", "rss_mb", "pss_mb", "open_files", "pg_connections"])
        while True:
            elapsed = time.monotonic() - started
            connections = pg_connections(database)
            workers = {}
            for pid in server.workers():
                try:
                    workers[pid] = process_sample(pid)
                except (OSError, KeyError):
                    continue  # a worker replaced between the listing and the reading
            for pid, (rss, pss, fds) in workers.items():
                writer.writerow([round(elapsed), pid, f"{rss:.1f}", f"{pss:.1f}", fds, connections])
            handle.flush()
            samples.append({"elapsed": elapsed, "workers": workers, "connections": connections})
            print(
                f"{elapsed:6.0f} s: {len(workers)} workers, RSS "
                f"{sum(w[0] for w in workers.values()):.0f} MB, PSS "
                f"{sum(w[1] for w in workers.values()):.0f} MB, open files "
                f"{sum(w[2] for w in workers.values())}, PostgreSQL connections {connections}",
                flush=True,
            )
            if runner.poll() is not None:
                break
            time.sleep(max(1.0, options.every - (time.monotonic() - started - elapsed)))
    stats = json.loads((scratch / "soak.json").read_text())
    total = next((r for r in stats if r["name"] == "Aggregated"), None) or {
        "num_requests": sum(r["num_requests"] for r in stats),
        "num_failures": sum(r["num_failures"] for r in stats),
    }
    print(
        f"\n{total['num_requests']:,} requests in {options.soak} s "
        f"({total['num_requests'] / options.soak:.1f} req/s), {total['num_failures']} errors"
    )
    for row in stats:
        if row["num_failures"]:
            print(f"  errors: {row['name']}: {row['num_failures']}")
    # Start: the first sample after the warm-up (workers load their modules on first use).
    start = next((s for s in samples if s["elapsed"] >= options.every), samples[0])
    end = samples[-1]

    def figures(sample: dict[str, Any]) -> dict[str, float]:
        workers = sample["workers"].values()
        n = max(1, len(workers))
        return {
            "RSS per worker, MB": sum(w[0] for w in workers) / n,
            "PSS of all workers, MB": sum(w[1] for w in workers),
            "open files per worker": sum(w[2] for w in workers) / n,
            "PostgreSQL connections": sample["connections"],
        }

    first, last = figures(start), figures(end)
    print(f"\n{'':<26} {f'at {start["elapsed"]:.0f} s':>10} {f'at {end["elapsed"]:.0f} s':>10}")
    for key in first:
        grew = last[key] - first[key]
        flat = grew <= max(0.1 * first[key], 2)
        print(f"{key:<26} {first[key]:10.1f} {last[key]:10.1f}  {'flat' if flat else 'GREW'}")
    print(f"worker pids at start {sorted(start['workers'])}, at the end {sorted(end['workers'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slug", default="wangchao")
    parser.add_argument("--users", type=int, default=16, help="locust users in the mix")
    parser.add_argument("--seconds", type=int, default=60, help="the mix, per round")
    parser.add_argument(
        "--hello-seconds", type=int, default=10, help="hello world alone, per round"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--warmup", type=int, default=15, help="seconds of the mix first, not counted"
    )
    parser.add_argument("--soak", type=int, default=0, help="seconds of steady load instead")
    parser.add_argument("--rate", type=float, default=20.0, help="soak: requests per second")
    parser.add_argument("--every", type=int, default=60, help="soak: seconds between samples")
    parser.add_argument("--csv", type=Path, default=Path("soak.csv"), help="soak: the samples")
    parser.add_argument(
        "--gunicorn", nargs=argparse.REMAINDER, default=[],
        help="more gunicorn options, after everything else (e.g. --max-requests 0)",
    )  # fmt: skip
    options = parser.parse_args()
    if "DATABASE_URL" not in os.environ or not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL copy made for this run (it writes).")
    ensure_locust()
    with tempfile.TemporaryDirectory(prefix="onestop-load-") as scratch_dir:
        scratch = Path(scratch_dir)
        env = server_env(scratch / "data", free_port())
        os.environ.update({k: v for k, v in env.items() if k != "ONESTOP_BIND"})
        import django  # noqa: PLC0415

        django.setup()
        data = fixtures(options.slug, options.users)
        (scratch / "fixtures.json").write_text(json.dumps(data))
        locust_env = {**env, "LOADTEST_FIXTURES": str(scratch / "fixtures.json")}
        log = ROOT / "data/loadtest-gunicorn.log"
        log.parent.mkdir(exist_ok=True)
        server = Server(env, log, options.gunicorn)
        try:
            slug = options.slug
            warm = server.warm_up(["/bench/hello/", "/", f"/{slug}/", f"/{slug}/oss/"])
            print(f"workers warm after {warm:.0f} s (first request of each)", flush=True)
            print(
                f"gunicorn: {len(server.workers())} workers (deploy/gunicorn.conf.py "
                f"{' '.join(options.gunicorn)}), {server.base}; {len(data['act_numbers'])} "
                f"submitted requests to act on; load average {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            if options.soak:
                soak(options, server, locust_env, scratch)
            else:
                load_table(options, server, locust_env, scratch)
        finally:
            server.stop()
            shutil.rmtree(scratch / "data", ignore_errors=True)
        print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
