"""The wizard's memory between steps: a small dict in the citizen's (database) session, one per
organisation, and the files they uploaded, staged in private storage until the final submit.

Why staging in storage and not in the session: files are up to 10 MB; the session row stays
small. Staged files live under `eservice-staging/<random token>/`, a token kept only in this
session, so no other visitor can name them; they are deleted after the submit (and stale ones by
`manage.py eservice_clear_staging`). What is stored is already validated and re-encoded
(`onestop.cases.uploads`), so the final submit only reads bytes back.

The national ID is kept encrypted in the session (onestop.core.crypto), as in the database."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.storage import default_storage
from django.utils import timezone

from onestop.cases.files import file_delete_quietly, file_save
from onestop.cases.models import AttachmentKind
from onestop.cases.services import NewFile
from onestop.catalog.models import LocationRule, RequestType

STAGING_ROOT = "eservice-staging"
STEPS = ("details", "place", "documents", "review", "done")
_DONE_KEPT = 5  # numbers of the latest requests this session filed (for the done page, PDF)


@dataclass(frozen=True)
class StagedFile:
    id: str
    name: str
    content_type: str
    extension: str
    kind: str
    size: int
    path: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_id_card(self) -> bool:
        return self.kind == AttachmentKind.ID_CARD


class Wizard:
    """One citizen's request in progress with one organisation."""

    def __init__(self, session: SessionBase, slug: str) -> None:
        self.session = session
        self.key = f"eservice:{slug}"
        self.done_key = f"eservice:{slug}:done"
        self.data: dict[str, Any] = session.get(self.key) or {}

    # -- life cycle ---------------------------------------------------------------------------
    @property
    def started(self) -> bool:
        return bool(self.data)

    def start(self) -> None:
        if not self.data:
            self.data = {
                "submission_key": secrets.token_urlsafe(24),
                "staging": secrets.token_urlsafe(18),
                "started_at": timezone.now().isoformat(),
            }
            self.save()

    def save(self) -> None:
        self.session[self.key] = self.data
        self.session.modified = True

    def finish(self, number: str) -> None:
        """Forget the request in progress (and its staged files); remember its number."""
        self.delete_staged_files()
        self.session.pop(self.key, None)
        self.data = {}
        self.remember_done(number)

    def remember_done(self, number: str) -> None:
        done = [n for n in self.session.get(self.done_key, []) if n != number]
        self.session[self.done_key] = [*done, number][-_DONE_KEPT:]

    def done_numbers(self) -> list[str]:
        return list(self.session.get(self.done_key, []))

    # -- the steps' data ----------------------------------------------------------------------
    @property
    def submission_key(self) -> str:
        return str(self.data.get("submission_key", ""))

    @property
    def type_id(self) -> int | None:
        value = self.data.get("type_id")
        return int(value) if value is not None else None

    @property
    def details(self) -> dict[str, Any]:
        return dict(self.data.get("details") or {})

    def set_details(self, type_id: int, details: dict[str, Any]) -> None:
        self.data["type_id"] = type_id
        self.data["details"] = details
        self.save()

    @property
    def place(self) -> dict[str, Any] | None:
        """The place typed, or None when the citizen chose "no specific place"."""
        place = self.data.get("place")
        return dict(place) if place else None

    @property
    def place_done(self) -> bool:
        return bool(self.data.get("place_done"))

    def set_place(self, place: dict[str, Any] | None) -> None:
        self.data["place"] = place
        self.data["place_done"] = True
        self.save()

    @property
    def documents_done(self) -> bool:
        return bool(self.data.get("documents_done"))

    def set_documents_done(self) -> None:
        self.data["documents_done"] = True
        self.save()

    # -- order of the steps -------------------------------------------------------------------
    def first_missing_step(self, request_type: RequestType | None) -> str | None:
        """The first step still to do (server-side order), or None when review may start."""
        if not self.details or request_type is None:
            return "details"
        if request_type.location != LocationRule.NOT_ASKED:
            if not self.place_done:
                return "place"
            if request_type.location == LocationRule.REQUIRED and not self.place:
                return "place"
        if not self.documents_done:
            return "documents"
        if request_type.id_card_required and not any(f.is_id_card for f in self.files):
            return "documents"
        return None

    # -- staged files -------------------------------------------------------------------------
    @property
    def files(self) -> list[StagedFile]:
        return [StagedFile(**f) for f in self.data.get("files", [])]

    def file(self, file_id: str) -> StagedFile | None:
        return next((f for f in self.files if secrets.compare_digest(f.id, file_id)), None)

    def add_files(self, new_files: list[NewFile]) -> list[StagedFile]:
        """Stage `new_files` and save the session at once, so that the wizard names them
        before the citizen is told they are attached.

        1. Write each file whole (`cases.files.file_save`: a full disk raises `StorageFull`
           and leaves no partial file).
        2. Save the session now: a database failure shows here, while the view can still
           answer with the outage page, not in the middleware after it.
        3. Only then delete the ID-card photo a new one replaces. On any failure, delete what
           this call wrote: the session (not saved for an error page) keeps the state before."""
        staged: list[StagedFile] = []
        replaced: list[StagedFile] = []
        try:
            for new_file in new_files:
                if new_file.kind == AttachmentKind.ID_CARD:  # one ID card: a new photo replaces it
                    replaced += [old for old in self.files if old.is_id_card]
                    self.data["files"] = [f for f in self.data.get("files", [])
                                          if f["kind"] != AttachmentKind.ID_CARD]  # fmt: skip
                staged.append(self._stage(new_file))
            self.save()
            self.session.save()
        except BaseException:
            for done in staged:
                file_delete_quietly(storage=default_storage, name=done.path)
            raise
        for old in replaced:
            file_delete_quietly(storage=default_storage, name=old.path)
        return staged

    def _stage(self, new_file: NewFile) -> StagedFile:
        file_id = secrets.token_urlsafe(12)
        path = file_save(
            storage=default_storage,
            name=f"{STAGING_ROOT}/{self.data['staging']}/{file_id}.{new_file.extension}",
            content=new_file.content,
        )
        staged = StagedFile(
            id=file_id,
            name=new_file.original_name,
            content_type=new_file.content_type,
            extension=new_file.extension,
            kind=str(new_file.kind),
            size=len(new_file.content),
            path=path,
        )
        self.data.setdefault("files", []).append(staged.__dict__)
        return staged

    def remove_file(self, file_id: str) -> None:
        staged = self.file(file_id)
        if staged is None:
            return
        default_storage.delete(staged.path)
        self.data["files"] = [f for f in self.data.get("files", []) if f["id"] != staged.id]
        self.save()

    def read_files(self) -> tuple[NewFile, ...]:
        """The staged files as `NewFile`s for `case_submit`. Raises OSError if one is gone."""
        result = []
        for staged in self.files:
            with default_storage.open(staged.path, "rb") as handle:
                content = handle.read()
            result.append(
                NewFile(content, staged.name, staged.content_type, staged.extension,
                        AttachmentKind(staged.kind))
            )  # fmt: skip
        return tuple(result)

    def delete_staged_files(self) -> None:
        for staged in self.files:
            default_storage.delete(staged.path)


def staging_clear(*, older_than: dt.timedelta) -> int:
    """Delete staged files of wizards abandoned longer ago than `older_than`; return how many."""
    cutoff = timezone.now() - older_than
    deleted = 0
    if not default_storage.exists(STAGING_ROOT):
        return 0
    folders, _files = default_storage.listdir(STAGING_ROOT)
    for folder in folders:
        names = default_storage.listdir(f"{STAGING_ROOT}/{folder}")[1]
        for name in names:
            path = f"{STAGING_ROOT}/{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
    return deleted
