from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from onestop.api.demo import DEMO_SLUG, api_demo_key


class Command(BaseCommand):
    help = (
        "Print the demo organisation's API key (created if missing; DEBUG only) and the API docs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = api_demo_key()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        base = settings.ONESTOP_PUBLIC_URL
        self.stdout.write(f"API key: {key}")
        self.stdout.write(f"  API docs            {base}/api/v1/docs")
        self.stdout.write(f"  Open311 GeoReport   {base}/{DEMO_SLUG}/open311/discovery.json")
