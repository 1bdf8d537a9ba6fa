"""Rebuild the report rollups from the event log: after installing reports on existing data,
after a change of holidays, or to check that the live rollups add up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onestop.organisations.models import Organisation
from onestop.reports.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "นับยอดรายงานผลการดำเนินงานใหม่ทั้งหมดจากลำดับเหตุการณ์ของคำร้อง"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="ชื่อย่อ (slug) ขององค์กร; ไม่ระบุ: ทุกองค์กร")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.get(slug=options["organisation"])
        counted = rollups_rebuild(organisation=organisation)
        if options["verbosity"]:
            self.stdout.write(f"{counted} requests counted")
