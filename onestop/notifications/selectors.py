from __future__ import annotations

from django.db.models import QuerySet

from onestop.cases.models import Case
from onestop.notifications.models import SentNotification


def notifications_for_case(*, case: Case) -> QuerySet[SentNotification]:
    """What was sent about `case` (the caller has already checked the reader may see it)."""
    return SentNotification.objects.filter(case=case).order_by("sent_at", "pk")
