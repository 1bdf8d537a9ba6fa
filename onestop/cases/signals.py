"""What cases tells the apps above it, without importing them.

`event_recorded` is sent by `cases.services` INSIDE the transaction that appends an event to a
request's log (after the change and its event are saved, before the commit). A receiver's
writes therefore commit or roll back with the change itself: `notifications` plans its outbox
messages here. Receivers must only write to the database (never send, call out or sleep);
whatever reaches the outside world runs in the worker after the commit."""

from __future__ import annotations

from django.dispatch import Signal

# sender=Case; kwargs: case (the request, as saved), event (the CaseEvent just appended).
event_recorded = Signal()
