"""Does an attack on the tracking form from one address slow other citizens' tracking?

A citizen checks results correctly (right number, right phone digits), each attempt from another
address, while an attacker posts wrong digits for random request numbers from one address over
`--attackers` keep-alive connections. Both go through gunicorn (production settings, 4 workers x
4 threads unless WEB_CONCURRENCY/GUNICORN_THREADS say otherwise), started by this script behind
a pretend proxy: `ONESTOP_TRUSTED_PROXY_COUNT=1`, so the client address is read from
X-Forwarded-For, as `onestop.core.net.client_ip` does behind deploy/Caddyfile. Phases "quiet"
(citizen alone), "busy" (the same connections from one address only reading the form:
ordinary load of the same volume, the yardstick) and "attack" alternate for `--rounds`; the
citizen's p50/p99 in each, and the attacker's rate and statuses (200: "not found", 429:
refused while locked), are printed.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_track DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo   # once
    .venv/bin/python bench/bench_tracking_attack.py --seconds 10 --rounds 2

`--app-dir DIR` serves another checkout of the code (e.g. `git archive main | tar -x -C DIR`) to
compare before and after with the same script. The throttle table is emptied before each phase
(so write only to a database of your own)."""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # its neighbours: serve.py

from serve import free_port, serve  # noqa: E402

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ATTACKER = "203.0.113.66"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, latency: float, status: int) -> None:
        self.latencies.append(latency)
        self.statuses[status] = self.statuses.get(status, 0) + 1


def cases(slug: str, count: int) -> list[tuple[str, str]]:
    """(number as typed, the phone's last four digits) of some requests of the organisation."""
    import django  # noqa: PLC0415

    django.setup()
    from onestop.cases.models import Case  # noqa: PLC0415

    found = Case.objects.filter(organisation__slug=slug).exclude(phone="").order_by("-pk")[:count]
    return [(case.display_number, case.phone[-4:]) for case in found]


def reset_throttle() -> None:
    from onestop.tracking.models import TrackingThrottle  # noqa: PLC0415

    TrackingThrottle.objects.all().delete()


class Browser:
    """One keep-alive connection with its own cookies (CSRF token, session)."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.token = ""

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]

    def prepare(self, address: str) -> None:
        for _try in range(5):  # a busy machine: the first page of a cold worker may time out
            try:
                self._prepare(address)
                return
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        raise SystemExit(f"{self.path} did not answer")

    def _prepare(self, address: str) -> None:
        self.conn.request(
            "GET", self.path, headers={"Cookie": self._cookie_header(), "X-Forwarded-For": address}
        )
        response = self.conn.getresponse()
        body = response.read()
        self._keep_cookies(response)
        match = CSRF.search(body)
        assert match, f"no CSRF token on {self.path} ({response.status})"
        self.token = match.group(1).decode()

    def post(self, address: str, number: str, digits: str) -> int:
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.token, "number": number, "digits": digits}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": self._cookie_header(),
            "X-Forwarded-For": address,
        }
        try:
            self.conn.request("POST", self.path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0
        self._keep_cookies(response)
        return response.status


def citizen(port: int, path: str, known: list[tuple[str, str]], *, stop: threading.Event,
            tally: Tally, seed: int) -> None:  # fmt: skip
    rng = random.Random(seed)
    browser = Browser(port, path)
    browser.prepare(f"10.{seed}.0.1")
    n = 0
    while not stop.is_set():
        n += 1
        address = f"10.{seed}.{n // 250 % 250}.{n % 250 + 1}"  # another citizen each time
        number, digits = rng.choice(known)
        t0 = time.perf_counter()
        status = browser.post(address, number, digits)
        tally.add(time.perf_counter() - t0, status)
        for name in [n for n in browser.cookies if "session" in n]:
            del browser.cookies[name]  # the next citizen has no session yet


def attacker(port: int, path: str, known: list[tuple[str, str]], *, stop: threading.Event,
             tally: Tally, seed: int, guess: bool = True) -> None:  # fmt: skip
    """Wrong digits for random numbers (`guess`), or, as the yardstick, the same connections
    only reading the tracking form (ordinary load of the same volume)."""
    rng = random.Random(seed)
    browser = Browser(port, path)
    browser.prepare(ATTACKER)
    while not guess and not stop.is_set():
        t0 = time.perf_counter()
        browser.prepare(ATTACKER)
        tally.add(time.perf_counter() - t0, 200)
    while not stop.is_set():
        number, _digits = rng.choice(known)
        t0 = time.perf_counter()
        status = browser.post(ATTACKER, number, f"{rng.randrange(10000):04d}")
        tally.add(time.perf_counter() - t0, status)


def phase(port: int, path: str, known: list[tuple[str, str]], *, seconds: float, citizens: int,
          attackers: int, guess: bool = True) -> tuple[Tally, Tally]:  # fmt: skip
    reset_throttle()
    stop = threading.Event()
    mine, theirs = Tally(), Tally()
    threads = [
        threading.Thread(
            target=citizen,
            args=(port, path, known),
            kwargs={"stop": stop, "tally": mine, "seed": i + 1},
        )
        for i in range(citizens)
    ] + [
        threading.Thread(
            target=attacker,
            args=(port, path, known),
            kwargs={"stop": stop, "tally": theirs, "seed": 100 + i, "guess": guess},
        )
        for i in range(attackers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    mine.seconds = theirs.seconds = time.perf_counter() - started
    return mine, theirs


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000 if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slug", default="wangchao")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--citizens", type=int, default=2, help="citizen connections")
    parser.add_argument("--attackers", type=int, default=16, help="attacker connections")
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    options = parser.parse_args()
    known = cases(options.slug, 50)
    assert known, "no requests with a phone number: run load_demo first"
    port = free_port()
    path = f"/{options.slug}/track/"
    server = serve(
        port, app_dir=options.app_dir.resolve(), env={"ONESTOP_TRUSTED_PROXY_COUNT": "1"}
    )
    results: dict[str, list[Tally]] = {"quiet": [], "busy": [], "attack": []}
    attacks: list[Tally] = []
    try:
        phase(port, path, known, seconds=10, citizens=8, attackers=0)  # warm every worker
        for round_no in range(options.rounds):
            for name in ("quiet", "busy", "attack"):
                attackers = options.attackers if name != "quiet" else 0
                mine, theirs = phase(
                    port, path, known,
                    seconds=options.seconds, citizens=options.citizens, attackers=attackers,
                    guess=name == "attack",
                )  # fmt: skip
                results[name].append(mine)
                if attackers:
                    attacks.append(theirs)
                print(
                    f"round {round_no + 1} {name:<6} citizen n={len(mine.latencies):<5} "
                    f"p50 {pct(mine.latencies, 0.5):6.1f} ms  "
                    f"p99 {pct(mine.latencies, 0.99):7.1f} ms"
                    f"  statuses {mine.statuses}"
                    + (
                        f" | attacker {len(theirs.latencies) / theirs.seconds:,.0f} req/s "
                        f"p50 {pct(theirs.latencies, 0.5):6.1f} ms statuses {theirs.statuses}"
                        if attackers else ""
                    ),
                    flush=True,
                )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()
    print(f"citizen tracking (correct digits, 302 expected), {options.citizens} connections; "
          f"attacker: {options.attackers} connections from one address")  # fmt: skip
    for name, tallies in results.items():
        p50 = [pct(t.latencies, 0.5) for t in tallies]
        p99 = [pct(t.latencies, 0.99) for t in tallies]
        rate = [len(t.latencies) / t.seconds for t in tallies]
        print(
            f"  {name:<6} p50 {statistics.median(p50):6.1f} ms ({min(p50):.1f}-{max(p50):.1f})"
            f"  p99 {statistics.median(p99):7.1f} ms ({min(p99):.1f}-{max(p99):.1f})"
            f"  {statistics.median(rate):6.1f} req/s"
        )
    wrong = [s for t in results["quiet"] + results["attack"] for s in t.statuses if s != 302]
    if wrong:
        print(f"  citizen statuses other than 302 seen: {sorted(set(wrong))}")


if __name__ == "__main__":
    main()
