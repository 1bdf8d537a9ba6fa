"""Listening at the cases domain: every change of a request is counted in its own transaction."""

from __future__ import annotations

from typing import Any

from onestop.cases.models import Case, CaseEvent
from onestop.reports.rollups import record_event


def on_event_recorded(sender: Any, *, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    record_event(case=case, event=event)
