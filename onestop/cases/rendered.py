"""Rendered request documents (PDF) kept in the private storage, one file per version of a
request, so that a download of the same version reads a file instead of rendering again.

The documents app renders and names them (`onestop.documents.http.request_document_bytes`);
this module owns where they live, because the request's own services must be able to remove
them: `case_anonymise` deletes every rendered document of the request, as they print the
requester's name and masked ID and phone.

    documents/requests/<case id>/<version>-<language>-<digest>.pdf

The folder is outside `cases/`, so `orphan_files_sweep` (attachments without a row) leaves it
alone."""

from __future__ import annotations

import logging

from django.core.files.storage import Storage, storages

logger = logging.getLogger(__name__)

RENDERED_ROOT = "documents/requests"


def rendered_storage() -> Storage:
    """The private storage (the same as attachments: filesystem, or S3 for several servers)."""
    return storages["default"]


def rendered_folder(case_id: int) -> str:
    return f"{RENDERED_ROOT}/{case_id}"


def rendered_name(*, case_id: int, version: int, language: str, digest: str) -> str:
    return f"{rendered_folder(case_id)}/{version}-{language}-{digest}.pdf"


def rendered_list(case_id: int) -> list[str]:
    """Every rendered document kept for the request (names in the storage)."""
    storage = rendered_storage()
    folder = rendered_folder(case_id)
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(f"{folder}/{name}" for name in files)


def rendered_delete(case_id: int, *, keep: frozenset[str] = frozenset()) -> int:
    """Delete the request's rendered documents except `keep`; returns how many went."""
    storage = rendered_storage()
    gone = 0
    for name in rendered_list(case_id):
        if name not in keep:
            storage.delete(name)
            gone += 1
    return gone
