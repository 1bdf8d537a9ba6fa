"""What /metrics says about the outbox (registered in `NotificationsConfig.ready`)."""

from __future__ import annotations

from django.db.models import Count

from onestop.core.metrics import Family
from onestop.notifications.models import Channel, Message, State


def families() -> list[Family]:
    counts = dict.fromkeys(
        ((state, channel) for state in State.values for channel in Channel.values), 0
    )
    rows = Message.objects.values_list("state", "channel").annotate(n=Count("id")).order_by()
    for state, channel, n in rows:
        counts[(state, channel)] = n
    return [
        Family(
            "onestop_outbox_messages",
            "Messages in the outbox by state (queued, sending, sent, failed) and channel.",
            [({"state": s, "channel": c}, n) for (s, c), n in sorted(counts.items())],
        )
    ]
