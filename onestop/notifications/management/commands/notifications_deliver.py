"""Deliver every due message now (the worker's task does this on its own; run it from cron as
a safety net, or by hand after an outage)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestop.notifications.delivery import deliver_due


class Command(BaseCommand):
    help = "Deliver the notifications that are due (outbox)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = deliver_due()
        self.stdout.write(f"sent {sent}")
