"""Reads for Open311 GeoReport v2. Every function names the organisation it reads for; what a
public endpoint may show is decided here: confidential types never, personal columns never
loaded (`only`), so that a template or a serialiser cannot show them by mistake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from onestop.cases import numbering
from onestop.cases.models import Case, CaseEvent
from onestop.cases.selectors import case_list_for_organisation
from onestop.cases.workflow import Status
from onestop.catalog.models import RequestType
from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Organisation

# What the public view of a request reads from its row. Never the requester's ID, phone,
# e-mail, house number, the subject or details (the citizen's own words).
_PUBLIC_COLUMNS = (
    "number", "status", "submitted_at", "updated_at", "due_date", "subdistrict", "district",
    "province", "postcode", "latitude", "longitude",
    # Read only to blank them out of a staff message that names the requester (see open311).
    "requester_first_name", "requester_last_name",
    "request_type__key", "request_type__name_th", "request_type__name_en",
    "request_type__is_confidential", "department__name_th", "department__name_en",
)  # fmt: skip


def open311_services(*, organisation: Organisation) -> QuerySet[RequestType]:
    """The types a citizen can file with `organisation` in public: active, in an active
    category, not confidential; in the catalogue's order."""
    return (
        RequestType.objects.filter(
            organisation=organisation,
            is_active=True,
            category__is_active=True,
            is_confidential=False,
        )
        .select_related("category")
        .order_by("category__position", "category__pk", "position", "pk")
    )


def open311_service_get(*, organisation: Organisation, code: str) -> RequestType:
    """The public type `code` of `organisation`, or Http404 (the same for a confidential one)."""
    found = open311_services(organisation=organisation).filter(key=code).first()
    if found is None:
        raise Http404
    return found


def open311_known_codes(*, organisation: Organisation, codes: Sequence[str]) -> set[str]:
    """Which of `codes` are types of `organisation` that may be named in public (active or
    not: old requests keep their type)."""
    return set(
        RequestType.objects.filter(
            organisation=organisation, is_confidential=False, key__in=list(codes)
        ).values_list("key", flat=True)
    )


@dataclass(frozen=True)
class RequestFilters:
    numbers: tuple[str, ...] | None = None  # canonical numbers: when given, nothing else applies
    codes: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: frozenset[Status] | None = None


def open311_requests(*, organisation: Organisation, filters: RequestFilters) -> QuerySet[Case]:
    """The public view of `organisation`'s requests, newest first, with the latest message
    staff made public since the last change of status (`public_note`), in one query whatever
    the number of rows."""
    # The event log is read in pk order. A message counts while its status lasts: once the
    # status changes again (a citizen's answer, say), an older message no longer explains it.
    status_since = (
        CaseEvent.objects.filter(case=OuterRef("pk"))
        .exclude(to_status="")
        .order_by("-pk")
        .values("pk")[:1]
    )
    latest_message = (
        CaseEvent.objects.filter(case=OuterRef("pk"), pk__gte=OuterRef("status_since"))
        .exclude(public_message="")
        .order_by("-pk")
        .values("public_message")[:1]
    )
    cases = (
        case_list_for_organisation(organisation=organisation, include_confidential=False)
        .select_related(None)
        .select_related("request_type", "department")
        .only(*_PUBLIC_COLUMNS)
        .annotate(status_since=Subquery(status_since))
        .annotate(public_note=Subquery(latest_message))
    )
    if filters.numbers is not None:
        return cases.filter(number__in=filters.numbers)
    if filters.codes:
        cases = cases.filter(request_type__key__in=filters.codes)
    if filters.start is not None:
        cases = cases.filter(submitted_at__gte=filters.start)
    if filters.end is not None:
        cases = cases.filter(submitted_at__lte=filters.end)
    if filters.statuses is not None:
        cases = cases.filter(status__in=filters.statuses)
    return cases


def open311_request_get(*, organisation: Organisation, number: str) -> Case:
    """The public view of one request (any typed form of its number), or Http404: the same for
    an unknown number, another organisation's and a confidential type's."""
    canonical = numbering.parse(number)
    if canonical is None:
        raise Http404
    found = open311_requests(
        organisation=organisation, filters=RequestFilters(numbers=(canonical,))
    ).first()
    if found is None:
        raise Http404
    return found


def open311_changeset(*, organisation: Organisation) -> dt.datetime:
    """When `organisation`'s catalogue last changed (its audit trail), else when it was set up:
    the discovery document's changeset, which tells clients to refresh cached definitions."""
    changed = (
        AuditLog.objects.filter(organisation=organisation, action=AuditAction.CATALOGUE_CHANGE)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return changed or organisation.created_at
