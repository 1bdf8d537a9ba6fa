"""Files of a request: stored under a random name with their size and SHA-256, written whole
or not at all (`cases.files`); the uploaded name kept only for display, cleaned."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from onestop.cases.files import file_delete_quietly, file_save
from onestop.cases.models import (
    Attachment,
    AttachmentKind,
    Case,
)
from onestop.core.errors import DomainError


@dataclass(frozen=True)
class NewFile:
    """A file already checked by the caller's upload validation."""

    content: bytes
    original_name: str
    content_type: str
    extension: str  # decided from the content, e.g. "jpg", "pdf"
    kind: AttachmentKind = AttachmentKind.DOCUMENT


_UNSAFE_NAME = re.compile(r"[^\w.\- ()\[\]ก-๙]+")


def sanitise_filename(name: str) -> str:
    """A display-only name: no path, no control or bidirectional-override characters, at most
    100 characters. It is never used to store the file."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
    base = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", base)).strip(" .")
    return base[-100:] or "file"


def attachment_add(
    *,
    case: Case,
    new_file: NewFile,
    uploaded_by: User | None = None,
    is_public: bool = False,
) -> Attachment:
    """Store `new_file` for `case` under a random name, with its size and SHA-256. A file
    whose row cannot be saved is deleted; a full disk raises `cases.files.StorageFull`."""
    if is_public and new_file.kind != AttachmentKind.RESULT:
        raise DomainError(_("แสดงต่อผู้ยื่นได้เฉพาะภาพผลการดำเนินงาน"), code="not_publishable")
    extension = re.sub(r"[^a-z0-9]", "", new_file.extension.lower())[:8] or "bin"
    attachment = Attachment(
        case=case,
        kind=new_file.kind,
        original_name=sanitise_filename(new_file.original_name),
        content_type=new_file.content_type,
        size=len(new_file.content),
        sha256=hashlib.sha256(new_file.content).hexdigest(),
        is_public=is_public,
        uploaded_by=uploaded_by,
    )
    storage = attachment.file.storage
    attachment.file.name = file_save(
        storage=storage,
        name=attachment.file.field.generate_filename(
            attachment, f"{secrets.token_urlsafe(18)}.{extension}"
        ),
        content=new_file.content,
    )
    try:
        attachment.save()
    except BaseException:
        file_delete_quietly(storage=storage, name=attachment.file.name)
        raise
    return attachment
