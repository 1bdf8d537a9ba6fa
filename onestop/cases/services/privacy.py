"""PDPA: removing the requester's personal data from closed requests, when the organisation's
retention period has passed (a daily task) or when the person asks (an administrator, from the
back office's data-subject page).

What goes: the name, the national ID (ciphertext, look-up hash and masked form), the phone, the
e-mail, the house number, the landmark, the citizen's own words in the timeline, the ID-card
photo, the documents the citizen uploaded and the rendered request documents (PDF, kept per
version by `onestop.cases.rendered`); the location is rounded to about 100 m. What
stays: the request itself (number, type, subject, details, subdistrict, dates, statuses, staff
work and published result photos), so the organisation's statistics and published reports do
not change. Staff must not put personal data in a subject or details; the form says so.

Like every change of a request, it goes through `_lock` and `_record`: one event
(`EventKind.ANONYMISED`), one audit entry, in one transaction; the files are deleted from the
storage after the commit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.cases.models import Attachment, AttachmentKind, Case, CaseEvent, EventKind
from onestop.cases.rendered import rendered_delete
from onestop.cases.services.changes import By, _lock, _record
from onestop.cases.workflow import CLOSED_STATUSES, Actor
from onestop.core.errors import DomainError
from onestop.organisations.models import Organisation

# The ID-card photo and the documents filed with the request (whoever uploaded them at the
# counter); staff result photos stay.
CITIZEN_FILES = (AttachmentKind.ID_CARD, AttachmentKind.DOCUMENT)
_ROUND = Decimal("0.001")  # about 110 m of latitude


def case_anonymise(*, case: Case, by: By) -> Case:
    """Remove the requester's personal data from a closed request (see the module's text).
    An open request is refused: the organisation still needs to reach the person."""
    with transaction.atomic():
        locked = _lock(case, None)
        if locked.status not in CLOSED_STATUSES:
            raise DomainError(
                _("คำร้องนี้ยังดำเนินการอยู่ ลบข้อมูลส่วนบุคคลได้เมื่อปิดเรื่องแล้ว"),
                code="still_open",
            )
        if locked.anonymised_at is not None:
            return locked
        files = list(Attachment.objects.filter(case=locked, kind__in=CITIZEN_FILES))
        names = [attachment.file.name or "" for attachment in files]
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in files]).delete()
        CaseEvent.objects.filter(case=locked).exclude(citizen_message="").update(citizen_message="")
        fields: dict[str, object] = {
            "requester_title": "", "requester_first_name": "", "requester_last_name": "",
            "national_id_encrypted": "", "national_id_hash": "", "national_id_masked": "",
            "phone": "", "email": "", "house_no": "", "landmark": "",
            "anonymised_at": by.at or timezone.now(),
        }  # fmt: skip
        if locked.latitude is not None and locked.longitude is not None:
            fields["latitude"] = locked.latitude.quantize(_ROUND)
            fields["longitude"] = locked.longitude.quantize(_ROUND)
        changed = _record(
            locked, by=by, kind=EventKind.ANONYMISED, fields=fields,
            data={"files_removed": len(names)},
        )  # fmt: skip
        transaction.on_commit(lambda: _delete_files(names))
        # The rendered request documents print the name, the masked ID and phone.
        transaction.on_commit(lambda: rendered_delete(locked.pk))
    return changed


def _delete_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def cases_past_retention(*, organisation: Organisation, now: dt.datetime) -> QuerySet[Case]:
    """Closed requests of `organisation` whose last change is older than its retention period
    and whose personal data is still there."""
    cutoff = now - dt.timedelta(days=organisation.personal_data_retention_days)
    recent = CaseEvent.objects.filter(case=OuterRef("pk"), created_at__gte=cutoff)
    return Case.objects.filter(
        organisation=organisation, status__in=CLOSED_STATUSES, anonymised_at__isnull=True,
        submitted_at__lt=cutoff,
    ).filter(~Exists(recent))  # fmt: skip


def retention_apply(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Anonymise up to `limit` requests past their organisation's retention period (the daily
    task; run again until it returns 0). Each request is its own transaction."""
    now = now or timezone.now()
    done = 0
    for organisation in Organisation.objects.order_by("pk"):
        for case in cases_past_retention(organisation=organisation, now=now)[: limit - done]:
            case_anonymise(case=case, by=By(Actor.SYSTEM, at=now))
            done += 1
        if done >= limit:
            break
    return done
