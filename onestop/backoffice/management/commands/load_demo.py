from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from onestop.backoffice.demo import reply_templates_load_demo
from onestop.cases.demo import DEMO_PASSWORD, load_demo
from onestop.organisations.models import Organisation


class Command(BaseCommand):
    # Here, at the top of the layers, because it fills every app: the cases domain's
    # organisations, staff and requests (`cases.demo`), then the back office's templates.
    help = "Create the demo organisations, staff and requests (keeps existing data) and print them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--requests", type=int, default=50, help="requests for the first organisation"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo(requests_per_organisation=options["requests"])
        slugs = {account.organisation_slug for account in accounts if account.organisation_slug}
        for organisation in Organisation.objects.filter(slug__in=slugs):
            reply_templates_load_demo(organisation=organisation)  # the case page's picker
        base = settings.ONESTOP_PUBLIC_URL
        self.stdout.write("")
        self.stdout.write(f"OneStop demo          {base}/")
        self.stdout.write(f"  organisation page   {base}/wangchao/")
        self.stdout.write(f"  file a request      {base}/wangchao/request/")
        self.stdout.write(f"  check results       {base}/wangchao/track/")
        self.stdout.write(
            f"  staff back office   {base}/staff/   (organisation admins set up a TOTP app)"
        )
        self.stdout.write(f"  platform admin      {base}/admin/")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for account in accounts:
            where = f" @ {account.organisation_slug}" if account.organisation_slug else ""
            self.stdout.write(
                f"  {account.role_label:<48} {account.username:<20} {DEMO_PASSWORD}{where}"
            )
