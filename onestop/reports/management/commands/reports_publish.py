"""Make the ITA reports every public performance page offers, for every organisation, and make
sure the worker's monthly run is scheduled (run it once after deploying; cron may run it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onestop.reports.publications import publish_all, schedule_next


class Command(BaseCommand):
    help = "สร้างรายงานผลการดำเนินการเรื่องร้องเรียน (ITA) ที่เผยแพร่ และตั้งเวลาสร้างใหม่ทุกเดือน"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule-only", action="store_true", help="ตั้งเวลาอย่างเดียว ไม่สร้างรายงานตอนนี้"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        made = 0 if options["schedule_only"] else publish_all()
        following = schedule_next()
        if options["verbosity"]:
            self.stdout.write(f"{made} files made; next run: {following or 'not scheduled'}")
