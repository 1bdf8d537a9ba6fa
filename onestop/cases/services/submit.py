"""Filing a request (`case_submit`): validated first, then one transaction with a fresh request
number, its first event, its files and (filed by staff) its audit entry; idempotent per
submission key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.cases import numbering, routing
from onestop.cases.files import files_removed_on_failure
from onestop.cases.models import (
    AttachmentKind,
    Case,
    CaseEvent,
    Channel,
    EventKind,
    NoIdReason,
)
from onestop.cases.services.attachments import NewFile, attachment_add
from onestop.cases.signals import event_recorded
from onestop.cases.workflow import (
    Actor,
    Move,
    Status,
)
from onestop.catalog.models import LocationRule, RequestType
from onestop.core import crypto
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.identity import normalise_mobile, normalise_national_id, normalise_phone
from onestop.core.masking import mask_national_id
from onestop.core.models import AuditAction
from onestop.core.thaidate import buddhist_year
from onestop.core.workdays import add_working_days
from onestop.organisations.models import Department, Organisation


@dataclass(frozen=True)
class Requester:
    title: str
    first_name: str
    last_name: str
    national_id: str  # as typed: normalised and validated by case_submit
    phone: str  # as typed: normalised to E.164 by case_submit
    email: str = ""
    # Staff only (counter and phone): the ID may be left empty with one of `NoIdReason`, and
    # the note that says more (required for "other").
    no_id_reason: str = ""
    no_id_note: str = ""


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
    request: HttpRequest | None = None,
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
    national_id, no_id = _identity(requester, filed_by_staff=filed_by is not None)
    # A caller at the counter or on the phone may only have a landline; online it is a mobile.
    phone = (
        normalise_mobile(requester.phone) if filed_by is None else normalise_phone(requester.phone)
    )
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
        "national_id_masked": mask_national_id(national_id) if national_id else "",
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
        event = CaseEvent.objects.create(
            case=case,
            kind=EventKind.STATUS,
            move=Move.SUBMIT,
            actor_kind=Actor.STAFF if filed_by else Actor.CITIZEN,
            actor=filed_by,
            created_at=now,
            to_status=Status.SUBMITTED,
            data={"channel": str(channel), **no_id},
        )
        for new_file in files:
            attachment_add(case=case, new_file=new_file, uploaded_by=filed_by)
        if filed_by is not None:  # staff filed it for a citizen: on the record with the request
            audit_record(
                request=request, actor=filed_by, action=AuditAction.CASE_CREATE,
                organisation=organisation, object_type="case", object_ref=case.number,
                details={"channel": str(channel), "type": request_type.key},
                confidential=request_type.is_confidential,
            )  # fmt: skip
        event_recorded.send(sender=Case, case=case, event=event)
    return case


def _identity(requester: Requester, *, filed_by_staff: bool) -> tuple[str, dict[str, str]]:
    """The normalised national ID, or (staff only) "" with the reason it was not given."""
    reason = requester.no_id_reason.strip()
    if not filed_by_staff or requester.national_id.strip() or not reason:
        return normalise_national_id(requester.national_id), {}
    if reason not in NoIdReason.values:
        raise DomainError(_("กรุณาเลือกเหตุผลที่ไม่มีเลขบัตรประชาชน"), code="no_id_reason")
    note = requester.no_id_note.strip()[:500]
    if reason == NoIdReason.OTHER and not note:
        raise DomainError(_("กรุณาระบุเหตุผลที่ไม่มีเลขบัตรประชาชน"), code="no_id_note")
    return "", {"no_id_reason": reason, "no_id_note": note}


def _already_submitted(organisation: Organisation, submission_key: str | None) -> Case | None:
    if not submission_key:
        return None
    return Case.objects.filter(organisation=organisation, submission_key=submission_key).first()


def _route(
    organisation: Organisation, request_type: RequestType, place: Place
) -> Department | None:
    """The division for a new request: the organisation's most specific routing rule, else the
    type's default division."""
    routed = routing.department_for(
        organisation=organisation, request_type=request_type, village_no=place.village_no
    )
    return routed if routed is not None else request_type.default_department


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
