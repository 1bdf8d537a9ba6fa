"""Data-subject requests under the PDPA (the organisation's administrators): find every request
of one person by national ID (through the keyed hash, never a scan of decrypted numbers), export
them, erase their personal data where the law allows (closed requests), and set how long closed
requests keep personal data. Every step is audit-logged with the ID masked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.backoffice.forms import StaffForm
from onestop.backoffice.permissions import StaffAccess
from onestop.cases.models import Case
from onestop.cases.selectors import case_list_by_national_id, case_national_id
from onestop.cases.services import By
from onestop.cases.services.privacy import case_anonymise
from onestop.cases.workflow import CLOSED_STATUSES
from onestop.core.audit import audit_record
from onestop.core.identity import normalise_national_id
from onestop.core.masking import mask_national_id
from onestop.core.models import AuditAction
from onestop.organisations.models import RETENTION_MINIMUM_DAYS, Organisation


class PersonForm(StaffForm):
    national_id = forms.CharField(
        label=_("เลขบัตรประชาชนของเจ้าของข้อมูล"), max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("กรุณากรอกหมายเลขบัตรประชาชน 13 หลัก"),
            "max_length": _("ยาวเกินไป: กรอกได้ไม่เกิน %(limit_value)d ตัวอักษร"),
        },
    )  # fmt: skip

    def clean_national_id(self) -> str:
        return normalise_national_id(self.cleaned_data["national_id"])


class RetentionForm(StaffForm):
    personal_data_retention_days = forms.IntegerField(
        label=_("เก็บข้อมูลส่วนบุคคลของคำร้องที่ปิดแล้ว (วัน)"),
        min_value=RETENTION_MINIMUM_DAYS, max_value=36500,
        help_text=_("อย่างน้อย 365 วัน ค่าเริ่มต้น 1,826 วัน (5 ปี)"),
        error_messages={
            "min_value": _("ต้องไม่น้อยกว่า %(limit_value)s วัน"),
            "max_value": _("ต้องไม่เกิน %(limit_value)s วัน"),
            "required": _("กรุณากรอกจำนวนวัน"),
            "invalid": _("กรุณากรอกจำนวนวันเป็นตัวเลข"),
        },
    )  # fmt: skip


def person_cases(*, access: StaffAccess, national_id: str) -> list[Case]:
    """The person's requests in this organisation that this member may see."""
    return list(
        case_list_by_national_id(
            organisation=access.organisation, national_id=national_id,
            include_confidential=access.can_see_confidential,
        ).select_related("request_type").order_by("-submitted_at")[:500]
    )  # fmt: skip


def person_search_audit(*, access: StaffAccess, request: Any, national_id: str, found: int) -> None:
    audit_record(
        request=request, action=AuditAction.DATA_SUBJECT_SEARCH,
        organisation=access.organisation, object_type="person",
        object_ref=mask_national_id(national_id), details={"found": found},
    )  # fmt: skip


def person_export(*, access: StaffAccess, request: Any, national_id: str) -> dict[str, Any]:
    """Everything OneStop holds about the person in this organisation, as they would receive it."""
    cases = person_cases(access=access, national_id=national_id)
    audit_record(
        request=request, action=AuditAction.EXPORT, organisation=access.organisation,
        object_type="person", object_ref=mask_national_id(national_id),
        details={"purpose": "data_subject_request", "requests": [c.display_number for c in cases]},
        confidential=any(c.request_type.is_confidential for c in cases),
    )  # fmt: skip
    return {
        "organisation": access.organisation.name_th,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "requests": [_case_export(case) for case in cases],
    }


def _case_export(case: Case) -> dict[str, Any]:
    return {
        "number": case.display_number,
        "type": case.request_type.name_th,
        "subject": case.subject,
        "details": case.details,
        "status": case.get_status_display(),
        "submitted_at": case.submitted_at.isoformat(),
        "requester": {
            "title": case.requester_title, "first_name": case.requester_first_name,
            "last_name": case.requester_last_name,
            "national_id": case_national_id(case) if case.national_id_encrypted else "",
            "phone": case.phone, "email": case.email,
        },
        "place": {
            "house_no": case.house_no, "village_no": case.village_no, "village": case.village,
            "soi": case.soi, "road": case.road, "subdistrict": case.subdistrict,
            "district": case.district, "province": case.province, "postcode": case.postcode,
            "landmark": case.landmark,
            "latitude": str(case.latitude) if case.latitude is not None else None,
            "longitude": str(case.longitude) if case.longitude is not None else None,
        },
        "timeline": [
            {"at": event.created_at.isoformat(), "what": event.get_kind_display(),
             "status": event.get_to_status_display() if event.to_status else "",
             "message_to_you": event.public_message, "your_words": event.citizen_message}
            for event in case.events.order_by("created_at", "pk")
        ],
        "files": [
            {"name": attachment.original_name, "kind": attachment.get_kind_display(),
             "size": attachment.size}
            for attachment in case.attachments.all()
        ],
        "personal_data_removed_at": case.anonymised_at.isoformat() if case.anonymised_at else None,
    }  # fmt: skip


def person_erase(
    *, access: StaffAccess, request: Any, national_id: str
) -> tuple[list[Case], list[Case]]:
    """Remove the person's data from their closed requests; return (erased, kept open)."""
    erased, kept = [], []
    for case in person_cases(access=access, national_id=national_id):
        if case.status not in CLOSED_STATUSES:
            kept.append(case)
            continue
        erased.append(case_anonymise(case=case, by=By.staff(access.user, request)))
    audit_record(
        request=request, action=AuditAction.PERSONAL_DATA_ERASE,
        organisation=access.organisation, object_type="person",
        object_ref=mask_national_id(national_id),
        details={"erased": [c.display_number for c in erased],
                 "kept_open": [c.display_number for c in kept]},
    )  # fmt: skip
    return erased, kept


def retention_set(*, access: StaffAccess, request: Any, days: int) -> Organisation:
    organisation = access.organisation
    if days < RETENTION_MINIMUM_DAYS:
        raise ValidationError(_("ต้องไม่น้อยกว่า %(limit_value)s วัน"), code="min_value")
    with transaction.atomic():
        before = organisation.personal_data_retention_days
        organisation.personal_data_retention_days = days
        organisation.save(update_fields=["personal_data_retention_days"])
        audit_record(
            request=request, action=AuditAction.STAFF_CHANGE, organisation=organisation,
            object_type="organisation", object_ref=organisation.slug,
            details={"personal_data_retention_days": [before, days]},
        )  # fmt: skip
    return organisation
