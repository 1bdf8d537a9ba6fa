"""Delete API rate-limit counters whose window and lock are over (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestop.api.keys import prune


class Command(BaseCommand):
    help = "Delete expired API rate-limit counters."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{prune()} expired counter(s) deleted")
