"""What /metrics says about staff sign-in failures (django-axes; registered in
`AccountsConfig.ready`). Axes keeps one row per username and address with its failure count
and the time of its latest failure."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from onestop.core.metrics import Family


def families() -> list[Family]:
    now = timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - dt.timedelta(hours=1))
    failures = recent.aggregate(n=Sum("failures_since_start"))["n"] or 0
    cooloff = dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    locked = AccessAttempt.objects.filter(
        attempt_time__gte=now - cooloff, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).aggregate(n=Count("id"))["n"]
    return [
        Family(
            "onestop_signin_failures_last_hour",
            "Failed staff sign-ins counted by the username/address pairs whose latest failure was "
            "in the last hour.",
            [({}, failures)],
        ),
        Family(
            "onestop_signin_lockouts_active",
            "Username/address pairs locked out of staff sign-in now.",
            [({}, locked)],
        ),
    ]
