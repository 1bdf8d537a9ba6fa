"""Signals of the cases domain, for the apps above it (notifications, reports) to listen at
without cases importing them.

`event_recorded` is sent INSIDE the transaction of every change of a request, right after its
`CaseEvent` is appended (by `case_submit` and by every later change in `cases.services`).
A receiver that writes rows (an outbox message, a rollup) commits or rolls back with the
change itself; a receiver must not talk to the outside world (send mail after commit, from the
worker). Keyword arguments: `case` (the locked, updated request) and `event` (the new row)."""

from __future__ import annotations

from django.dispatch import Signal

event_recorded = Signal()
