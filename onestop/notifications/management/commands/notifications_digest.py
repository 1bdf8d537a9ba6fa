"""Plan today's daily digests now (if 07:00 Thai time has passed), or with `--schedule` hand
that to the worker: enqueue the `daily_digest` task, which then comes back every morning
(`scripts/serve` does this before starting the worker)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from onestop.notifications.digest import daily_digest_schedule, digests_plan
from onestop.notifications.sweep import tasks_requeue_abandoned


class Command(BaseCommand):
    help = "Plan today's staff digests (or, with --schedule, enqueue the daily digest task)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true",
            help="Enqueue the daily_digest task for the worker instead of planning here.",
        )  # fmt: skip

    def handle(self, *args: Any, schedule: bool = False, **options: Any) -> None:
        requeued = tasks_requeue_abandoned()
        if schedule:
            enqueued = daily_digest_schedule()
            self.stdout.write(
                f"daily digest {'enqueued' if enqueued else 'already waiting'}; "
                f"tasks requeued {requeued}"
            )
            return
        self.stdout.write(f"digests planned {digests_plan()}; tasks requeued {requeued}")
