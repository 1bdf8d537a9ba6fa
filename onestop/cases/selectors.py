"""Reads of requests. Every function names the organisation it reads for."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from onestop.cases import numbering
from onestop.cases.models import Case
from onestop.core import crypto
from onestop.core.identity import normalise_national_id
from onestop.organisations.models import Organisation


def case_list_for_organisation(
    *, organisation: Organisation, include_confidential: bool = False
) -> QuerySet[Case]:
    """The organisation's requests, newest first. Confidential types are left out unless the
    reader was granted them."""
    cases = Case.objects.filter(organisation=organisation).select_related(
        "request_type", "request_type__category", "department", "assignee"
    )
    if not include_confidential:
        cases = cases.filter(request_type__is_confidential=False)
    return cases.order_by("-submitted_at", "-pk")


def case_page_after(cases: QuerySet[Case], *, submitted_at: dt.datetime, pk: int) -> QuerySet[Case]:
    """The requests after a cursor in the newest-first order (keyset pagination): as fast on
    page 5,000 as on page 1, and stable while new requests arrive. The first condition is
    redundant but lets the database walk the (organisation, -submitted_at, -id) index."""
    return cases.filter(submitted_at__lte=submitted_at).filter(
        Q(submitted_at__lt=submitted_at) | Q(pk__lt=pk)
    )


def case_get_for_organisation(
    *, organisation: Organisation, number: str, include_confidential: bool = False
) -> Case:
    """The request with `number` (any typed form) in `organisation`, or Http404: the same for a
    number that does not exist and one that belongs to another organisation."""
    canonical = numbering.parse(number)
    if canonical is None:
        raise Http404
    case = (
        case_list_for_organisation(
            organisation=organisation, include_confidential=include_confidential
        )
        .filter(number=canonical)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_list_by_national_id(
    *, organisation: Organisation, national_id: str, include_confidential: bool = False
) -> QuerySet[Case]:
    """Requests of one citizen in `organisation`, found through the keyed hash."""
    digits = normalise_national_id(national_id)
    return case_list_for_organisation(
        organisation=organisation, include_confidential=include_confidential
    ).filter(national_id_hash__in=crypto.lookup_hashes(digits))


def case_national_id(case: Case) -> str:
    """The full national ID (decrypted). Callers showing it to staff must audit-log the view."""
    return crypto.decrypt(case.national_id_encrypted)
