"""The "reports and open data" section of the public performance page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from onestop.organisations.models import Organisation
from onestop.reports.ita import KINDS, periods_offered
from onestop.reports.opendata import LICENCE, months_offered

register = template.Library()


@register.inclusion_tag("reports/includes/publications.html")
def publications(organisation: Organisation, today: dt.date) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "periods": periods_offered(today),
        "kinds": list(KINDS.items()),
        "months": months_offered(today, count=3),
        "licence": LICENCE,
    }
