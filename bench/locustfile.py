"""The load scenario for locust: citizens and staff of one organisation, and a hello-world user.

Run by bench/loadtest.py (which installs locust into .tools/locust, starts gunicorn, prepares
the fixtures below and reads locust's JSON results); not imported by the site. Every request
carries an endpoint name (the table's rows); a status other than the expected one is an error.

Fixtures (JSON, path in LOADTEST_FIXTURES), read once, made by loadtest.py from the database:
the organisation's slug, signed-in sessions of its counter officer, a deep inbox cursor, a case
number to read, submitted requests to act on (each taken once, so two users never act on the
same one), (number, last 4 phone digits) pairs to track, the request type and a JPEG photo for
the wizard. LOADTEST_PACE (requests per second per user, 0 = as fast as possible) paces each
user for the soak.
"""

from __future__ import annotations

import base64
import html
import json
import os
import random
import re
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any, cast

from locust import FastHttpUser, constant
from locust import task as locust_task
from requests.cookies import create_cookie

FIXTURES: dict[str, Any] = json.loads(
    open(os.environ["LOADTEST_FIXTURES"], encoding="utf-8").read()  # noqa: PTH123, SIM115
)
SLUG: str = FIXTURES["slug"]
PACE = float(os.environ.get("LOADTEST_PACE", "0"))
# Submitted requests to receive; shared by all users of this process (gevent: popleft is atomic).
# Each locust run of a load run gets its own share (LOADTEST_PART "k/n"), as requests received
# in one run cannot be received again in the next.
_PART, _PARTS = (int(x) for x in os.environ.get("LOADTEST_PART", "0/1").split("/"))
TO_ACT: deque[str] = deque(FIXTURES["act_numbers"][_PART::_PARTS])
PHOTO = base64.b64decode(FIXTURES["photo_b64"])


def task[F: Callable[..., None]](weight: int = 1) -> Callable[[F], F]:
    """locust's `@task(weight)`, typed (locust ships no type information here)."""
    return cast("Callable[[F], F]", locust_task(weight))


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else ""


def multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    """A multipart/form-data body (FastHttpUser has no `files=`), and its content type."""
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Visitor(FastHttpUser):  # type: ignore[misc]
    """Requests with an expected status, paced when LOADTEST_PACE is set."""

    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self._next = time.monotonic()

    def _pace(self) -> None:
        if PACE <= 0:
            return
        self._next = max(self._next + 1 / PACE, time.monotonic() - 1 / PACE)
        delay = self._next - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # gevent-patched: yields to the other users

    def call(
        self,
        name: str,
        path: str,
        *,
        method: str = "GET",
        data: dict[str, str] | bytes | None = None,
        headers: dict[str, str] | None = None,
        expect: int = 200,
    ) -> str:
        self._pace()
        with self.client.request(
            method, path, name=name, data=data, headers=headers, allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != expect:
                response.failure(f"status {response.status_code}, expected {expect}")
                return ""
            response.success()
            return str(response.text or "")

    def post(self, name: str, path: str, page: str, fields: dict[str, str], **kw: Any) -> str:
        token = CSRF.search(page)
        form = {"csrfmiddlewaretoken": token.group(1) if token else "", **fields}
        return self.call(name, path, method="POST", data=form, expect=302, **kw)


class Hello(Visitor):
    """The yardstick: Django's hello world through every middleware (bench/urls.py), run alone
    before and after each round's mix."""

    @task()
    def hello(self) -> None:
        self.call("hello world", "/bench/hello/")


class Citizen(Visitor):
    weight = 3

    @task(4)
    def browse(self) -> None:
        self.call("home", "/")
        self.call("home search", "/?q=%E0%B8%A7%E0%B8%B1%E0%B8%87")  # "วัง"
        self.call("organisation", f"/{SLUG}/")
        self.call("OSS centre", f"/{SLUG}/oss/")

    @task(3)
    def track(self) -> None:
        number, digits = random.choice(FIXTURES["tracking"])
        page = self.call("tracking form", f"/{SLUG}/track/")
        self.post("tracking check", f"/{SLUG}/track/", page, {"number": number, "digits": digits})
        self.call("status page", f"/{SLUG}/track/status/")

    @task(1)
    def wizard(self) -> None:
        """A request with a photo, from the first step to the done page (a new session each)."""
        self.client.cookiejar.clear()
        base = f"/{SLUG}/request/"
        page = self.call("wizard details", base)
        self.post("wizard details post", base, page, {
            "request_type": str(FIXTURES["request_type"]), "subject": "ไฟฟ้าดับหน้าบ้าน",
            "details": "ไฟส่องสว่างหน้าบ้านดับมา 3 คืน ทดสอบโหลด", "title": "นาย",
            "first_name": "สมชาย", "last_name": "ใจดี", "national_id": FIXTURES["national_id"],
            "phone": "0812345678", "privacy": "on",
        })  # fmt: skip
        page = self.call("wizard place", f"{base}place/")
        self.post("wizard place post", f"{base}place/", page, {
            "house_no": "12", "subdistrict": "นาโบสถ์", "district": "วังเจ้า", "province": "ตาก",
            "postcode": "63180", "action": "next",
        })  # fmt: skip
        page = self.call("wizard documents", f"{base}documents/")
        token = CSRF.search(page)
        body, content_type = multipart(
            {"csrfmiddlewaretoken": token.group(1) if token else "", "action": "next"},
            {"documents": ("photo.jpg", PHOTO, "image/jpeg")},
        )
        self.call(
            "wizard photo upload", f"{base}documents/", method="POST", data=body,
            headers={"Content-Type": content_type}, expect=302,
        )  # fmt: skip
        self.call("wizard review", f"{base}review/")
        page = self.call("wizard confirm", f"{base}confirm/")
        self.post(
            "wizard submit", f"{base}confirm/", page,
            {"submission_key": hidden(page, "submission_key")},
        )  # fmt: skip
        self.call("wizard done", f"{base}done/")


class Staff(Visitor):
    """The organisation's counter officer, signed in (second factor done) by loadtest.py."""

    weight = 1

    def on_start(self) -> None:
        super().on_start()
        name, value = random.choice(FIXTURES["staff_sessions"])
        self.client.cookiejar.clear()
        host = self.host.split("//", 1)[-1].split(":")[0]
        self.client.cookiejar.set_cookie(create_cookie(name, value, domain=host, path="/"))
        self.headers: dict[str, str] = {}
        self.csrf = ""

    def get(self, name: str, path: str) -> str:
        page = self.call(name, path, headers=self.headers)
        if token := CSRF.search(page):
            self.csrf = token.group(1)
        return page

    def act(self, number: str, action: str, fields: dict[str, str]) -> None:
        page = self.get("case page", f"/staff/{SLUG}/cases/{number}/")
        version = hidden(page, f"{action}-version")
        self.call(
            f"case action {action}", f"/staff/{SLUG}/cases/{number}/act/{action}/",
            method="POST", headers=self.headers, expect=302,
            data={"csrfmiddlewaretoken": self.csrf, f"{action}-version": version, **fields},
        )  # fmt: skip

    @task(4)
    def inbox(self) -> None:
        self.get("inbox default tab", f"/staff/{SLUG}/")
        self.get("inbox tab new", f"/staff/{SLUG}/?tab=new")
        self.get("inbox tab overdue", f"/staff/{SLUG}/?tab=overdue")
        self.get(
            "inbox search",
            f"/staff/{SLUG}/?tab=all&q=%E0%B9%84%E0%B8%9F%E0%B8%9F%E0%B9%89%E0%B8%B2",
        )
        self.get("inbox deep page", f"/staff/{SLUG}/?{FIXTURES['deep_query']}")

    @task(2)
    def case(self) -> None:
        self.get("case page", f"/staff/{SLUG}/cases/{random.choice(FIXTURES['case_numbers'])}/")

    @task(1)
    def actions(self) -> None:
        """Receive a submitted request, write a progress note, assign it to a department."""
        if not self.csrf:
            self.get("inbox default tab", f"/staff/{SLUG}/")
        if not TO_ACT:
            return  # every prepared request has been acted on (said in the table's header)
        number = TO_ACT.popleft()
        self.act(number, "receive", {"receive-public_message": ""})
        self.act(number, "note", {"note-internal_note": "ทดสอบโหลด: บันทึกความคืบหน้า"})
        self.act(number, "assign", {"assign-department": str(FIXTURES["department"])})
