"""When a request's personal data is removed (`cases.services.privacy`), its messages go too:
their recipients and bodies are the requester's and staff's e-mail addresses and phones."""

from __future__ import annotations

from typing import Any

from onestop.cases.models import Case, CaseEvent, EventKind
from onestop.notifications.models import Message


def on_event_recorded(sender: type[Case], *, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    if event.kind == EventKind.ANONYMISED:
        Message.objects.filter(case=case).delete()
