from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from onestop.core.holidays import holidays_load_fixed


class Command(BaseCommand):
    help = "Add Thailand's fixed-date public holidays for a year (default: this year and next)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("years", nargs="*", type=int, help="Common Era years, e.g. 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = timezone.localdate().year
        for year in options["years"] or [this_year, this_year + 1]:
            added = holidays_load_fixed(year=year)
            self.stdout.write(f"{year}: {added} holidays added")
