"""What /metrics says about requests (registered in `CasesConfig.ready`)."""

from __future__ import annotations

from django.db.models import Count

from onestop.cases.models import Case
from onestop.cases.workflow import Status
from onestop.core.metrics import Family


def families() -> list[Family]:
    counts = dict.fromkeys(Status.values, 0)
    counts.update(Case.objects.values_list("status").annotate(n=Count("id")).order_by())
    return [
        Family(
            "onestop_requests",
            "Requests (cases) of every organisation by status.",
            [({"status": status}, n) for status, n in sorted(counts.items())],
        )
    ]
