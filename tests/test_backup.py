"""Backup and restore drill: requests with files and ID-card photos are backed up, restored into
an empty database and an empty storage by a separate process (as on a new machine), and every
request, file hash and decrypted national ID comes back. A wrong key, a cut or altered archive
and a non-empty target are refused with a clear message, and change nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from onestop.cases.models import AttachmentKind
from onestop.cases.services import By, NewFile, case_move
from onestop.cases.workflow import Move
from onestop.organisations.models import Organisation
from tests.backup_snapshot import snapshot
from tests.conftest import Staff
from tests.factories import make_case
from tests.uploadfiles import jpeg_bytes, pdf_bytes

ROOT = Path(__file__).resolve().parent.parent
KEY = "a backup key kept in the safe"
WITH_KEY = override_settings(ONESTOP_BACKUP_KEY=KEY)


@pytest.fixture
def requests_with_files(org_a: Organisation, staff_a: Staff) -> None:
    photo = NewFile(jpeg_bytes(), "บัตร.jpg", "image/jpeg", "jpg", AttachmentKind.ID_CARD)
    document = NewFile(pdf_bytes(), "โฉนด.pdf", "application/pdf", "pdf")
    first = make_case(org_a, subject="ถนนชำรุดหน้าวัด", files=(photo, document))
    case_move(case=first, move=Move.RECEIVE, by=By.staff(staff_a.officer))
    make_case(org_a, subject="ขอใบอนุญาต", national_id=None, phone="0898765432")


@pytest.fixture
def empty_target(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a new machine: an empty database and an empty file storage."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "restore-drill",
        "ONESTOP_DATA_KEY": ",".join(settings.ONESTOP_DATA_KEYS),
        "ONESTOP_BACKUP_KEY": KEY,
        "EMAIL_URL": "memory://",
        "ONESTOP_DATA_DIR": str(tmp_path / "data"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "0",
    }
    if connection.vendor == "postgresql":
        name = f"onestop_restore_{uuid.uuid4().hex[:8]}"
        params = connection.settings_dict
        admin = f"postgresql://{params['USER']}@{params['HOST']}:{params['PORT']}/postgres"
        with psycopg.connect(admin, autocommit=True) as server:
            server.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/" + name
        yield env
        with psycopg.connect(admin, autocommit=True) as server:
            server.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        yield env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip


def restored_snapshot(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import django, json; django.setup(); "
        "from tests.backup_snapshot import snapshot; print(json.dumps(snapshot()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@WITH_KEY
def test_a_backup_restores_every_request_file_and_id_on_a_new_machine(
    requests_with_files: None, empty_target: dict[str, str], tmp_path: Path
) -> None:
    archive = tmp_path / "onestop.backup"
    call_command("backup", str(archive))
    before = snapshot()
    assert len(before["cases"]) >= 2
    assert any(case["attachments"] for case in before["cases"])
    # Nothing readable in the archive: no subject, no ID number, no file content.
    raw = archive.read_bytes()
    for case in before["cases"]:
        assert case["subject"].encode() not in raw
        assert case["national_id"].encode() not in raw
    assert b"JFIF" not in raw and b"%PDF" not in raw

    restored = manage(empty_target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "restored" in restored.stdout
    assert restored_snapshot(empty_target) == json.loads(json.dumps(before))


@WITH_KEY
def test_a_restore_into_a_database_that_holds_data_is_refused(
    requests_with_files: None, tmp_path: Path
) -> None:
    archive = tmp_path / "onestop.backup"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_without_a_backup_key_nothing_is_written(requests_with_files: None, tmp_path: Path) -> None:
    archive = tmp_path / "onestop.backup"
    with pytest.raises(CommandError, match="ONESTOP_BACKUP_KEY is not set"):
        call_command("backup", str(archive))
    assert list(tmp_path.iterdir()) == []


@WITH_KEY
def test_an_existing_archive_is_never_overwritten(
    requests_with_files: None, tmp_path: Path
) -> None:
    archive = tmp_path / "onestop.backup"
    archive.write_bytes(b"last week's backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(archive))
    assert archive.read_bytes() == b"last week's backup"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("wrong key", "wrong ONESTOP_BACKUP_KEY"),
        ("cut", "incomplete"),
        ("altered", "wrong ONESTOP_BACKUP_KEY, or the file was altered"),
        ("not a backup", "not a OneStop backup"),
    ],
)
def test_a_damaged_archive_or_a_wrong_key_restores_nothing(
    requests_with_files: None, empty_target: dict[str, str], tmp_path: Path, damage: str,
    message: str,
) -> None:  # fmt: skip
    archive = tmp_path / "onestop.backup"
    with override_settings(ONESTOP_BACKUP_KEY=KEY):
        call_command("backup", str(archive))
    data = bytearray(archive.read_bytes())
    env = dict(empty_target)
    if damage == "wrong key":
        env["ONESTOP_BACKUP_KEY"] = "another key"
    elif damage == "cut":
        del data[len(data) // 2 :]
    elif damage == "altered":
        data[len(data) // 3] ^= 0x01
    else:
        data[:8] = b"PK\x03\x04zip!"
    archive.write_bytes(bytes(data))

    result = manage(env, "restore", str(archive))
    assert result.returncode != 0
    assert message in result.stderr
    after = restored_snapshot(env)
    assert after == {"cases": [], "files": {}}
