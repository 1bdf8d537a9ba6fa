from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onestop.cases import numbering
from onestop.cases.models import Case
from onestop.documents.pdf import request_document_pdf
from onestop.documents.posters import poster_pdf, poster_png
from onestop.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Write a request document (--number) or an organisation's QR poster (--poster SLUG, "
        "PDF, or PNG when --out ends in .png) to a file. For platform operators."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--number", help="request number, with or without dashes")
        what.add_argument("--poster", metavar="SLUG", help="organisation slug")
        parser.add_argument("--out", required=True, type=Path, help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if options["number"]:
            number = numbering.parse(options["number"])
            # Operators work across organisations: the number alone identifies the request.
            case = (
                Case.objects.select_related("organisation", "request_type__category", "department")
                .filter(number=number or "")
                .first()
            )
            if case is None:
                raise CommandError(f"No request with number {options['number']!r}")
            data = request_document_pdf(case)
        else:
            organisation = Organisation.objects.filter(slug=options["poster"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with slug {options['poster']!r}")
            render = poster_png if out.suffix.lower() == ".png" else poster_pdf
            data = render(organisation)
        out.write_bytes(data)
        self.stdout.write(f"{out} ({len(data):,} bytes)")
