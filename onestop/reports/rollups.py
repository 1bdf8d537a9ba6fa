"""Keeping the rollups: what one event of the log adds to them, applied live or replayed.

`count_event` is the one rule: given an event and what reports knew of the request before and
after it (`Facts`), it adds to a `Tally`. The receiver of `cases.signals.event_recorded`
(`record_event`) applies one event's tally to the database with increments that lose nothing
under concurrency; `rollups_rebuild` replays the whole event log into one tally and writes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from onestop.cases import routing
from onestop.cases.models import Case, CaseEvent, EventKind
from onestop.cases.workflow import OPEN_STATUSES, Actor, Move, Status
from onestop.core.models import Holiday
from onestop.organisations.models import Organisation
from onestop.reports.models import (
    DAILY_FIELDS,
    HISTOGRAM_LAST,
    NO_DUE_DATE,
    CaseState,
    DailyCount,
    Distribution,
    Measure,
    MonthlyCount,
    MonthlyDistribution,
    MonthlyKeyCount,
    MonthlyKeyDistribution,
    OpenCount,
)
from onestop.reports.workdays import working_days_between

log = logging.getLogger("onestop.reports")


@dataclass(frozen=True)
class Facts:
    """What the rollups know of a request at one moment."""

    organisation_id: int
    request_type_id: int
    department_id: int | None
    channel: str
    status: str
    submitted_on: dt.date
    due_date: dt.date
    first_response_due: dt.date

    @classmethod
    def of(cls, case: Case) -> Facts:
        return cls(
            organisation_id=case.organisation_id,
            request_type_id=case.request_type_id,
            department_id=case.department_id,
            channel=case.channel,
            status=case.status,
            submitted_on=timezone.localdate(case.submitted_at),
            due_date=case.due_date or NO_DUE_DATE,
            first_response_due=case.first_response_due or NO_DUE_DATE,
        )

    def key(self) -> tuple[int, int, int | None, str]:
        return (self.organisation_id, self.request_type_id, self.department_id, self.channel)

    def open_key(self) -> tuple[Any, ...]:
        return (*self.key(), self.status, self.submitted_on, self.due_date,
                self.first_response_due)  # fmt: skip


KEY_NAMES = ("organisation_id", "request_type_id", "department_id", "channel")
OPEN_KEY_NAMES = (*KEY_NAMES, "status", "submitted_on", "due_date", "first_response_due")


@dataclass
class Tally:
    """Additions to the rollups, by key."""

    daily: dict[tuple[Any, ...], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    distribution: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    open: Counter[tuple[Any, ...]] = field(default_factory=Counter)


_STATUS_COUNTERS = {
    Move.COMPLETE: "completed",
    Move.NOT_SOLVED: "reopened_by_citizen",
    Move.REOPEN: "reopened_by_staff",
    Move.FORWARD: "forwarded",
    Move.REJECT: "rejected",
    Move.CANCEL: "cancelled",
}


def count_event(
    tally: Tally,
    event: CaseEvent,
    *,
    before: Facts | None,
    after: Facts,
    holidays: Collection[dt.date] | None = None,
) -> None:
    """Add what `event` changes to `tally`.

    - Flow counts on the event's day, under the key the request has after it.
    - Durations in working days from the day filed: to the first staff move out of
      "submitted" (the first response) and to every completion; a completion is on time when
      no working day passed after the due date.
    - Ratings as a distribution of scores; "solved" confirmations as a count.
    - The open counter: the request leaves the row it was counted in and enters its new one."""
    day = timezone.localdate(event.created_at)
    key = after.key()
    daily = tally.daily[(*key, day)]

    def duration(measure: Measure, days: int) -> None:
        tally.distribution[(*key, day, measure.value, min(days, HISTOGRAM_LAST))] += 1

    if event.move == Move.SUBMIT:
        daily["received"] += 1
    if (
        event.from_status == Status.SUBMITTED
        and event.actor_kind == Actor.STAFF
        and event.to_status
    ):
        daily["first_responded"] += 1
        duration(
            Measure.FIRST_RESPONSE,
            working_days_between(after.submitted_on, day, holidays=holidays),
        )
    counter = _STATUS_COUNTERS.get(Move(event.move)) if event.move else None
    if counter is not None and event.kind == EventKind.STATUS:
        daily[counter] += 1
    if event.move == Move.COMPLETE:
        duration(
            Measure.COMPLETION, working_days_between(after.submitted_on, day, holidays=holidays)
        )
        if completed_on_time(event, after, holidays=holidays):
            daily["completed_on_time"] += 1
    if event.kind == EventKind.CONFIRMED:
        daily["confirmed_solved"] += 1
    score = event.data.get("score") if event.kind == EventKind.RATED else None
    if isinstance(score, int) and 1 <= score <= 5:
        tally.distribution[(*key, day, Measure.RATING.value, score)] += 1

    if before is not None and before.status in OPEN_STATUSES:
        tally.open[before.open_key()] -= 1
    if after.status in OPEN_STATUSES:
        tally.open[after.open_key()] += 1


def completed_on_time(
    event: CaseEvent, after: Facts, *, holidays: Collection[dt.date] | None = None
) -> bool:
    """A completion is on time when no working day passed between the due date and its day."""
    day = timezone.localdate(event.created_at)
    return working_days_between(after.due_date, day, holidays=holidays) == 0


def _on_time_after(
    event: CaseEvent,
    after: Facts,
    previous: bool | None,
    *,
    holidays: Collection[dt.date] | None = None,
) -> bool | None:
    """Whether the request's last completion met its target, as CaseState keeps it."""
    if event.move == Move.COMPLETE:
        return completed_on_time(event, after, holidays=holidays)
    return previous if after.status == Status.COMPLETED else None


# --- Live: one event, in the transaction of the change ----------------------------------------


def record_event(*, case: Case, event: CaseEvent) -> None:
    """Count `event` (just appended to `case`, whose row is locked) into the rollups."""
    state = CaseState.objects.filter(pk=case.pk).first()
    after = Facts.of(case)
    before = _facts_of_state(state) if state is not None else None
    if before is None and event.move != Move.SUBMIT:
        # A request filed before reports was installed: rebuild from the log (reports_rebuild).
        log.warning("reports: request %s not counted yet; run reports_rebuild", case.pk)
        return
    tally = Tally()
    count_event(tally, event, before=before, after=after)
    tally_apply(tally)
    on_time = _on_time_after(event, after, state.completed_on_time if state else None)
    _state_save(case, after, changed_at=event.created_at, existing=state, on_time=on_time)


def _facts_of_state(state: CaseState) -> Facts:
    return Facts(
        organisation_id=state.organisation_id,
        request_type_id=state.request_type_id,
        department_id=state.department_id,
        channel=state.channel,
        status=state.status,
        submitted_on=state.submitted_on,
        due_date=state.due_date,
        first_response_due=state.first_response_due,
    )


def _state_save(
    case: Case,
    facts: Facts,
    *,
    changed_at: dt.datetime,
    existing: CaseState | None,
    on_time: bool | None,
) -> None:
    state = existing or CaseState(case_id=case.pk)
    state.assignee_id = case.assignee_id
    state.completed_on_time = on_time
    state.organisation_id = facts.organisation_id
    state.request_type_id = facts.request_type_id
    state.department_id = facts.department_id
    state.channel = facts.channel
    state.status = facts.status
    state.submitted_on = facts.submitted_on
    state.due_date = facts.due_date
    state.first_response_due = facts.first_response_due
    state.completed_at = case.completed_at
    state.changed_at = max(changed_at, existing.changed_at) if existing else changed_at
    state.save(force_insert=existing is None)


def _key_filter(names: Iterable[str], values: Iterable[Any]) -> dict[str, Any]:
    return dict(zip(names, values, strict=True))


type Change = tuple[str, tuple[Any, ...], type[models.Model], dict[str, Any], dict[str, int]]


def _count_changes(
    order: str,
    model: type[models.Model],
    names: tuple[str, ...],
    counts_by_key: dict[tuple[Any, ...], Counter[str]],
) -> list[Change]:
    changes: list[Change] = []
    for key, counts in counts_by_key.items():
        amounts = {name: n for name, n in counts.items() if n}
        if amounts:
            changes.append((order, _sortable(key), model, _key_filter(names, key), amounts))
    return changes


def _single_changes(
    order: str, model: type[models.Model], names: tuple[str, ...], by_key: Counter[tuple[Any, ...]]
) -> list[Change]:
    return [
        (order, _sortable(key), model, _key_filter(names, key), {"count": n})
        for key, n in by_key.items()
        if n
    ]


def tally_apply(tally: Tally) -> None:
    """Add `tally` to the rollup rows: `UPDATE … SET n = n + k` (the row lock makes concurrent
    additions wait, none is lost); a missing row is inserted in a savepoint, and if another
    transaction inserted it first, updated. Rows are touched in one sorted order so that two
    transactions never wait for each other in a circle."""
    monthly, monthly_distribution = _by_month(tally)
    keyed, keyed_distribution = _by_month_keyed(tally)
    changes = [
        *_count_changes("a", DailyCount, (*KEY_NAMES, "day"), tally.daily),
        *_single_changes("b", Distribution, (*KEY_NAMES, "day", "measure", "value"),
                         tally.distribution),
        *_single_changes("c", OpenCount, OPEN_KEY_NAMES, tally.open),
        *_count_changes("d", MonthlyCount, MONTH_KEY_NAMES, monthly),
        *_single_changes("e", MonthlyDistribution, (*MONTH_KEY_NAMES, "measure", "value"),
                         monthly_distribution),
        *_count_changes("f", MonthlyKeyCount, (*KEY_NAMES, "month"), keyed),
        *_single_changes("g", MonthlyKeyDistribution, (*KEY_NAMES, "month", "measure", "value"),
                         keyed_distribution),
    ]  # fmt: skip
    changes.sort(key=lambda change: (change[0], change[1]))
    for _order, _sort, model, where, amounts in changes:
        _add(model, where, amounts)


MONTH_KEY_NAMES = ("organisation_id", "month", "request_type_id")


def _by_month(
    tally: Tally,
) -> tuple[dict[tuple[Any, ...], Counter[str]], Counter[tuple[Any, ...]]]:
    """The daily additions of `tally` summed by organisation × month × type."""
    monthly: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for (organisation, request_type, _department, _channel, day), counts in tally.daily.items():
        monthly[(organisation, day.replace(day=1), request_type)].update(counts)
    distribution: Counter[tuple[Any, ...]] = Counter()
    for key, n in tally.distribution.items():
        organisation, request_type, _department, _channel, day, measure, value = key
        distribution[(organisation, day.replace(day=1), request_type, measure, value)] += n
    return monthly, distribution


def _by_month_keyed(
    tally: Tally,
) -> tuple[dict[tuple[Any, ...], Counter[str]], Counter[tuple[Any, ...]]]:
    """The daily additions of `tally` summed by month, keeping every dimension."""
    monthly: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for (*key, day), counts in tally.daily.items():
        monthly[(*key, day.replace(day=1))].update(counts)
    distribution: Counter[tuple[Any, ...]] = Counter()
    for (*key, day, measure, value), n in tally.distribution.items():
        distribution[(*key, day.replace(day=1), measure, value)] += n
    return monthly, distribution


def _sortable(key: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple("" if part is None else f"{part!s:>12}" for part in key)


def _add(model: type[models.Model], where: dict[str, Any], amounts: dict[str, int]) -> None:
    manager = model._default_manager
    updates = {name: F(name) + n for name, n in amounts.items()}
    if manager.filter(**where).update(**updates):
        if model is OpenCount and amounts["count"] < 0:
            manager.filter(**where, count=0).delete()
        return
    if any(n < 0 for n in amounts.values()):
        log.warning("reports: nothing to take %s from at %s; run reports_rebuild", amounts, where)
        return
    try:
        with transaction.atomic():
            manager.create(**where, **amounts)
    except IntegrityError:
        manager.filter(**where).update(**updates)  # inserted meanwhile by another transaction


# --- Rebuild: the whole log, replayed --------------------------------------------------------


def _initial_department(case: Case, events: list[CaseEvent]) -> int | None:
    """The department a request had when filed. The submit event does not record it (yet): if
    the request was never reassigned it is its department now; otherwise today's routing gives
    it (exact unless the routing rules changed since)."""
    submitted = events[0].data.get("department") if events else None
    if isinstance(submitted, int):
        return submitted
    if not any(e.kind == EventKind.ASSIGNMENT for e in events):
        return case.department_id
    routed = routing.department_for(
        organisation=case.organisation, request_type=case.request_type,
        village_no=case.village_no,
    )  # fmt: skip
    if routed is not None:
        return routed.pk
    return case.request_type.default_department_id


def replay(
    cases: Iterable[Case], *, holidays: Collection[dt.date]
) -> tuple[Tally, list[CaseState]]:
    """The rollups and states that the event log of `cases` adds up to."""
    tally = Tally()
    states: list[CaseState] = []
    for case in cases:
        events = sorted(case.events.all(), key=lambda e: e.pk)
        if not events:
            continue
        final = Facts.of(case)
        facts = replace(final, department_id=_initial_department(case, events), status="")
        before: Facts | None = None
        completed_at: dt.datetime | None = None
        on_time: bool | None = None
        for event in events:
            if event.kind == EventKind.ASSIGNMENT:
                department = event.data.get("department")
                facts = replace(facts, department_id=department if isinstance(department, int)
                                else facts.department_id)  # fmt: skip
            if event.to_status:
                facts = replace(facts, status=event.to_status)
                completed_at = event.created_at if event.to_status == Status.COMPLETED else None
            count_event(tally, event, before=before, after=facts, holidays=holidays)
            on_time = _on_time_after(event, facts, on_time, holidays=holidays)
            before = facts
        state = CaseState(case_id=case.pk, completed_at=completed_at,
                          changed_at=max(e.created_at for e in events),
                          assignee_id=case.assignee_id, completed_on_time=on_time)  # fmt: skip
        for name in ("organisation_id", "request_type_id", "department_id", "channel", "status",
                     "submitted_on", "due_date", "first_response_due"):  # fmt: skip
            setattr(state, name, getattr(facts, name))
        states.append(state)
    return tally, states


BATCH = 2000


def rollups_rebuild(*, organisation: Organisation | None = None) -> int:
    """Throw the rollups away and count them again from the event log (of one organisation or
    of all); return the number of requests counted. One transaction: pages keep reading the
    old figures until the new ones are complete."""
    holidays = set(Holiday.objects.values_list("date", flat=True))
    cases = Case.objects.select_related("organisation", "request_type").prefetch_related("events")
    scope: dict[str, Any] = {}
    if organisation is not None:
        cases = cases.filter(organisation=organisation)
        scope = {"organisation": organisation}
    with transaction.atomic():
        for model in (DailyCount, Distribution, MonthlyCount, MonthlyDistribution,
                      MonthlyKeyCount, MonthlyKeyDistribution, OpenCount,
                      CaseState):  # fmt: skip
            model._default_manager.filter(**scope).delete()
        tally = Tally()
        counted = 0
        for start in range(0, cases.count(), BATCH):
            chunk = list(cases.order_by("pk")[start : start + BATCH])
            part, states = replay(chunk, holidays=holidays)
            _merge(tally, part)
            CaseState.objects.bulk_create(states, batch_size=BATCH)
            counted += len(states)
        _write(tally)
    return counted


def _merge(into: Tally, part: Tally) -> None:
    for key, counts in part.daily.items():
        into.daily[key].update(counts)
    into.distribution.update(part.distribution)
    into.open.update(part.open)


def _write(tally: Tally) -> None:
    DailyCount.objects.bulk_create(
        [
            DailyCount(**_key_filter((*KEY_NAMES, "day"), key),
                       **{name: counts[name] for name in DAILY_FIELDS})
            for key, counts in tally.daily.items() if any(counts.values())
        ],
        batch_size=BATCH,
    )  # fmt: skip
    Distribution.objects.bulk_create(
        [
            Distribution(**_key_filter((*KEY_NAMES, "day", "measure", "value"), key), count=n)
            for key, n in tally.distribution.items() if n
        ],
        batch_size=BATCH,
    )  # fmt: skip
    OpenCount.objects.bulk_create(
        [
            OpenCount(**_key_filter(OPEN_KEY_NAMES, key), count=n)
            for key, n in tally.open.items()
            if n
        ],
        batch_size=BATCH,
    )
    monthly, monthly_distribution = _by_month(tally)
    MonthlyCount.objects.bulk_create(
        [
            MonthlyCount(
                **_key_filter(MONTH_KEY_NAMES, key), **{name: counts[name] for name in DAILY_FIELDS}
            )
            for key, counts in monthly.items()
            if any(counts.values())
        ],
        batch_size=BATCH,
    )
    MonthlyDistribution.objects.bulk_create(
        [
            MonthlyDistribution(**_key_filter((*MONTH_KEY_NAMES, "measure", "value"), key), count=n)
            for key, n in monthly_distribution.items()
            if n
        ],
        batch_size=BATCH,
    )
    keyed, keyed_distribution = _by_month_keyed(tally)
    MonthlyKeyCount.objects.bulk_create(
        [
            MonthlyKeyCount(**_key_filter((*KEY_NAMES, "month"), key),
                            **{name: counts[name] for name in DAILY_FIELDS})
            for key, counts in keyed.items() if any(counts.values())
        ],
        batch_size=BATCH,
    )  # fmt: skip
    MonthlyKeyDistribution.objects.bulk_create(
        [
            MonthlyKeyDistribution(
                **_key_filter((*KEY_NAMES, "month", "measure", "value"), key), count=n
            )
            for key, n in keyed_distribution.items() if n
        ],
        batch_size=BATCH,
    )  # fmt: skip
