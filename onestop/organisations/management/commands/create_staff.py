from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from onestop.core.errors import DomainError
from onestop.organisations.models import Department, Organisation, Role
from onestop.organisations.services import staff_create


class Command(BaseCommand):
    help = "Create a staff account with a role in an organisation (password read from --password)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--department", default="", help="department key, e.g. engineering")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--confidential", action="store_true", help="may see confidential types"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation with slug {options['organisation']!r}")
        department = None
        if options["department"]:
            department = Department.objects.filter(
                organisation=organisation, key=options["department"]
            ).first()
            if department is None:
                raise CommandError(f"no department {options['department']!r} in {organisation}")
        try:
            membership = staff_create(
                organisation=organisation,
                username=options["username"],
                password=options["password"],
                role=Role(options["role"]),
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                department=department,
                can_see_confidential=options["confidential"],
            )
        except (DomainError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"ok: {membership}")
