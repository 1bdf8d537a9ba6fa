"""Background notifications (django.tasks; the database backend runs them in `db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.cases.models import Case
from onestop.notifications.models import Channel, SentNotification
from onestop.organisations.models import Membership, Role


def staff_recipients(case: Case) -> list[str]:
    """Who should hear about `case`: its assignee; else the active officers and heads of its
    department; else the organisation's counter officers. Only addresses that exist, and for a
    confidential request only members granted confidential access."""
    members = Membership.objects.filter(organisation_id=case.organisation_id, is_active=True)
    if case.request_type.is_confidential:  # a confidential request is told only to the granted
        members = members.filter(can_see_confidential=True)
    if case.assignee_id is not None:
        chosen = members.filter(user_id=case.assignee_id)
    elif case.department_id is not None:
        chosen = members.filter(
            department_id=case.department_id, role__in=[Role.OFFICER, Role.HEAD]
        )
    else:
        chosen = members.none()
    if not chosen.exists():
        chosen = members.filter(role=Role.COUNTER)
    emails = chosen.exclude(user__email="").values_list("user__email", flat=True)
    return sorted(set(emails))


@task()
def staff_notify_reopened(case_id: int) -> int:
    """E-mail the staff in charge that the citizen reopened `case_id`; return how many were told."""
    case = Case.objects.select_related("organisation", "request_type").get(pk=case_id)
    recipients = staff_recipients(case)
    if not recipients:
        return 0
    link = f"{settings.ONESTOP_PUBLIC_URL}/staff/{case.organisation.slug}/cases/{case.number}/"
    reason = (
        case.events.filter(to_status=case.status)
        .order_by("-pk")
        .values_list("citizen_message", flat=True)
        .first()
    )
    with translation.override("th"):  # staff mail in Thai, whatever language the citizen used
        subject = _("คำร้อง %(number)s ถูกเปิดใหม่: ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไข") % {
            "number": case.display_number
        }
        body = _(
            "ผู้ยื่นคำร้อง %(number)s เรื่อง “%(subject)s” แจ้งว่าปัญหายังไม่ได้รับการแก้ไข "
            "คำร้องจึงกลับมาอยู่ในสถานะกำลังดำเนินการ\n\nเหตุผลจากผู้ยื่น: %(reason)s\n\n"
            "เปิดคำร้อง: %(link)s"
        ) % {
            "number": case.display_number,
            "subject": case.subject,
            "reason": reason or "-",
            "link": link,
        }
    send_mail(subject, body, None, recipients)
    SentNotification.objects.create(
        case=case, channel=Channel.EMAIL, recipients=", ".join(recipients), subject=subject
    )
    return len(recipients)


def notify_reopened_after_commit(case: Case) -> None:
    """Enqueue the staff notification once the reopening is committed (never for a rollback)."""
    case_id = case.pk
    transaction.on_commit(lambda: staff_notify_reopened.enqueue(case_id))


def _heads(case: Case) -> list[str]:
    heads = Membership.objects.filter(
        organisation_id=case.organisation_id, department_id=case.department_id or 0,
        role=Role.HEAD, is_active=True,
    )  # fmt: skip
    if case.request_type.is_confidential:
        heads = heads.filter(can_see_confidential=True)
    return sorted(set(heads.exclude(user__email="").values_list("user__email", flat=True)))


@task()
def staff_notify_completed_by_officer(case_id: int, officer_name: str) -> int:
    """E-mail the heads of the request's department that an officer completed it (the
    organisation lets officers complete their own work; the head is told)."""
    case = Case.objects.select_related("organisation", "request_type").get(pk=case_id)
    recipients = _heads(case)
    if not recipients:
        return 0
    link = f"{settings.ONESTOP_PUBLIC_URL}/staff/{case.organisation.slug}/cases/{case.number}/"
    with translation.override("th"):
        subject = _("คำร้อง %(number)s ดำเนินการแล้วเสร็จโดย %(officer)s") % {
            "number": case.display_number, "officer": officer_name,
        }  # fmt: skip
        body = _(
            "%(officer)s ปิดคำร้อง %(number)s เรื่อง “%(subject)s” ว่าดำเนินการแล้วเสร็จ\n\n"
            "เปิดคำร้อง: %(link)s"
        ) % {
            "officer": officer_name, "number": case.display_number, "subject": case.subject,
            "link": link,
        }  # fmt: skip
    send_mail(subject, body, None, recipients)
    SentNotification.objects.create(
        case=case, channel=Channel.EMAIL, recipients=", ".join(recipients), subject=subject
    )
    return len(recipients)


def notify_heads_after_commit(case: Case, *, completed_by: User) -> None:
    """Enqueue the heads' notification once the completion is committed."""
    case_id, name = case.pk, completed_by.get_full_name() or completed_by.get_username()
    transaction.on_commit(lambda: staff_notify_completed_by_officer.enqueue(case_id, name))
