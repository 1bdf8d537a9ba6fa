"""The daily digest: each member, once a Thai day, told of their overdue and soon-due requests.

1. From `DIGEST_AT` (07:00 Thai time) on, `digests_plan` plans one message per member and
   channel for today, if they have any request overdue or due within `SOON`: those assigned
   to them; for a head, every request of their division; for an officer, their division's
   unassigned ones; for the counter, unassigned ones without a division. Confidential
   requests only to members granted them, and never named.
2. The key is `digest<Thai date>-<organisation>-<member>`: planned again (a worker that
   started late, two workers, the safety-net timer), it is the same row, never a copy.
3. Who calls it: the `daily_digest` task, which re-enqueues itself for the next 07:00 (a
   run that finds its hour passed — the worker was down — runs at once: the catch-up), and
   `manage.py notifications_deliver` (the five-minute timer in production) and
   `manage.py notifications_digest` (run by `scripts/serve` before the worker starts)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onestop.cases.models import Case
from onestop.cases.workflow import OPEN_STATUSES
from onestop.core.thaidate import format_date
from onestop.notifications.models import Channel, MessageKind
from onestop.notifications.planning import case_what
from onestop.notifications.selectors import staff_channels
from onestop.notifications.services import message_plan
from onestop.notifications.sms import THAI_TIME
from onestop.organisations.models import Membership, Organisation, Role

log = logging.getLogger("onestop.notifications")

DIGEST_AT = dt.time(7, 0)  # Thai time
SOON = dt.timedelta(days=2)  # "soon due": due today, tomorrow or the day after


def digest_day(now: dt.datetime) -> dt.date | None:
    """The Thai date whose digest is due at `now`, or None before `DIGEST_AT`."""
    local = now.astimezone(THAI_TIME)
    return local.date() if local.time() >= DIGEST_AT else None


def next_digest_at(now: dt.datetime) -> dt.datetime:
    """The next `DIGEST_AT` after `now`, Thai time."""
    local = now.astimezone(THAI_TIME)
    moment = dt.datetime.combine(local.date(), DIGEST_AT, tzinfo=THAI_TIME)
    return moment if moment > local else moment + dt.timedelta(days=1)


def _theirs(membership: Membership, case: Case) -> bool:
    if case.request_type.is_confidential and not membership.can_see_confidential:
        return False
    if case.assignee_id == membership.user_id:
        return True
    in_division = (
        membership.department_id is not None and case.department_id == membership.department_id
    )
    if membership.role == Role.HEAD:
        return in_division
    if case.assignee_id is not None:
        return False
    if membership.role == Role.OFFICER:
        return in_division
    return membership.role == Role.COUNTER and case.department_id is None


def digest_text(
    *, organisation: Organisation, day: dt.date, overdue: list[Case], soon: list[Case]
) -> tuple[str, str]:
    """The digest's subject (also its SMS) and body, in Thai."""
    with translation.override("th"):
        subject = _("สรุปประจำวัน %(date)s: เกินกำหนด %(overdue)s เรื่อง ใกล้ครบกำหนด %(soon)s เรื่อง") % {
            "date": format_date(day), "overdue": len(overdue), "soon": len(soon),
        }  # fmt: skip
        lines = [str(subject)]
        for title, cases in ((_("เกินกำหนด"), overdue), (_("ใกล้ครบกำหนด"), soon)):
            if not cases:
                continue
            lines.append(f"{title}:")
            for case in cases:
                assert case.due_date is not None
                late = (day - case.due_date).days
                when = (
                    ngettext("เกิน %(days)s วัน", "เกิน %(days)s วัน", late) % {"days": late}
                    if late > 0
                    else _("ครบกำหนด %(date)s") % {"date": format_date(case.due_date)}
                )
                lines.append(f"- {case.display_number} {case_what(case)} ({when})")
        link = f"{settings.ONESTOP_PUBLIC_URL}/staff/{organisation.slug}/"
        lines.append(_("เปิดรายการคำร้อง: %(link)s") % {"link": link})
    return str(subject), "\n".join(lines)


def digests_plan(*, now: dt.datetime | None = None) -> int:
    """Plan today's digests (step 1), each member in a transaction of its own; return how many
    messages are planned (a repeated plan counts again: it is the same row)."""
    now = now or timezone.now()
    day = digest_day(now)
    if day is None:
        return 0
    planned = 0
    for organisation in Organisation.objects.filter(is_active=True):
        cases = list(
            Case.objects.filter(
                organisation=organisation, status__in=OPEN_STATUSES,
                due_date__lte=day + SOON,
            )
            .select_related("request_type")
            .order_by("due_date", "number")
        )  # fmt: skip
        if not cases:
            continue
        members = list(
            Membership.objects.filter(
                organisation=organisation, is_active=True, user__is_active=True
            ).select_related("user")
        )
        users: list[User] = [membership.user for membership in members]
        channels = staff_channels(
            organisation=organisation, users=users, kind=MessageKind.STAFF_DIGEST
        )
        for membership in members:
            theirs = [case for case in cases if _theirs(membership, case)]
            if not theirs or not channels[membership.user_id]:
                continue
            overdue = [case for case in theirs if case.due_date and case.due_date < day]
            soon = [case for case in theirs if case.due_date and case.due_date >= day]
            subject, body = digest_text(
                organisation=organisation, day=day, overdue=overdue, soon=soon
            )
            with transaction.atomic():
                for channel, address in channels[membership.user_id].items():
                    message_plan(
                        kind=MessageKind.STAFF_DIGEST, recipient=address, subject=subject,
                        body=subject if channel == Channel.SMS else body, language="th",
                        user=membership.user, channel=channel, organisation=organisation,
                        origin=f"digest{day:%Y%m%d}-{organisation.pk}-{membership.user_id}",
                    )  # fmt: skip
                    planned += 1
    return planned


def _has_waiting_run() -> bool:
    """Whether a `daily_digest` run is already waiting in django-tasks-db's queue."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (only with that backend)

    return DBTaskResult.objects.filter(
        task_path=daily_digest.module_path, status=TaskResultStatus.READY
    ).exists()


def daily_digest_schedule(when: dt.datetime | None = None) -> bool:
    """Enqueue `daily_digest` for `when` (now by default) unless a run is already waiting;
    return whether one was enqueued. Only with a backend that defers (django-tasks-db)."""
    backend = daily_digest.get_backend()
    if not backend.supports_defer:
        return False
    if backend.__class__.__module__.startswith("django_tasks_db") and _has_waiting_run():
        return False
    daily_digest.using(run_after=when or timezone.now()).enqueue()
    return True


@task()
def daily_digest() -> int:
    """Plan today's digests (a catch-up when the worker was down at the hour), make abandoned
    runs re-runnable, and come back at the next `DIGEST_AT`."""
    from onestop.notifications.sweep import tasks_requeue_abandoned  # noqa: PLC0415 (cycle)

    tasks_requeue_abandoned()
    planned = digests_plan()
    daily_digest_schedule(next_digest_at(timezone.now()))
    log.info("daily digest: %s messages planned", planned)
    return planned
