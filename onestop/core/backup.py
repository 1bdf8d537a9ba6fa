"""Backups: the database and the stored files in one encrypted archive, and the way back.

The archive is a tar stream, encrypted as it is written, so that neither a big database nor the
files are ever held in memory:

- `database.jsonl`: every row, as Django's JSON-lines serialisation (`dumpdata --all`,
  natural keys for content types), whatever the database engine, so a SQLite demo can move to
  PostgreSQL too. Sessions are left out (everybody signs in again), and so are content types
  and permissions, which `migrate` creates.
- `files/<name>`: every file in the default storage (uploads, published photos), by name.
- `manifest.json`, last: when, which version, rows per model, and each file's size and SHA-256.

Encryption: AES-256-GCM in 1 MiB chunks, the key derived (HKDF-SHA256, a random salt per
archive) from `ONESTOP_BACKUP_KEY`. Each chunk's nonce carries its number and its associated
data says whether it is the last, so a reordered, cut or altered archive is refused, never
restored in part. The key is not in the archive: keep it, and `ONESTOP_DATA_KEY` (national IDs in
the database are encrypted with it), apart from the backups.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

MAGIC = b"ONESTOP-BACKUP-1\n"
CHUNK = 1024 * 1024
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
DATABASE_MEMBER = "database.jsonl"
MANIFEST_MEMBER = "manifest.json"
FILES_PREFIX = "files/"


class BackupError(Exception):
    """Something a person can fix: said in Thai and English."""


def backup_key() -> str:
    key: str = getattr(settings, "ONESTOP_BACKUP_KEY", "")
    if not key:
        raise BackupError(
            "ยังไม่ได้ตั้งค่า ONESTOP_BACKUP_KEY (กุญแจเข้ารหัสข้อมูลสำรอง) · "
            "ONESTOP_BACKUP_KEY is not set: the archive is encrypted with it."
        )
    return key


def _aead(key: str, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"onestop backup")
    return AESGCM(derived.derive(key.encode()))


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + struct.pack(">I", number)


class EncryptingWriter(io.RawIOBase):
    """A binary stream that encrypts what is written to it, chunk by chunk, into `sink`."""

    def __init__(self, sink: IO[bytes], key: str) -> None:
        self.sink = sink
        salt, self.prefix = os.urandom(16), os.urandom(8)
        self.header = MAGIC + salt + self.prefix
        self.aead = _aead(key, salt)
        self.buffer = bytearray()
        self.number = 0
        sink.write(self.header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += bytes(data)
        while len(self.buffer) > CHUNK:
            self._emit(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        associated = self.header + struct.pack(">I?", self.number, last)
        sealed = self.aead.encrypt(_nonce(self.prefix, self.number), plain, associated)
        self.sink.write(struct.pack(">I", len(sealed)) + sealed)
        self.number += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


def decrypted_chunks(source: IO[bytes], key: str) -> Iterator[bytes]:
    header = source.read(len(MAGIC) + 24)
    if not header.startswith(MAGIC) or len(header) != len(MAGIC) + 24:
        raise BackupError("ไฟล์นี้ไม่ใช่ข้อมูลสำรองของ OneStop · This is not a OneStop backup.")
    salt, prefix = header[len(MAGIC) : len(MAGIC) + 16], header[len(MAGIC) + 16 :]
    aead = _aead(key, salt)
    number = 0
    while True:
        size = source.read(4)
        sealed = source.read(struct.unpack(">I", size)[0]) if len(size) == 4 else b""
        if len(size) < 4 or len(sealed) < struct.unpack(">I", size)[0]:
            raise BackupError(
                "ข้อมูลสำรองไม่ครบ (ไฟล์ถูกตัด) · The backup is incomplete (the file was cut)."
            )
        plain = None
        for last in (False, True):
            associated = header + struct.pack(">I?", number, last)
            try:
                plain = aead.decrypt(_nonce(prefix, number), sealed, associated)
            except InvalidTag:
                continue
            break
        if plain is None:
            raise BackupError(
                "ถอดรหัสข้อมูลสำรองไม่ได้: กุญแจไม่ถูกต้องหรือไฟล์ถูกแก้ไข · "
                "The backup cannot be decrypted: wrong ONESTOP_BACKUP_KEY, or the file was altered."
            )
        yield plain
        number += 1
        if last:
            return


class DecryptingReader(io.RawIOBase):
    def __init__(self, source: IO[bytes], key: str) -> None:
        self.chunks = decrypted_chunks(source, key)
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self.pending:
            try:
                self.pending = next(self.chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self.pending))
        target[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def _all_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a new machine: the storage's folder does not exist yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from _all_files(storage, f"{folder}/{directory}" if folder else directory)


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(CHUNK), b""):
        digest.update(block)
    return digest.hexdigest()


@dataclass
class Manifest:
    created: str
    engine: str
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)


def _rows_per_model(dump: Path) -> dict[str, int]:
    rows: dict[str, int] = {}
    with dump.open("rb") as lines:
        for line in lines:
            if line.strip():
                model = json.loads(line)["model"]
                rows[model] = rows.get(model, 0) + 1
    return rows


def backup_write(path: Path) -> Manifest:
    """Write the whole database and every stored file into one encrypted archive at `path`."""
    key = backup_key()
    storage = storages["default"]
    manifest = Manifest(created=timezone.now().isoformat(), engine=connection.vendor)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="onestop-backup-") as scratch:
        dump = Path(scratch) / DATABASE_MEMBER
        call_command(
            "dumpdata", format="jsonl", all=True, natural_foreign=True, exclude=EXCLUDED,
            output=str(dump), verbosity=0,
        )  # fmt: skip
        manifest.rows = _rows_per_model(dump)
        with partial.open("wb") as sink:
            writer = EncryptingWriter(sink, key)
            with tarfile.open(fileobj=writer, mode="w|") as archive:
                archive.add(dump, arcname=DATABASE_MEMBER)
                for name in _all_files(storage):
                    with storage.open(name, "rb") as stored:
                        digest = _sha256(stored)
                        stored.seek(0)
                        info = tarfile.TarInfo(FILES_PREFIX + name)
                        info.size = storage.size(name)
                        archive.addfile(info, stored)
                    manifest.files[name] = {"size": info.size, "sha256": digest}
                body = json.dumps(manifest.__dict__, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST_MEMBER)
                info.size = len(body)
                archive.addfile(info, io.BytesIO(body))
            writer.close()
            sink.flush()
            os.fsync(sink.fileno())
    partial.replace(path)  # never a half-written archive under the real name
    return manifest


def _refuse_unless_empty(storage: Storage) -> None:
    from django.apps import apps  # noqa: PLC0415 (every app's models, without importing them)

    organisation = apps.get_model("organisations", "Organisation")
    if organisation.objects.exists() or any(True for _ in _all_files(storage)):
        raise BackupError(
            "ฐานข้อมูลหรือที่เก็บไฟล์ปลายทางมีข้อมูลอยู่แล้ว: กู้คืนได้เฉพาะที่ว่างเท่านั้น · "
            "The target database or file storage is not empty: a backup restores only into "
            "empty ones (run migrate on a new database first)."
        )


def _unpack(path: Path, key: str, storage: Storage, dump: Path, written: list[str]) -> Any:
    """Decrypt the archive: the database dump to `dump`, the files into `storage` (their names
    appended to `written`); return the manifest and the SHA-256 of each file as read."""
    hashes_seen: dict[str, str] = {}
    manifest_data: dict[str, Any] | None = None
    with (
        path.open("rb") as source,
        tarfile.open(fileobj=DecryptingReader(source, key), mode="r|") as archive,
    ):
        for member in archive:
            stream = archive.extractfile(member)
            if stream is None:
                continue
            if member.name == DATABASE_MEMBER:
                with dump.open("wb") as out:
                    shutil.copyfileobj(stream, out, CHUNK)
            elif member.name.startswith(FILES_PREFIX):
                name = member.name.removeprefix(FILES_PREFIX)
                content = stream.read()
                hashes_seen[name] = hashlib.sha256(content).hexdigest()
                written.append(storage.save(name, File(io.BytesIO(content), name=name)))
                if written[-1] != name:
                    raise BackupError(f"file name changed on restore: {name}")
            elif member.name == MANIFEST_MEMBER:
                manifest_data = json.loads(stream.read())
    return manifest_data, hashes_seen


def _check(dump: Path, manifest_data: Any, hashes_seen: dict[str, str]) -> None:
    if manifest_data is None or not dump.exists():
        raise BackupError("ข้อมูลสำรองไม่ครบ · The backup is incomplete (no manifest or no database).")
    expected = {name: meta["sha256"] for name, meta in manifest_data["files"].items()}
    if expected != hashes_seen:
        raise BackupError("ไฟล์ในข้อมูลสำรองไม่ตรงกับรายการ · The files do not match the manifest.")
    if _rows_per_model(dump) != manifest_data["rows"]:
        raise BackupError(
            "ข้อมูลในฐานข้อมูลสำรองไม่ตรงกับรายการ · The database rows do not match the manifest."
        )


def backup_restore(path: Path) -> Manifest:
    """Restore an archive into an empty, migrated database and an empty storage.

    The whole archive is decrypted and every file checked against the manifest before the
    database is loaded, so a damaged archive changes nothing in the database; the files it had
    already written are removed again.
    """
    key = backup_key()
    storage = storages["default"]
    _refuse_unless_empty(storage)
    written: list[str] = []
    with tempfile.TemporaryDirectory(prefix="onestop-restore-") as scratch:
        dump = Path(scratch) / DATABASE_MEMBER
        try:
            manifest_data, hashes_seen = _unpack(path, key, storage, dump, written)
            _check(dump, manifest_data, hashes_seen)
            call_command("loaddata", str(dump), verbosity=0)
        except Exception:
            for name in written:
                storage.delete(name)
            raise
    return Manifest(**manifest_data)
