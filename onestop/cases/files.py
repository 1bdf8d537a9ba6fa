"""Request files in storage: written whole or not at all, removed when their transaction fails,
and swept when nothing refers to them.

- `file_save(storage=, name=, content=)`: write a new file. A failed write (the disk filling up
  half way) removes what was written; a full disk becomes `StorageFull`, a message for people.
- `files_removed_on_failure()`: files saved inside this block are deleted if it raises.
  Django has no "on rollback" hook, so `case_submit` wraps its transaction (the commit
  included) in it. A rollback of an outer transaction after the block succeeded is not seen:
  `orphan_files_sweep` removes those files later.
- `orphan_files_sweep(grace=)`: delete files under `cases/` that no `Attachment` names and
  that are older than `grace` (a file written right now has no committed row yet).

Used by `cases.services.attachment_add` and the wizard's staging (`eservice.wizard`); the daily
`manage.py files_sweep` (in `eservice`, which also knows the staging area) runs the sweep."""

from __future__ import annotations

import datetime as dt
import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.cases.models import Attachment
from onestop.core.errors import DomainError

logger = logging.getLogger(__name__)

ATTACHMENT_ROOT = "cases"  # see `cases.models.attachment_path`
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_written: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("files_written", default=None)


class StorageFull(DomainError):
    """The disk (or quota) is full: nothing was kept, the user can try again later."""

    def __init__(self) -> None:
        super().__init__(
            _("พื้นที่เก็บไฟล์ของระบบเต็มชั่วคราว ไฟล์ยังไม่ได้ถูกบันทึก กรุณาลองใหม่ในภายหลัง หรือติดต่อหน่วยงาน"),
            code="storage_full",
        )


def file_save(*, storage: Storage, name: str, content: bytes, max_length: int = 255) -> str:
    """Save `content` as a new file named `name` (or a free variant) and return its name.

    1. Pick a free name first, so that the clean-up below can only touch this file.
    2. Write; on failure delete whatever part was written, then raise (`StorageFull` when
       the disk or quota is full).
    3. Inside `files_removed_on_failure`, remember the name for its clean-up."""
    name = storage.get_available_name(name, max_length=max_length)
    try:
        saved = storage.save(name, ContentFile(content), max_length=max_length)
    except OSError as error:
        file_delete_quietly(storage=storage, name=name)
        if error.errno in _FULL:
            logger.error("storage full while saving %s: %s", name, error)
            raise StorageFull from error
        raise
    written = _written.get()
    if written is not None:
        written.append((storage, saved))
    return saved


def file_delete_quietly(*, storage: Storage, name: str) -> None:
    """Delete `name` if it exists; a failure is logged, never raised (used while failing)."""
    try:
        storage.delete(name)
    except OSError:
        logger.exception("could not delete %s", name)


@contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """Delete the files `file_save` wrote inside the block if the block raises. Nested blocks
    hand their files to the outer one when they succeed."""
    written: list[tuple[Storage, str]] = []
    outer = _written.get()
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            file_delete_quietly(storage=storage, name=name)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)


def orphan_files_sweep(
    *, grace: dt.timedelta, storage: Storage | None = None, now: dt.datetime | None = None
) -> list[str]:
    """Delete every file under `cases/` that no `Attachment` row names and that was last
    written more than `grace` ago; return their names. Idempotent."""
    storage = storage or Attachment._meta.get_field("file").storage
    cutoff = (now or timezone.now()) - grace
    deleted: list[str] = []
    # Not `exists()`: an object store has no folders, only names with a common prefix.
    try:
        folders, loose_files = storage.listdir(ATTACHMENT_ROOT)
    except FileNotFoundError:
        return deleted
    for folder in ["", *folders]:  # files outside any organisation's folder, then each folder
        if folder:
            prefix = f"{ATTACHMENT_ROOT}/{folder}"
            subfolders, files = storage.listdir(prefix)
        else:
            prefix, subfolders, files = ATTACHMENT_ROOT, [], loose_files
        if not files and not subfolders:
            continue
        # One query per organisation's folder: the names its attachments use.
        known = set(
            Attachment.objects.filter(file__startswith=f"{prefix}/").values_list("file", flat=True)
        )
        for name in _files_under(storage, prefix, files, subfolders):
            if name in known or storage.get_modified_time(name) > cutoff:
                continue
            storage.delete(name)
            deleted.append(name)
    return deleted


def _files_under(
    storage: Storage, folder: str, files: list[str], subfolders: list[str]
) -> Iterator[str]:
    yield from (f"{folder}/{name}" for name in files)
    for sub in subfolders:
        inner_folders, inner_files = storage.listdir(f"{folder}/{sub}")
        yield from _files_under(storage, f"{folder}/{sub}", inner_files, inner_folders)
