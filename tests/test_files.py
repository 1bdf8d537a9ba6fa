"""Files when things go wrong: a disk filling up, a database refusing or going away during an
upload or a submit. The citizen gets a clear page with everything entered kept, and no file
(an ID-card photo, say) is left behind, whole or half written."""

from __future__ import annotations

import errno
import io
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client

from onestop.cases import services
from onestop.cases.models import Attachment, Case
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import PNG, id_card_file, sign_in
from tests.conftest import Staff
from tests.factories import make_case, request_type, valid_national_id
from tests.uploadfiles import jpeg_bytes, png_bytes, upload
from tests.wizard import (
    confirm,
    fill_details,
    fill_documents,
    fill_place,
    submission_key,
    to_review,
    url,
    wizard_state,
)

pytestmark = pytest.mark.django_db


def media_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@pytest.fixture
def fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """From the `after`-th file on, the real write runs out of space half way: the first
    100 bytes reach the disk, then ENOSPC (what Django's storage leaves is a partial file)."""

    def start(after: int = 0) -> None:
        # Private in the stubs: the fault is injected right where the bytes are written.
        real_save: Callable[[FileSystemStorage, str, File[bytes]], str]
        real_save = FileSystemStorage._save  # type: ignore[attr-defined]
        saved = []

        class FillsUp(File[bytes]):
            def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
                yield self.read(100)
                raise OSError(errno.ENOSPC, "No space left on device")

        def save(storage: FileSystemStorage, name: str, content: File[bytes]) -> str:
            saved.append(name)
            if len(saved) <= after:
                return real_save(storage, name, content)
            return real_save(storage, name, FillsUp(io.BytesIO(content.read()), name))

        monkeypatch.setattr(FileSystemStorage, "_save", save)

    return start


def _to_documents(client: Client, organisation: Organisation) -> None:
    fill_details(client, organisation)
    fill_place(client, organisation)


# -- the disk fills up ---------------------------------------------------------------------------
def test_a_full_disk_at_the_documents_step_shows_a_507_page_and_keeps_what_was_entered(
    client: Client, org_a: Organisation, fill_the_disk: Callable[..., None]
) -> None:
    _to_documents(client, org_a)
    fill_documents(client, org_a, upload("แรก.jpg", jpeg_bytes()), action="add")
    before = media_files()
    fill_the_disk()
    response = client.post(
        url(org_a, "documents"),
        {"action": "add", "documents": [upload("ไฟดับ.jpg", jpeg_bytes()),
                                        upload("เสา.png", png_bytes(alpha=True))]},
    )  # fmt: skip
    assert response.status_code == 507
    page = response.content.decode()
    assert "พื้นที่เก็บไฟล์ของระบบเต็มชั่วคราว" in page
    assert "ข้อมูลที่ท่านกรอกไว้ยังอยู่ครบ" in page
    assert f'href="{url(org_a, "documents")}"' in page
    assert media_files() == before  # no partial file, nothing else written either
    files = wizard_state(client, org_a)["files"]
    assert [f["name"] for f in files] == ["แรก.jpg"]
    documents = client.get(url(org_a, "documents")).content.decode()
    assert "แรก.jpg" in documents and "ไฟดับ.jpg" not in documents
    assert "แจ้งไฟฟ้าดับ" in client.get(url(org_a)).content.decode()  # step 1 still filled


def test_the_full_disk_page_is_in_english_for_an_english_reader(
    client: Client, org_a: Organisation, fill_the_disk: Callable[..., None]
) -> None:
    _to_documents(client, org_a)
    client.cookies["django_language"] = "en"
    fill_the_disk()
    response = client.post(
        url(org_a, "documents"), {"action": "add", "documents": [upload("a.jpg", jpeg_bytes())]}
    )
    assert response.status_code == 507
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "storage is full" in page
    assert "still here" in page


def test_a_full_disk_while_filing_shows_a_507_page_leaves_no_file_and_a_retry_files_it(
    client: Client, org_a: Organisation, fill_the_disk: Callable[..., None]
) -> None:
    to_review(client, org_a)
    fill_documents(client, org_a, upload("เสา.jpg", jpeg_bytes()))
    before = media_files()
    fill_the_disk(after=1)  # the first of the two files is written, the second fills the disk
    response = confirm(client, org_a)
    assert response.status_code == 507
    assert "พื้นที่เก็บไฟล์ของระบบเต็มชั่วคราว" in response.content.decode()
    assert media_files() == before
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0
    assert len(wizard_state(client, org_a)["files"]) == 2
    assert "แจ้งไฟฟ้าดับ" in client.get(url(org_a, "review")).content.decode()


def test_a_full_disk_at_the_counter_keeps_the_form_filled_in_and_leaves_no_file(
    client: Client, org_a: Organisation, staff_a: Staff, fill_the_disk: Callable[..., None]
) -> None:
    signed_in = sign_in(client, staff_a.counter)
    before = media_files()
    fill_the_disk()
    response = signed_in.post(
        "/staff/wangchao/new/",
        {
            "channel": "counter", "request_type": request_type(org_a, "street-light").pk,
            "subject": "ไฟฟ้าดับหน้าตลาด", "details": "ไฟดับสามต้นติดกัน", "title": "นาย",
            "first_name": "สมชาย", "last_name": "ใจดี", "national_id": valid_national_id(),
            "phone": "081-234-5678", "email": "", "house_no": "", "village_no": "3",
            "village": "", "soi": "", "road": "", "subdistrict": "", "landmark": "",
            "submission_key": "key-1", "id_card": upload("บัตร.png", PNG),
        },
    )  # fmt: skip
    page = response.content.decode()
    # The counter answers with its form filled in, and 507 like the wizard.
    assert response.status_code == 507
    assert "พื้นที่เก็บไฟล์ของระบบเต็มชั่วคราว" in page
    assert 'value="ไฟฟ้าดับหน้าตลาด"' in page and 'value="สมชาย"' in page
    assert media_files() == before
    assert Case.objects.count() == 0


# -- a submit that fails after files were written --------------------------------------------------
def refuse_attachment_insert(number: int) -> Callable[..., Any]:
    """A database wrapper that refuses the `number`-th insert of a file row."""
    seen = []

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        if sql.startswith("INSERT") and "cases_attachment" in sql:
            seen.append(sql)
            if len(seen) == number:
                raise OperationalError("the database refused the insert")
        return execute(sql, params, many, context)

    return wrapper


def test_a_database_refusing_the_last_file_row_leaves_no_file_behind(
    client: Client, org_a: Organisation
) -> None:
    to_review(client, org_a)
    fill_documents(client, org_a, upload("เสา.jpg", jpeg_bytes()))
    before = media_files()
    with connection.execute_wrapper(refuse_attachment_insert(2)):
        response = confirm(client, org_a)
    assert response.status_code == 503
    assert media_files() == before  # the first file (its row rolled back) is gone too
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0
    assert confirm(client, org_a)["Location"] == url(org_a, "done")  # a retry files it whole
    assert Attachment.objects.count() == 2
    assert all(Path(a.file.path).is_file() for a in Attachment.objects.all())


def test_an_exception_after_the_files_were_written_leaves_no_file_behind(
    client: Client, org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    to_review(client, org_a)
    fill_documents(client, org_a, upload("เสา.jpg", jpeg_bytes()))
    before = media_files()
    real_add = services.attachment_add
    added: list[Attachment] = []

    def add_then_fail(**kwargs: Any) -> Attachment:
        added.append(real_add(**kwargs))
        if len(added) == 2:
            raise RuntimeError("something failed after the last file was stored")
        return added[-1]

    monkeypatch.setattr(services.submit, "attachment_add", add_then_fail)
    with pytest.raises(RuntimeError):
        confirm(client, org_a)
    assert len(added) == 2  # both files had been written...
    assert media_files() == before  # ...and neither is left
    assert Case.objects.count() == 0


# -- the database goes away during an upload ------------------------------------------------
def database_dies_mid_request() -> Callable[..., Any]:
    """The session is read (by the middleware), then every query fails: the connection is gone.
    (Gone before that, the accounts middleware fails before any wizard code runs.)"""
    seen: list[str] = []

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        seen.append(sql)
        if len(seen) > 1 or "django_session" not in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


def session_save_fails() -> Callable[..., Any]:
    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        if "django_session" in sql and sql.startswith(("UPDATE", "INSERT")):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.parametrize(
    "outage", [session_save_fails, database_dies_mid_request], ids=["at-the-save", "mid-request"]
)
def test_a_database_outage_at_the_upload_step_shows_a_503_page_and_keeps_the_entries(
    client: Client, org_a: Organisation, outage: Callable[..., Any]
) -> None:
    _to_documents(client, org_a)
    fill_documents(client, org_a, upload("แรก.jpg", jpeg_bytes()), action="add")
    before = media_files()
    with connection.execute_wrapper(outage()):
        response = client.post(
            url(org_a, "documents"),
            {"action": "add", "documents": [upload("ไฟดับ.jpg", jpeg_bytes())]},
        )
    assert response.status_code == 503
    page = response.content.decode()
    assert "ระบบขัดข้องชั่วคราว" in page and "ข้อมูลที่ท่านกรอกไว้ยังอยู่ครบ" in page
    assert f'href="{url(org_a, "documents")}"' in page
    assert media_files() == before  # what this post staged is not left lying around
    assert [f["name"] for f in wizard_state(client, org_a)["files"]] == ["แรก.jpg"]
    assert "แจ้งไฟฟ้าดับ" in client.get(url(org_a)).content.decode()


def test_a_database_outage_at_the_confirm_step_shows_a_503_page_and_keeps_the_entries(
    client: Client, org_a: Organisation
) -> None:
    to_review(client, org_a)
    key = submission_key(client, org_a)
    with connection.execute_wrapper(database_dies_mid_request()):
        response = confirm(client, org_a, key)
    assert response.status_code == 503
    assert 'href="/wangchao/request/review/"' in response.content.decode()
    assert Case.objects.count() == 0
    assert confirm(client, org_a)["Location"] == url(org_a, "done")


# -- the daily sweep ----------------------------------------------------------------------------
def _file(relative: str, *, hours_old: float) -> Path:
    path = Path(settings.MEDIA_ROOT, relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8\xff an ID-card photo")
    when = time.time() - hours_old * 3600
    os.utime(path, (when, when))
    return path


def test_the_sweep_removes_unreferenced_and_expired_files_and_nothing_else(
    org_a: Organisation,
) -> None:
    case = make_case(org_a, files=(id_card_file(),))
    kept = Path(case.attachments.get().file.path)
    os.utime(kept, (time.time() - 3 * 86400,) * 2)  # old, but a request refers to it
    orphan = _file(f"cases/{org_a.pk}/orphan.jpg", hours_old=3)
    loose = _file("cases/loose.jpg", hours_old=3)
    nested = _file(f"cases/{org_a.pk}/old/deeper.pdf", hours_old=3)
    being_written = _file(f"cases/{org_a.pk}/being-written.jpg", hours_old=0.1)
    expired_staged = _file("eservice-staging/sweep-test/old.jpg", hours_old=24 * 3)
    current_staged = _file("eservice-staging/sweep-test/today.jpg", hours_old=1)

    out = io.StringIO()
    call_command("files_sweep", stdout=out)

    assert not orphan.exists() and not loose.exists() and not nested.exists()
    assert not expired_staged.exists()
    assert kept.exists() and being_written.exists() and current_staged.exists()
    assert f"deleted cases/{org_a.pk}/orphan.jpg" in out.getvalue()
    out = io.StringIO()
    call_command("files_sweep", stdout=out)  # again: nothing more to do
    assert "0 unreferenced request file(s), 0 expired staged file(s) deleted" in out.getvalue()
    assert kept.exists() and being_written.exists() and current_staged.exists()


def test_a_request_filed_while_the_sweep_runs_keeps_its_files(org_a: Organisation) -> None:
    """The sweep reads the names before the request commits: the grace period saves them."""
    case = make_case(org_a, files=(id_card_file(),))
    path = Path(case.attachments.get().file.path)
    Attachment.objects.filter(case=case).delete()  # as the sweep saw it: no row yet
    call_command("files_sweep", stdout=io.StringIO())
    assert path.exists()
