from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onestop.core.keyrotation import Progress, rotate, rotations


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored national ID (and other data under ONESTOP_DATA_KEY) and "
        "recompute its look-up hash under the first key. Safe to stop and run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction")
        parser.add_argument(
            "--limit", type=int, default=None, help="stop after rewriting this many rows per model"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; fail if any row still needs rewriting",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        check = options["check"]
        pending = 0
        unreadable = 0

        def report(progress: Progress) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(
                    f"{progress.model}: {progress.examined} examined, "
                    f"{progress.rewritten} rewritten"
                )

        for rotation in rotations():
            progress = rotate(
                rotation,
                batch_size=options["batch_size"],
                limit=options["limit"],
                dry_run=check,
                on_batch=report,
            )
            verb = "to rewrite" if check else "rewritten"
            self.stdout.write(
                f"{progress.model}: {progress.examined} examined, {progress.rewritten} {verb}"
            )
            for pk in progress.unreadable:
                self.stderr.write(f"{progress.model} {pk}: not readable with any configured key")
            pending += progress.rewritten
            unreadable += len(progress.unreadable)
        if unreadable:
            raise CommandError(f"{unreadable} rows could not be decrypted with any configured key")
        if check and pending:
            raise CommandError(f"{pending} rows are not yet under the current key")
