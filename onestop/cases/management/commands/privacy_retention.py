"""`manage.py privacy_retention`: remove the personal data of closed requests past their
organisation's retention period (daily, from onestop-housekeeping.timer)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onestop.cases.services.privacy import retention_apply


class Command(BaseCommand):
    help = "Anonymise closed requests whose organisation's personal-data retention has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="requests per round")

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while done := retention_apply(limit=options["batch"]):
            total += done
        self.stdout.write(f"anonymised {total} request(s)")
