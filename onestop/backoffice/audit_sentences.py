"""The audit trail as a data-protection officer reads it: one sentence per entry ("สมชาย ใจดี
เปิดดูเลขประจำตัวประชาชนเต็มของคำร้อง 69-04217-88315-6 เมื่อ 1 ธ.ค. 2569 เวลา 14:05 น."), written
from the entry alone (its actor, action, reference and details), for the page and the export."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.cases import numbering
from onestop.core.models import AuditAction, AuditLog
from onestop.core.thaidate import format_datetime

# What each action says, after who did it. %(ref)s is the request number (or the member,
# the type ... the entry is about).
_PHRASES = {
    AuditAction.CASE_VIEW: gettext_lazy("เปิดดูคำร้อง %(ref)s"),
    AuditAction.LIST_VIEW: gettext_lazy("เปิดดูรายการคำร้อง"),
    AuditAction.NATIONAL_ID_VIEW: gettext_lazy("เปิดดูเลขประจำตัวประชาชนเต็มของคำร้อง %(ref)s"),
    AuditAction.FILE_DOWNLOAD: gettext_lazy("เปิดไฟล์แนบของคำร้อง %(ref)s"),
    AuditAction.DOCUMENT_PRINT: gettext_lazy("พิมพ์เอกสารคำร้อง %(ref)s"),
    AuditAction.CASE_CHANGE: gettext_lazy("แก้ไขคำร้อง %(ref)s"),
    AuditAction.CASE_CREATE: gettext_lazy("บันทึกคำร้อง %(ref)s แทนประชาชน"),
    AuditAction.EXPORT: gettext_lazy("ส่งออกข้อมูล"),
    AuditAction.STAFF_CHANGE: gettext_lazy("เพิ่มหรือแก้ไขสิทธิ์ของเจ้าหน้าที่ %(ref)s"),
    AuditAction.CATALOGUE_CHANGE: gettext_lazy("แก้ไขประเภทคำร้อง %(ref)s"),
    AuditAction.DENIED: gettext_lazy("ถูกปฏิเสธการเข้าถึง %(ref)s"),
}
_ID_CARD = gettext_lazy("เปิดดูรูปบัตรประชาชนของคำร้อง %(ref)s")
_REQUEST_OBJECTS = frozenset({"case", "attachment"})


def audit_actor_name(entry: AuditLog) -> str:
    """The member's name as it is now (their username at the time if the account is gone)."""
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.get_username()
    return entry.actor_username or _("ระบบ")


def audit_ref(entry: AuditLog) -> str:
    """The reference as people write it: a request number with its dashes."""
    if entry.object_type in _REQUEST_OBJECTS:
        return numbering.display(entry.object_ref)
    return entry.object_ref


def audit_sentence(entry: AuditLog) -> str:
    """One line a person reads: who did what to which request, and when. Needs the entry's
    `actor` (select it with the entry)."""
    phrase = _PHRASES.get(AuditAction(entry.action)) if entry.action in AuditAction.values else None
    if entry.action == AuditAction.FILE_DOWNLOAD and entry.details.get("kind") == "id_card":
        phrase = _ID_CARD
    what = str(phrase) % {"ref": audit_ref(entry) or "—"} if phrase else entry.action
    when = format_datetime(entry.created_at, short=True)
    return _("%(who)s %(what)s เมื่อ %(when)s") % {
        "who": audit_actor_name(entry), "what": what.strip(), "when": when,
    }  # fmt: skip
