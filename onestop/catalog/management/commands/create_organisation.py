from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onestop.catalog.services import organisation_onboard
from onestop.core.errors import DomainError
from onestop.organisations.models import OrganisationKind


class Command(BaseCommand):
    help = "Create an organisation with the default departments and catalogue."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--code", required=True, help="official organisation code (รหัส อปท.)")
        parser.add_argument("--slug", required=True, help="URL name, e.g. wangchao")
        parser.add_argument("--name-th", required=True)
        parser.add_argument("--name-en", default="")
        parser.add_argument("--kind", required=True, choices=OrganisationKind.values)
        parser.add_argument("--province", required=True)
        parser.add_argument("--district", required=True)
        parser.add_argument("--province-code", default="")
        parser.add_argument("--district-code", default="")
        parser.add_argument("--address", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--website", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        fields = {
            key: options[key]
            for key in ("code", "slug", "name_th", "name_en", "kind", "province", "district",
                        "province_code", "district_code", "address", "phone", "email", "website")
        }  # fmt: skip
        try:
            organisation = organisation_onboard(**fields)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"created {organisation.name_th} ({organisation.slug})")
