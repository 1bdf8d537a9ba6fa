"""Daily housekeeping of uploaded files (cron): request files that no attachment refers to
(left by a crash or an outer rollback between writing a file and committing its row) and
staged wizard uploads never submitted. Idempotent; a file written less than the grace period
ago is never touched, so it is safe while citizens and staff are uploading."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from onestop.cases.files import orphan_files_sweep
from onestop.eservice.wizard import staging_clear


class Command(BaseCommand):
    help = "Delete request files no attachment refers to, and expired staged wizard uploads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace-minutes", type=int, default=60,
            help="leave request files younger than this (being written now; default 60)",
        )  # fmt: skip
        parser.add_argument(
            "--staging-hours", type=int, default=max(1, settings.SESSION_COOKIE_AGE // 3600) + 1,
            help="age in hours after which a staged file is deleted (default: session age + 1)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if options["grace_minutes"] < 1:
            self.stderr.write("--grace-minutes must be at least 1")
            raise SystemExit(2)
        orphans = orphan_files_sweep(grace=dt.timedelta(minutes=options["grace_minutes"]))
        staged = staging_clear(older_than=dt.timedelta(hours=options["staging_hours"]))
        for name in orphans:
            self.stdout.write(f"deleted {name}", style_func=None)
        self.stdout.write(
            f"{len(orphans)} unreferenced request file(s), {staged} expired staged file(s) deleted"
        )
