"""Writes for requests. Every change of a request goes through here.

- `case_submit`: a citizen (or staff on their behalf) files a request: one transaction, one
  request number, idempotent per submission key.
- `case_transition`: the only way to change a status (the table is in `workflow`).
- `case_assign`: route to a department and officer.
- `attachment_add`: store a file under a generated name."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from onestop.cases import numbering
from onestop.cases.files import file_delete_quietly, file_save, files_removed_on_failure
from onestop.cases.models import (
    Attachment,
    AttachmentKind,
    Case,
    CaseEvent,
    Channel,
    EventKind,
)
from onestop.cases.workflow import MOVES, Actor, Status
from onestop.catalog.models import LocationRule, RequestType
from onestop.core import crypto
from onestop.core.errors import DomainError
from onestop.core.identity import normalise_mobile, normalise_national_id
from onestop.core.masking import mask_national_id
from onestop.core.thaidate import buddhist_year
from onestop.core.workdays import add_working_days
from onestop.organisations.models import Department, Membership, Organisation


@dataclass(frozen=True)
class Requester:
    title: str
    first_name: str
    last_name: str
    national_id: str  # as typed: normalised and validated by case_submit
    phone: str  # as typed: normalised to E.164 by case_submit
    email: str = ""


@dataclass(frozen=True)
class Place:
    house_no: str = ""
    village_no: str = ""
    village: str = ""
    soi: str = ""
    road: str = ""
    subdistrict: str = ""
    district: str = ""
    province: str = ""
    postcode: str = ""
    subdistrict_code: str = ""
    landmark: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    def is_given(self) -> bool:
        """A place counts as given with a pin, or a house number / village / road / landmark."""
        has_pin = self.latitude is not None and self.longitude is not None
        described = (self.house_no, self.village_no, self.village, self.soi, self.road)
        return has_pin or any(s.strip() for s in (*described, self.landmark))


@dataclass(frozen=True)
class NewFile:
    """A file already checked by the caller's upload validation."""

    content: bytes
    original_name: str
    content_type: str
    extension: str  # decided from the content, e.g. "jpg", "pdf"
    kind: AttachmentKind = AttachmentKind.DOCUMENT


_NUMBER_ATTEMPTS = 8


def case_submit(
    *,
    organisation: Organisation,
    request_type: RequestType,
    subject: str,
    details: str,
    requester: Requester,
    place: Place | None = None,
    files: tuple[NewFile, ...] = (),
    channel: Channel = Channel.WEB,
    submission_key: str | None = None,
    filed_by: User | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """File a request and return it.

    1. Validate everything before writing (type of this organisation and active; ID and phone;
       location when the type requires one; ID-card photo when required).
    2. With a `submission_key` already used by this organisation, return that request instead
       of creating a second one (double click, back-and-resubmit, network retry).
    3. In one transaction: the request with a fresh random number, its first timeline event and
       its files. A failure anywhere leaves nothing behind: no row, and no file (the files
       written are deleted when the transaction fails; see `cases.files`)."""
    place = place or Place()
    if request_type.organisation_id != organisation.pk or not request_type.is_active:
        raise DomainError(_("ไม่พบประเภทคำร้องนี้ในหน่วยงาน"), code="foreign_type")
    if not subject.strip() or not details.strip():
        raise DomainError(_("กรุณากรอกหัวข้อเรื่องและรายละเอียด"), code="required")
    national_id = normalise_national_id(requester.national_id)
    phone = normalise_mobile(requester.phone)
    if request_type.location == LocationRule.REQUIRED and not place.is_given():
        raise DomainError(_("คำร้องประเภทนี้ต้องระบุสถานที่ดำเนินการ"), code="location_required")
    if request_type.location == LocationRule.NOT_ASKED:
        place = Place()
    if request_type.id_card_required and not any(f.kind == AttachmentKind.ID_CARD for f in files):
        raise DomainError(_("คำร้องประเภทนี้ต้องแนบรูปบัตรประชาชน"), code="id_card_required")

    existing = _already_submitted(organisation, submission_key)
    if existing is not None:
        return existing

    now = now or timezone.now()
    local_today = timezone.localdate(now)
    fields = {
        "organisation": organisation,
        "request_type": request_type,
        "subject": subject.strip(),
        "details": details.strip(),
        "requester_title": requester.title.strip(),
        "requester_first_name": requester.first_name.strip(),
        "requester_last_name": requester.last_name.strip(),
        "national_id_encrypted": crypto.encrypt(national_id),
        "national_id_hash": crypto.lookup_hash(national_id),
        "national_id_masked": mask_national_id(national_id),
        "phone": phone,
        "email": requester.email.strip().lower(),
        **{name: getattr(place, name) for name in Place.__dataclass_fields__},
        "channel": channel,
        "status": Status.SUBMITTED,
        "department": _route(organisation, request_type, place),
        "due_date": add_working_days(local_today, request_type.sla_days),
        "first_response_due": add_working_days(
            local_today, min(settings.ONESTOP_FIRST_RESPONSE_DAYS, request_type.sla_days)
        ),
        "submitted_at": now,
        "submission_key": submission_key or None,
    }
    # The files written are deleted if anything fails, the commit included.
    with files_removed_on_failure(), transaction.atomic():
        case = _create_with_unique_number(fields, organisation, submission_key, local_today)
        if case.events.exists():  # a concurrent retry with the same key won the race
            return case
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.STATUS,
            actor_kind=Actor.STAFF if filed_by else Actor.CITIZEN,
            actor=filed_by,
            to_status=Status.SUBMITTED,
        )
        for new_file in files:
            attachment_add(case=case, new_file=new_file, uploaded_by=filed_by)
    return case


def _already_submitted(organisation: Organisation, submission_key: str | None) -> Case | None:
    if not submission_key:
        return None
    return Case.objects.filter(organisation=organisation, submission_key=submission_key).first()


def _route(
    organisation: Organisation, request_type: RequestType, place: Place
) -> Department | None:
    """The division for a new request: the organisation's routing rules (ONESTOP_CASE_ROUTER,
    kept by the back office) when one matches, else the type's default division."""
    router_path = getattr(settings, "ONESTOP_CASE_ROUTER", "")
    if router_path:
        router = import_string(router_path)
        routed: Department | None = router(
            organisation=organisation, request_type=request_type, village_no=place.village_no
        )
        if routed is not None:
            return routed
    return request_type.default_department


def _create_with_unique_number(
    fields: dict[str, object],
    organisation: Organisation,
    submission_key: str | None,
    local_today: dt.date,
) -> Case:
    for _attempt in range(_NUMBER_ATTEMPTS):
        number = numbering.generate(buddhist_year(local_today))
        try:
            with transaction.atomic():  # a savepoint: a collision does not spoil the outer one
                return Case.objects.create(number=number, **fields)
        except IntegrityError:
            existing = _already_submitted(organisation, submission_key)
            if existing is not None:
                return existing
    raise DomainError(_("ระบบไม่สามารถออกเลขคำร้องได้ กรุณาลองใหม่อีกครั้ง"), code="numbering")


def case_transition(
    *,
    case: Case,
    to: Status,
    actor_kind: Actor,
    actor: User | None = None,
    public_message: str = "",
    internal_note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Move `case` to status `to`, append the timeline event, and return the updated case.

    Raises DomainError for a move the workflow does not allow (or not to this actor), for a
    missing message where the citizen must be told why, and for a stale `expected_version`
    (someone else changed the request since the form was shown)."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        current = Status(locked.status)
        move = next(
            (
                rule
                for rule in MOVES.values()
                if rule.leads.get(current) == to and rule.actor == actor_kind
            ),
            None,
        )
        if move is None:
            raise DomainError(
                _("ไม่สามารถเปลี่ยนสถานะจาก “%(from)s” เป็น “%(to)s” ได้")
                % {"from": current.label, "to": Status(to).label},
                code="illegal_transition",
            )
        if move.needs_message and not public_message.strip():
            raise DomainError(_("กรุณาระบุเหตุผลหรือข้อความถึงผู้ยื่นคำร้อง"), code="message_required")
        if expected_version is not None and expected_version != locked.version:
            raise DomainError(_("มีผู้อื่นแก้ไขคำร้องนี้ไปแล้ว กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"), code="stale")
        now = timezone.now()
        locked.status = to
        locked.version += 1
        if to == Status.RECEIVED and locked.received_at is None:
            locked.received_at = now
        locked.completed_at = now if to == Status.COMPLETED else None
        locked.save(
            update_fields=["status", "version", "received_at", "completed_at", "updated_at"]
        )
        CaseEvent.objects.create(
            case=locked,
            kind=EventKind.STATUS,
            actor_kind=actor_kind,
            actor=actor,
            from_status=current,
            to_status=to,
            public_message=public_message.strip(),
            internal_note=internal_note.strip(),
        )
    return locked


def case_assign(
    *,
    case: Case,
    department: Department,
    assignee: User | None,
    actor: User,
    internal_note: str = "",
) -> Case:
    """Route `case` to a department of its organisation and, optionally, one of its officers."""
    if department.organisation_id != case.organisation_id:
        raise DomainError(_("กอง/สำนักนี้ไม่ได้อยู่ในองค์กรนี้"), code="foreign_department")
    if (
        assignee is not None
        and not Membership.objects.filter(
            user=assignee, organisation_id=case.organisation_id, is_active=True
        ).exists()
    ):
        raise DomainError(_("ผู้รับผิดชอบไม่ได้เป็นเจ้าหน้าที่ขององค์กรนี้"), code="foreign_assignee")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.department = department
        locked.assignee_id = assignee.pk if assignee is not None else None
        locked.version += 1
        locked.save(update_fields=["department", "assignee", "version", "updated_at"])
        CaseEvent.objects.create(
            case=locked,
            kind=EventKind.ASSIGNMENT,
            actor_kind=Actor.STAFF,
            actor=actor,
            internal_note=internal_note.strip()
            or _("มอบหมายให้ %(department)s") % {"department": department.name_th},
        )
    return locked


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
