"""What /metrics says about the check-results lock-outs (registered in `TrackingConfig.ready`)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from onestop.core.metrics import Family
from onestop.tracking.models import ThrottleScope, TrackingThrottle


def families() -> list[Family]:
    counts = dict.fromkeys(ThrottleScope.values, 0)
    counts.update(
        TrackingThrottle.objects.filter(locked_until__gt=timezone.now())
        .values_list("scope")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        Family(
            "onestop_tracking_lockouts_active",
            "Check-results lock-outs in force now, by scope (one request number, one address).",
            [({"scope": scope}, n) for scope, n in sorted(counts.items())],
        )
    ]
