"""The wizard's memory between steps: one `WizardState` per organisation in the citizen's
(database) session, and the files they uploaded, staged in private storage until the final submit.

The state is typed (a `Requester`, a `Place`, the step reached) and turned into plain JSON only
by `WizardState.to_session` / `from_session`; views never reshape the stored dictionary.

Why staging in storage and not in the session: files are up to 10 MB; the session row stays
small. Staged files live under `eservice-staging/<random token>/`, a token kept only in this
session, so no other visitor can name them; they are deleted after the submit (and stale ones by
`manage.py eservice_clear_staging`). What is stored is already validated and re-encoded
(`onestop.cases.uploads`), so the final submit only reads bytes back.

The national ID is kept encrypted in the session (onestop.core.crypto), as in the database."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.storage import default_storage
from django.utils import timezone

from onestop.cases.files import file_delete_quietly, file_save
from onestop.cases.models import AttachmentKind
from onestop.cases.services import NewFile, Place, Requester
from onestop.catalog.models import LocationRule, RequestType
from onestop.core import crypto

STAGING_ROOT = "eservice-staging"
STEPS = ("details", "place", "documents", "review", "done")
_DONE_KEPT = 5  # numbers of the latest requests this session filed (for the done page, PDF)
DRAFT_STEPS = ("details", "place")  # the steps whose refused posts are kept (not the files)
DRAFT_VALUE_MAX = 5000  # characters kept per field of a draft (the longest field takes 4,000)


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


@dataclass
class WizardState:
    """What a citizen has entered so far, and how far they have come.

    `reached` is the furthest step they may open: "place" once step 1 is saved, "documents"
    once the place is given (or skipped), "review" once the documents step is done. Editing an
    earlier step never moves it back."""

    submission_key: str
    staging: str  # the random folder of this wizard's staged files
    started_at: str
    reached: str = "details"
    type_id: int | None = None
    subject: str = ""
    details: str = ""
    requester: Requester | None = None
    place: Place | None = None  # None: not given yet, or "no specific place"
    files: list[StagedFile] = field(default_factory=list)

    @classmethod
    def new(cls) -> WizardState:
        return cls(
            submission_key=secrets.token_urlsafe(24),
            staging=secrets.token_urlsafe(18),
            started_at=timezone.now().isoformat(),
        )

    def has_reached(self, step: str) -> bool:
        return STEPS.index(self.reached) >= STEPS.index(step)

    def reach(self, step: str) -> None:
        if not self.has_reached(step):
            self.reached = step

    # -- to and from the session (JSON) ------------------------------------------------------
    def to_session(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "submission_key": self.submission_key,
            "staging": self.staging,
            "started_at": self.started_at,
            "reached": self.reached,
            "type_id": self.type_id,
            "files": [asdict(f) for f in self.files],
        }
        if self.requester is not None:
            data["details"] = {
                "subject": self.subject,
                "details": self.details,
                **asdict(self.requester),
                "national_id": crypto.encrypt(self.requester.national_id),
            }
        if self.has_reached("documents"):
            data["place"] = _place_to_json(self.place) if self.place is not None else None
        return data

    @classmethod
    def from_session(cls, data: dict[str, Any] | None) -> WizardState | None:
        if not data:
            return None
        details = dict(data.get("details") or {})
        requester = None
        if details:
            requester = Requester(
                title=details["title"],
                first_name=details["first_name"],
                last_name=details["last_name"],
                national_id=crypto.decrypt(details["national_id"]),
                phone=details["phone"],
                email=details.get("email", ""),
            )
        place = data.get("place")
        return cls(
            submission_key=data["submission_key"],
            staging=data["staging"],
            started_at=data["started_at"],
            reached=reached if (reached := data.get("reached")) in STEPS else "details",
            type_id=int(data["type_id"]) if data.get("type_id") is not None else None,
            subject=details.get("subject", ""),
            details=details.get("details", ""),
            requester=requester,
            place=_place_from_json(place) if place else None,
            files=[StagedFile(**f) for f in data.get("files", [])],
        )


def _place_to_json(place: Place) -> dict[str, Any]:
    return {
        name: str(value) if isinstance(value, Decimal) else value
        for name, value in asdict(place).items()
    }


def _place_from_json(saved: dict[str, Any]) -> Place:
    fields = dict(saved)
    for name in ("latitude", "longitude"):
        fields[name] = Decimal(fields[name]) if fields.get(name) else None
    return Place(**fields)


class Wizard:
    """One citizen's request in progress with one organisation: its `state` (None before step
    1 is saved), read from the session once and written back by every change."""

    def __init__(self, session: SessionBase, slug: str) -> None:
        self.session = session
        self.key = f"eservice:{slug}"
        self.done_key = f"eservice:{slug}:done"
        self.state = WizardState.from_session(session.get(self.key))

    # -- life cycle ---------------------------------------------------------------------------
    @property
    def started(self) -> bool:
        """Step 1 is saved: the wizard has a requester."""
        return self.state is not None and self.state.requester is not None

    def save(self) -> None:
        assert self.state is not None
        self.session[self.key] = self.state.to_session()
        self.session.modified = True

    def finish(self, number: str) -> None:
        """Forget the request in progress (and its staged files); remember its number."""
        self.delete_staged_files()
        self.session.pop(self.key, None)
        for step in DRAFT_STEPS:
            self.clear_draft(step)
        self.state = None
        self.remember_done(number)

    def remember_done(self, number: str) -> None:
        done = [n for n in self.session.get(self.done_key, []) if n != number]
        self.session[self.done_key] = [*done, number][-_DONE_KEPT:]

    def done_numbers(self) -> list[str]:
        return list(self.session.get(self.done_key, []))

    # -- drafts: what a step was sent and refused ----------------------------------------------
    def _draft_key(self, step: str) -> str:
        assert step in DRAFT_STEPS
        return f"{self.key}:draft:{step}"

    def keep_draft(self, step: str, values: dict[str, str], *, secret: frozenset[str]) -> None:
        """Keep what was posted to `step` and refused (an error), so that a reload, the back
        button or a new tab shows it again instead of the last saved version or nothing.
        The `secret` fields (the national ID) are encrypted, as in the state."""
        self.session[self._draft_key(step)] = {
            name: crypto.encrypt(value) if name in secret else value
            for name, value in values.items()
        }

    def draft(self, step: str, *, secret: frozenset[str]) -> dict[str, str] | None:
        """The refused post of `step` still to be corrected, or None."""
        kept = self.session.get(self._draft_key(step))
        if not isinstance(kept, dict):
            return None
        try:
            return {
                str(name): crypto.decrypt(value) if name in secret else str(value)
                for name, value in kept.items()
            }
        except (crypto.DecryptionError, UnicodeEncodeError):  # a key rotated away, a bad value
            # The draft is lost, not the page.
            self.clear_draft(step)
            return None

    def clear_draft(self, step: str) -> None:
        self.session.pop(self._draft_key(step), None)

    # -- the steps' data ----------------------------------------------------------------------
    @property
    def submission_key(self) -> str:
        return self.state.submission_key if self.state is not None else ""

    @property
    def type_id(self) -> int | None:
        return self.state.type_id if self.state is not None else None

    @property
    def requester(self) -> Requester | None:
        return self.state.requester if self.state is not None else None

    @property
    def place(self) -> Place | None:
        """The place typed, or None when the citizen chose "no specific place" (or not yet)."""
        return self.state.place if self.state is not None else None

    def set_details(
        self, *, type_id: int, subject: str, details: str, requester: Requester
    ) -> None:
        """Step 1 saved (the wizard starts here)."""
        if self.state is None:
            self.state = WizardState.new()
        self.state = replace(
            self.state, type_id=type_id, subject=subject, details=details, requester=requester
        )
        self.state.reach("place")
        self.clear_draft("details")
        self.save()

    def set_place(self, place: Place | None) -> None:
        assert self.state is not None
        self.state.place = place
        self.state.reach("documents")
        self.clear_draft("place")
        self.save()

    def set_documents_done(self) -> None:
        assert self.state is not None
        self.state.reach("review")
        self.save()

    # -- order of the steps -------------------------------------------------------------------
    def first_missing_step(self, request_type: RequestType | None) -> str | None:
        """The first step still to do (server-side order), or None when review may start."""
        state = self.state
        if state is None or state.requester is None or request_type is None:
            return "details"
        if request_type.location != LocationRule.NOT_ASKED:
            if not state.has_reached("documents"):
                return "place"
            if request_type.location == LocationRule.REQUIRED and not state.place:
                return "place"
        if not state.has_reached("review"):
            return "documents"
        if request_type.id_card_required and not any(f.is_id_card for f in self.files):
            return "documents"
        return None

    # -- staged files -------------------------------------------------------------------------
    @property
    def files(self) -> list[StagedFile]:
        return list(self.state.files) if self.state is not None else []

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
        state = self.state
        assert state is not None
        staged: list[StagedFile] = []
        replaced: list[StagedFile] = []
        try:
            for new_file in new_files:
                if new_file.kind == AttachmentKind.ID_CARD:  # one ID card: a new photo replaces it
                    replaced += [old for old in state.files if old.is_id_card]
                    state.files = [f for f in state.files if not f.is_id_card]
                staged.append(self._stage(state, new_file))
            self.save()
            self.session.save()
        except BaseException:
            for done in staged:
                file_delete_quietly(storage=default_storage, name=done.path)
            raise
        for old in replaced:
            file_delete_quietly(storage=default_storage, name=old.path)
        return staged

    @staticmethod
    def _stage(state: WizardState, new_file: NewFile) -> StagedFile:
        file_id = secrets.token_urlsafe(12)
        path = file_save(
            storage=default_storage,
            name=f"{STAGING_ROOT}/{state.staging}/{file_id}.{new_file.extension}",
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
        state.files.append(staged)
        return staged

    def remove_file(self, file_id: str) -> None:
        staged = self.file(file_id)
        if staged is None or self.state is None:
            return
        default_storage.delete(staged.path)
        self.state.files = [f for f in self.state.files if f.id != staged.id]
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


def wizard_in_session(session: SessionBase, slug: str) -> bool:
    """Whether `session` holds anything of `slug`'s wizard: a state, a draft, filed numbers
    (then its first step is drawn for this visitor, never taken from the page cache)."""
    prefix = f"eservice:{slug}"
    return any(key == prefix or key.startswith(f"{prefix}:") for key in session.keys())  # noqa: SIM118 (no __iter__)


def staging_clear(*, older_than: dt.timedelta) -> int:
    """Delete staged files of wizards abandoned longer ago than `older_than`; return how many."""
    cutoff = timezone.now() - older_than
    deleted = 0
    # Not `exists()`: an object store has no folders, only names with a common prefix.
    try:
        folders, _files = default_storage.listdir(STAGING_ROOT)
    except FileNotFoundError:
        return 0
    for folder in folders:
        names = default_storage.listdir(f"{STAGING_ROOT}/{folder}")[1]
        for name in names:
            path = f"{STAGING_ROOT}/{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
    return deleted
