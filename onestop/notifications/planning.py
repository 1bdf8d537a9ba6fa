"""Who gets what: for each event appended to a request's log (`cases.signals.event_recorded`,
sent inside the change's transaction), the messages to plan in the outbox.

Citizen (by e-mail, when they gave one; in the language they filed in): the confirmation on
filing with the request document, every status change staff make, every message staff make
public, a request for information with the link to answer, the completion with the outcome and
the links to confirm and rate. Never an internal note. By SMS too, when the organisation has an
active SMS gateway: the confirmation, status changes, the request for information and the
completion, each a short text with the number (and the tracking link where they must act).

Staff (in Thai): a new request (the routed division's officers and heads, else the counter);
a request assigned to them (or to their division); information added by the citizen and a
citizen's "not solved" (the assignee, else the division, else the counter); an officer's
completion (the division's heads). Never the person who made the change. Each by the channels
the member chose for that kind (`ChannelPreference`: their own, else the organisation's
default, else e-mail); by SMS the subject alone. For a confidential
type only members granted confidential access, and no mail carries its subject or type."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onestop.cases.models import Case, CaseEvent, EventKind
from onestop.cases.workflow import Actor, Move, Status
from onestop.core import links
from onestop.core.identity import is_mobile  # a landline given at the counter gets no SMS
from onestop.core.thaidate import format_date
from onestop.notifications.line import line_channel_active, linked_line_users
from onestop.notifications.models import Attachment, Channel, LineLink, Message, MessageKind
from onestop.notifications.selectors import sms_gateway_active, staff_channels
from onestop.notifications.services import message_plan
from onestop.organisations.models import Membership, Role

# An event stamped this long before it is recorded is history being loaded (the demo's
# `By(at=…)`), not news: nobody is told.
HISTORY_AGE = dt.timedelta(minutes=10)

_CITIZEN_STATUS_MOVES = frozenset(
    {Move.RECEIVE, Move.START, Move.FORWARD, Move.REJECT, Move.REOPEN}
)
# Told by SMS too when the organisation has a gateway: a message staff made public is not (it
# may be long; the e-mail and the tracking page carry it).
SMS_KINDS = frozenset(
    {
        MessageKind.CITIZEN_FILED,
        MessageKind.CITIZEN_STATUS,
        MessageKind.CITIZEN_WAITING,
        MessageKind.CITIZEN_COMPLETED,
    }
)


def on_event_recorded(sender: type[Case], *, case: Case, event: CaseEvent, **_kw: Any) -> None:
    """Plan the messages of `event` (connected in `NotificationsConfig.ready`)."""
    if event.created_at < timezone.now() - HISTORY_AGE:
        return
    move = Move(event.move) if event.move else None
    language = _filing_language(case, event)
    _to_citizen(case, event, move, language)
    _to_staff(case, event, move)


# --- the citizen -------------------------------------------------------------------------------


def _filing_language(case: Case, event: CaseEvent) -> str:
    """At filing, the language active in the request that filed it; later, the language of the
    confirmation (the citizen's choice in the wizard), else the site's default."""
    known = {code for code, _name in settings.LANGUAGES}
    if event.move == Move.SUBMIT:
        active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return active if active in known else settings.LANGUAGE_CODE
    return _filing_language_of(case)


def _filing_language_of(case: Case) -> str:
    first = (
        Message.objects.filter(case=case, kind=MessageKind.CITIZEN_FILED)
        .values_list("language", flat=True)
        .first()
    )
    return first or settings.LANGUAGE_CODE


def _to_citizen(case: Case, event: CaseEvent, move: Move | None, language: str) -> None:
    if event.actor_kind == Actor.CITIZEN and move != Move.SUBMIT:
        return  # the citizen's own change, which they saw happen
    kind = _citizen_kind(event, move)
    if kind is None:
        return
    if case.email:
        with translation.override(language):
            subject, body = _citizen_text(kind, case, event)
        message_plan(
            kind=kind, recipient=case.email, subject=subject, body=body, language=language,
            case=case, event=event,
            attachment=Attachment.REQUEST_DOCUMENT
            if kind == MessageKind.CITIZEN_FILED and not case.request_type.is_confidential
            else Attachment.NONE,
        )  # fmt: skip
    if kind != MessageKind.CITIZEN_FILED:  # followed in LINE only after filing
        _to_citizen_line(case, event, kind, language)
    if (
        kind in SMS_KINDS
        and is_mobile(case.phone)
        and sms_gateway_active(organisation=case.organisation)
    ):
        with translation.override(language):
            text = _citizen_sms(kind, case)
        message_plan(
            kind=kind, recipient=case.phone, subject=text, body=text, language=language,
            case=case, event=event, channel=Channel.SMS,
        )  # fmt: skip


def _to_citizen_line(case: Case, event: CaseEvent, kind: MessageKind, language: str) -> None:
    """To every LINE user who linked this request, when the organisation has LINE: what
    happened, staff's public words and the tracking link (no name, no address)."""
    users = linked_line_users(case=case)
    if not users or line_channel_active(organisation=case.organisation_id) is None:
        return
    with translation.override(language):
        subject, _body = _citizen_text(kind, case, event)
        track = links.tracking_url(case.organisation.slug, case.number)
        text = "\n\n".join(part for part in (subject, event.public_message, track) if part)
    for user in users:
        message_plan(
            kind=kind, recipient=user, subject=subject, body=text, language=language,
            case=case, event=event, channel=Channel.LINE,
        )  # fmt: skip


def plan_line_linked(*, case: Case, line_user: str, link: LineLink) -> None:
    """The first LINE message: this chat now follows request N (in the filing language)."""
    language = _filing_language_of(case)
    with translation.override(language):
        text = _("แจ้งความคืบหน้าคำร้องเลขที่ %(number)s ทาง LINE นี้แล้ว ติดตามผลได้ที่ %(link)s") % {
            "number": case.display_number,
            "link": links.tracking_url(case.organisation.slug, case.number),
        }
    message_plan(
        kind=MessageKind.CITIZEN_LINE_LINKED, recipient=line_user, subject=str(text),
        body=str(text), language=language, case=case, channel=Channel.LINE,
        origin=f"line{link.pk}",
    )  # fmt: skip


def _citizen_kind(event: CaseEvent, move: Move | None) -> MessageKind | None:
    if move == Move.SUBMIT:
        return MessageKind.CITIZEN_FILED
    if move == Move.ASK:
        return MessageKind.CITIZEN_WAITING
    if move == Move.COMPLETE:
        return MessageKind.CITIZEN_COMPLETED
    if move in _CITIZEN_STATUS_MOVES:
        return MessageKind.CITIZEN_STATUS
    if event.kind == EventKind.NOTE and event.public_message:
        return MessageKind.CITIZEN_MESSAGE
    return None


def _citizen_sms(kind: MessageKind, case: Case) -> str:
    """The SMS: short plain text, no name, subject or staff words (a phone's lock screen shows
    it; a long quote would cost segments): one UCS-2 segment (70 characters) where the citizen
    need not act, two with the tracking link where they may. It is also the message's subject
    on the case page: staff see exactly what was sent."""
    texts = {
        MessageKind.CITIZEN_FILED: _("รับคำร้องเลขที่ %(number)s แล้ว ติดตามผล %(link)s"),
        MessageKind.CITIZEN_WAITING: _("คำร้อง %(number)s: ขอข้อมูลเพิ่มเติม ส่งได้ที่ %(link)s"),
        MessageKind.CITIZEN_COMPLETED: _("คำร้อง %(number)s เสร็จแล้ว ยืนยันผลและให้คะแนนที่ %(link)s"),
        MessageKind.CITIZEN_STATUS: _("คำร้อง %(number)s สถานะ: %(status)s"),
    }
    return texts[kind] % {
        "number": case.display_number,
        "link": links.tracking_url(case.organisation.slug, case.number),
        "status": Status(case.status).label,
    }


def case_what(case: Case) -> str:
    """The request as named in a mail: never the subject or type of a confidential one."""
    if case.request_type.is_confidential:
        return _("เรื่องที่ขอให้ปกปิด (ดูรายละเอียดในระบบ)")
    return f"{case.request_type.name_th}: {case.subject}"


def _citizen_text(kind: MessageKind, case: Case, event: CaseEvent) -> tuple[str, str]:
    number = case.display_number
    track = links.tracking_url(case.organisation.slug, case.number)
    status = Status(case.status).label
    said = event.public_message  # staff's words to the citizen; never the internal note
    organisation = case.organisation.name_th
    if kind == MessageKind.CITIZEN_FILED:
        subject = _("ได้รับคำร้องเลขที่ %(number)s แล้ว") % {"number": number}
        lines = [
            _("%(organisation)s ได้รับคำร้องของท่านแล้ว") % {"organisation": organisation},
            _("เลขที่คำร้อง: %(number)s") % {"number": number},
            _("เรื่อง: %(what)s") % {"what": case_what(case)},
            _("กำหนดแล้วเสร็จ: %(date)s") % {"date": format_date(case.due_date) or "-"},
            _("ติดตามผลได้ที่ %(link)s ด้วยเลขคำร้องและเบอร์โทรศัพท์ 4 ตัวท้าย") % {"link": track},
        ]
        if not case.request_type.is_confidential:
            lines.append(_("เอกสารคำร้องแนบมากับอีเมลนี้"))
    elif kind == MessageKind.CITIZEN_WAITING:
        subject = _("คำร้อง %(number)s: เจ้าหน้าที่ขอข้อมูลเพิ่มเติม") % {"number": number}
        lines = [
            _("เจ้าหน้าที่ขอข้อมูลเพิ่มเติมเกี่ยวกับคำร้องเลขที่ %(number)s") % {"number": number},
            said,
            _("ส่งข้อมูลได้ที่ %(link)s") % {"link": track},
        ]
    elif kind == MessageKind.CITIZEN_COMPLETED:
        subject = _("คำร้อง %(number)s ดำเนินการแล้วเสร็จ") % {"number": number}
        lines = [
            _("คำร้องเลขที่ %(number)s ดำเนินการแล้วเสร็จ") % {"number": number},
            _("ผลการดำเนินการ: %(outcome)s") % {"outcome": said or "-"},
            _("ยืนยันว่าได้รับการแก้ไขแล้ว หรือแจ้งว่ายังไม่ได้รับการแก้ไข และให้คะแนนความพึงพอใจ "
              "ได้ที่ %(link)s") % {"link": track},
        ]  # fmt: skip
    elif kind == MessageKind.CITIZEN_MESSAGE:
        subject = _("คำร้อง %(number)s: ข้อความจากเจ้าหน้าที่") % {"number": number}
        lines = [said, _("ดูรายละเอียดได้ที่ %(link)s") % {"link": track}]
    else:
        subject = _("คำร้อง %(number)s: %(status)s") % {"number": number, "status": status}
        lines = [
            _("คำร้องเลขที่ %(number)s มีสถานะ “%(status)s”") % {"number": number, "status": status},
            said,
            _("ดูรายละเอียดได้ที่ %(link)s") % {"link": track},
        ]
    footer = _("อีเมลนี้ส่งโดยอัตโนมัติจาก %(organisation)s กรุณาอย่าตอบกลับ") % {
        "organisation": organisation
    }
    return str(subject), "\n\n".join([*(line for line in lines if line), footer])


# --- staff -------------------------------------------------------------------------------------


def _members(case: Case) -> Any:
    members = Membership.objects.filter(
        organisation_id=case.organisation_id, is_active=True, user__is_active=True
    ).exclude(user__email="")
    if case.request_type.is_confidential:  # told only to those granted confidential access
        members = members.filter(can_see_confidential=True)
    return members


def staff_in_charge(case: Case) -> list[User]:
    """The assignee; else the active officers and heads of the request's division; else the
    counter officers. For a confidential request, only members granted it."""
    members = _members(case)
    chosen = members.none()
    if case.assignee_id is not None:
        chosen = members.filter(user_id=case.assignee_id)
    if not chosen.exists() and case.department_id is not None:
        chosen = members.filter(
            department_id=case.department_id, role__in=[Role.OFFICER, Role.HEAD]
        )
    if not chosen.exists():
        chosen = members.filter(role=Role.COUNTER)
    return _users(chosen)


def _users(memberships: Any) -> list[User]:
    return sorted({m.user for m in memberships.select_related("user")}, key=lambda u: u.email)


def _to_staff(case: Case, event: CaseEvent, move: Move | None) -> None:
    recipients: list[User] = []
    kind: MessageKind | None = None
    if move == Move.SUBMIT:
        kind, recipients = MessageKind.STAFF_NEW, staff_in_charge(case)
    elif event.kind == EventKind.ASSIGNMENT:
        kind = MessageKind.STAFF_ASSIGNED
        recipients = staff_in_charge(case)
    elif move == Move.ANSWER:
        kind, recipients = MessageKind.STAFF_INFORMATION, staff_in_charge(case)
    elif move == Move.NOT_SOLVED:
        kind, recipients = MessageKind.STAFF_NOT_SOLVED, staff_in_charge(case)
    elif move == Move.COMPLETE and _is_officer(case, event.actor_id):
        kind = MessageKind.STAFF_COMPLETED
        recipients = _users(
            _members(case).filter(department_id=case.department_id or 0, role=Role.HEAD)
        )
    if kind is None:
        return
    with translation.override("th"):  # staff mail in Thai, whatever language the citizen used
        subject, body = _staff_text(kind, case, event)
    if kind == MessageKind.STAFF_NEW:
        _to_staff_line_group(case, event, subject)
    recipients = [user for user in recipients if user.pk != event.actor_id]
    channels = staff_channels(organisation=case.organisation, users=recipients, kind=kind)
    for user in recipients:
        for channel, address in channels[user.pk].items():
            # An SMS carries the subject only: a number and what happened, never a name.
            text = subject if channel == Channel.SMS else body
            message_plan(
                kind=kind, recipient=address, subject=subject, body=text, language="th",
                case=case, event=event, user=user, channel=channel,
            )  # fmt: skip


def _to_staff_line_group(case: Case, event: CaseEvent, subject: str) -> None:
    """A new request, to the organisation's staff LINE group (if it set one): the subject
    line (number; never a name) and the link to the request."""
    channel = line_channel_active(organisation=case.organisation_id)
    if channel is None or not channel.staff_group_id:
        return
    link = f"{settings.ONESTOP_PUBLIC_URL}/staff/{case.organisation.slug}/cases/{case.number}/"
    message_plan(
        kind=MessageKind.STAFF_NEW, recipient=channel.staff_group_id, subject=subject,
        body=f"{subject}\n{link}", language="th", case=case, event=event, channel=Channel.LINE,
    )  # fmt: skip


def _is_officer(case: Case, user_id: int | None) -> bool:
    return (
        user_id is not None
        and Membership.objects.filter(
            organisation_id=case.organisation_id, user_id=user_id, role=Role.OFFICER
        ).exists()
    )


def _staff_text(kind: MessageKind, case: Case, event: CaseEvent) -> tuple[str, str]:
    number = case.display_number
    link = f"{settings.ONESTOP_PUBLIC_URL}/staff/{case.organisation.slug}/cases/{case.number}/"
    actor = event.actor.get_full_name() or event.actor.get_username() if event.actor else ""
    subjects = {
        MessageKind.STAFF_NEW: _("คำร้องใหม่ %(number)s"),
        MessageKind.STAFF_ASSIGNED: _("คำร้อง %(number)s ได้รับมอบหมายให้ท่าน"),
        MessageKind.STAFF_INFORMATION: _("คำร้อง %(number)s: ผู้ยื่นส่งข้อมูลเพิ่มเติม"),
        MessageKind.STAFF_NOT_SOLVED: _("คำร้อง %(number)s ถูกเปิดใหม่: ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไข"),
        MessageKind.STAFF_COMPLETED: _("คำร้อง %(number)s ดำเนินการแล้วเสร็จโดย %(officer)s"),
    }
    subject = subjects[kind] % {"number": number, "officer": actor}
    lines = [_("คำร้องเลขที่ %(number)s เรื่อง %(what)s") % {"number": number, "what": case_what(case)}]
    if kind == MessageKind.STAFF_NEW:
        lines.append(_("กำหนดแล้วเสร็จ: %(date)s") % {"date": format_date(case.due_date) or "-"})
    if kind in {MessageKind.STAFF_INFORMATION, MessageKind.STAFF_NOT_SOLVED}:
        words = "" if case.request_type.is_confidential else event.citizen_message
        lines.append(_("ข้อความจากผู้ยื่น: %(words)s") % {"words": words or _("(ดูในระบบ)")})
    lines.append(_("เปิดคำร้อง: %(link)s") % {"link": link})
    return str(subject), "\n\n".join(lines)
