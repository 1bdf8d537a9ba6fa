"""Delete files uploaded in request wizards that were never submitted (run daily from cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from onestop.eservice.wizard import staging_clear


class Command(BaseCommand):
    help = "Delete staged wizard uploads older than the session lifetime."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours", type=int, default=max(1, settings.SESSION_COOKIE_AGE // 3600) + 1,
            help="age in hours after which a staged file is deleted (default: session age + 1)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = staging_clear(older_than=dt.timedelta(hours=options["hours"]))
        self.stdout.write(f"{deleted} staged file(s) deleted")
