"""Deliver every due message now (the worker's task does this on its own; run it from cron as
a safety net, or by hand after an outage). Also plans today's daily digests if their hour has
passed (a catch-up when the worker was down) and puts abandoned task runs back in the queue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestop.notifications.delivery import deliver_due
from onestop.notifications.digest import digests_plan
from onestop.notifications.sweep import tasks_requeue_abandoned


class Command(BaseCommand):
    help = "Deliver due notifications, plan today's digests, requeue abandoned tasks."

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = tasks_requeue_abandoned()
        planned = digests_plan()
        sent = deliver_due()
        self.stdout.write(f"sent {sent} (digests planned {planned}, tasks requeued {requeued})")
