"""Two app servers, one PostgreSQL, one S3-compatible object store (moto's server, started by
the test): a citizen begins the wizard on one server and finishes it on the other, the uploaded
photo lands in the bucket (not on either server's disk), tracking's lock counts attempts made on
both, and an officer signed in on one works the request on the other and downloads its file.
Nothing is kept in a process: sessions, rate limits and files are shared."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import psycopg
import pytest
from django.db import connection

from tests.factories import valid_national_id
from tests.uploadfiles import jpeg_bytes

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]
ROOT = Path(__file__).resolve().parent.parent
BUCKET = "onestop-files"
PHONE = "0812345678"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Platform:
    a: str
    b: str
    s3: Any
    media_roots: list[Path]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    from moto.server import ThreadedMotoServer  # noqa: PLC0415 (only this test needs it)

    s3_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port)
    moto.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    s3 = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    s3.create_bucket(Bucket=BUCKET)

    params = connection.settings_dict
    server = f"postgresql://{params['USER']}@{params['HOST']}:{params['PORT']}"
    name = f"onestop_two_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = tmp_path_factory.mktemp("two-servers")
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1",
        "SECRET_KEY": "two-servers", "ONESTOP_DATA_KEY": "two-servers-data-key",
        "EMAIL_URL": "memory://", "DATABASE_URL": f"{server}/{name}",
        "ONESTOP_S3_BUCKET": BUCKET, "ONESTOP_S3_ENDPOINT_URL": endpoint,
        "ONESTOP_S3_REGION": "us-east-1", "ONESTOP_S3_ACCESS_KEY_ID": "test",
        "ONESTOP_S3_SECRET_ACCESS_KEY": "test", "ONESTOP_MAP_TILES_URL": "",
    }  # fmt: skip
    for command in (["migrate", "--noinput"], ["createcachetable"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, check=True, timeout=300,
            env={**env, "ONESTOP_DATA_DIR": str(base / "setup")}, capture_output=True,
        )  # fmt: skip
    processes, urls, media_roots = [], [], []
    for label in ("a", "b"):
        port = free_port()
        data = base / label
        media_roots.append(data / "media")
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "2",
                ],
                cwd=ROOT,
                env={**env, "ONESTOP_DATA_DIR": str(data)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            _wait_until_up(url)
        yield Platform(a=urls[0], b=urls[1], s3=s3, media_roots=media_roots)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        moto.stop()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health/ready", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture
def browser(platform: Platform) -> Iterator[Any]:
    """One visitor's HTTP client (cookies shared by both servers: same host, other port)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        context = playwright.request.new_context()
        yield context
        context.dispose()


def csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page has a form"
    return match.group(1)


def post(client: Any, url: str, form: dict[str, Any], page: str) -> Any:
    token = csrf(client.get(page).text())
    return client.post(url, form={"csrfmiddlewaretoken": token, **form}, max_redirects=0)


def test_a_request_begun_on_one_server_is_finished_on_the_other(
    platform: Platform, browser: Any
) -> None:
    a, b = f"{platform.a}/wangchao/request", f"{platform.b}/wangchao/request"
    first = browser.get(f"{a}/")
    types = {
        label.strip(): pk
        for pk, label in re.findall(
            r'name="request_type" value="(\d+)"[^>]*>\s*<label[^>]*>([^<]+)<', first.text()
        )
    }
    street_light = next(pk for label, pk in types.items() if "ไฟ" in label)  # not confidential
    details = {
        "request_type": street_light, "subject": "ไฟฟ้าดับหน้าวัด",
        "details": "ไฟส่องสว่างดับมาสามคืน", "title": "นาง", "first_name": "มาลี",
        "last_name": "ศรีสุข", "national_id": valid_national_id(), "phone": PHONE, "email": "",
        "privacy": "on",
    }  # fmt: skip
    filed = post(browser, f"{a}/", details, f"{a}/")
    assert filed.status == 302, re.findall(r'class="error[^"]*"[^>]*>([^<]+)', filed.text())
    place = {"house_no": "12/3", "village_no": "4", "road": "พหลโยธิน", "subdistrict": "เชียงทอง",
             "district": "วังเจ้า", "province": "ตาก", "postcode": "", "landmark": "หน้าวัด",
             "action": "next"}  # fmt: skip
    assert post(browser, f"{b}/place/", place, f"{b}/place/").status == 302  # the other server
    token = csrf(browser.get(f"{a}/documents/").text())
    uploaded = browser.post(
        f"{a}/documents/", max_redirects=0,
        multipart={"csrfmiddlewaretoken": token, "action": "next",
                   "documents": {"name": "ไฟดับ.jpg", "mimeType": "image/jpeg",
                                 "buffer": jpeg_bytes()}},
    )  # fmt: skip
    assert uploaded.status == 302
    review = browser.get(f"{b}/review/").text()
    key = re.search(r'name="submission_key" value="([^"]+)"', review)
    assert key and "ไฟฟ้าดับหน้าวัด" in review
    done = post(browser, f"{a}/confirm/", {"submission_key": key.group(1)}, f"{b}/review/")
    assert done.status == 302
    number = re.search(r"\d{2}-\d{5}-\d{5}-\d", browser.get(f"{b}/done/").text())
    assert number, "the done page on the other server shows the number"

    # The photo is in the bucket, under the request's folder; neither server wrote it to disk.
    keys = [item["Key"] for item in platform.s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(key.startswith("cases/") and key.endswith(".jpg") for key in keys), keys
    for media in platform.media_roots:
        assert not media.exists() or not any(media.rglob("*.jpg"))

    # The counter clerk signs in on one server and works the request on the other.
    login = f"{platform.a}/staff/login/"
    credentials = {"username": "wangchao-counter", "password": "onestop-demo-2569"}
    assert post(browser, login, credentials, login).status == 302
    digits = number.group(0).replace("-", "")
    page_url = f"{platform.b}/staff/wangchao/cases/{digits}/"
    case_page = browser.get(page_url).text()
    assert "ไฟฟ้าดับหน้าวัด" in case_page
    form = case_page.split("/act/receive/")[1].split("</form>")[0]
    version = re.search(r'name="([\w-]*version)" value="(\d+)"', form)
    assert version, form
    receive = f"{platform.a}/staff/wangchao/cases/{digits}/act/receive/"
    assert post(browser, receive, {version.group(1): version.group(2)}, page_url).status == 302
    assert "/act/receive/" not in browser.get(page_url).text()  # received: no longer offered
    file_link = re.search(r'href="(/staff/wangchao/cases/\d+/files/\d+/)"', case_page)
    assert file_link
    photo = browser.get(f"{platform.a}{file_link.group(1)}")
    assert photo.status == 200 and photo.body()[:2] == b"\xff\xd8"  # a JPEG, from the bucket


def test_tracking_lock_counts_attempts_on_both_servers(platform: Platform, browser: Any) -> None:
    from onestop.cases.numbering import display, generate  # noqa: PLC0415

    number = display(generate(2569))
    # Four wrong attempts, two on each server: each alone has seen only two, under the limit.
    for attempt in range(4):
        server = platform.a if attempt % 2 else platform.b
        url = f"{server}/wangchao/track/"
        response = post(browser, url, {"number": number, "digits": "0000"}, url)
        assert response.status == 200
        assert "ไม่พบคำร้อง" in response.text()
    # The fifth, on either server, meets the shared lock (5 per number, README).
    for server in (platform.a, platform.b):
        url = f"{server}/wangchao/track/"
        locked = post(browser, url, {"number": number, "digits": "0000"}, url)
        assert locked.status == 429
        assert "ระบบหยุดรับการตรวจสอบนี้ชั่วคราว" in locked.text()
