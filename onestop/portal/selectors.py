"""Reads for the public pages: finding an organisation among thousands."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from onestop.catalog.selectors import catalogue_for_citizens
from onestop.documents.thai_text import shorten
from onestop.organisations.models import Organisation

# One line on a 360 px phone (about 40 Thai characters at 15 px, marks included): the hint is
# cut between words there, and the whole description is on the wizard's first step.
HINT_CHARACTERS = 44

# What people type for the kinds of local government (ทต.วังเจ้า, อบต. ...).
ABBREVIATIONS = {
    "ทน.": "เทศบาลนคร",
    "ทม.": "เทศบาลเมือง",
    "ทต.": "เทศบาลตำบล",
    "อบต.": "องค์การบริหารส่วนตำบล",
    "อบจ.": "องค์การบริหารส่วนจังหวัด",
    "กทม.": "กรุงเทพมหานคร",
}
_ABBREVIATION = re.compile("|".join(re.escape(a) for a in ABBREVIATIONS))


def search_terms(query: str) -> list[str]:
    """`ทต.วังเจ้า ตาก` → `["เทศบาลตำบลวังเจ้า", "ตาก"]`: abbreviations spelled out, words split."""
    expanded = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(0)] + " ", query[:100])
    return [term for term in expanded.split() if term][:5]


def province_list() -> list[str]:
    """The provinces that have at least one active organisation, in Thai alphabetical order."""
    return list(
        Organisation.objects.filter(is_active=True)
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )


def organisation_search(*, query: str = "", province: str = "") -> QuerySet[Organisation]:
    """Active organisations whose Thai (or English) name contains every word of `query`, in
    `province` if given (the province is chosen from a list, not typed)."""
    organisations = Organisation.objects.filter(is_active=True)
    if province:
        organisations = organisations.filter(province=province)
    for term in search_terms(query):
        organisations = organisations.filter(
            Q(name_th__icontains=term) | Q(name_en__icontains=term)
        )
    return organisations.only(
        "slug", "name_th", "name_en", "kind", "district", "province"
    ).order_by("province", "name_th")


@dataclass(frozen=True)
class ServiceRow:
    """One request type as a row of the One Stop Service centre."""

    pk: int
    name: str
    hint: str  # the description, shortened between words to one phone line
    search: str  # what the filter matches: both names, the description, lower case


@dataclass(frozen=True)
class ServiceCategory:
    pk: int
    name: str
    rows: list[ServiceRow]


def _matches(row: ServiceRow, terms: list[str]) -> bool:
    return all(term in row.search for term in terms)


def oss_catalogue(*, organisation: Organisation, query: str = "") -> list[ServiceCategory]:
    """`organisation`'s active categories and types as rows (two queries), in the reader's
    language; with `query`, only the types whose name or description holds every word of it."""
    terms = query.lower().split()
    result = []
    for category in catalogue_for_citizens(organisation=organisation):
        rows = []
        for request_type in category.active_types:  # type: ignore[attr-defined]
            search = " ".join(
                [request_type.name_th, request_type.name_en, request_type.description]
            ).lower()
            row = ServiceRow(
                pk=request_type.pk, name=request_type.name,
                hint=shorten(request_type.description, HINT_CHARACTERS), search=search,
            )  # fmt: skip
            if _matches(row, terms):
                rows.append(row)
        if rows:
            result.append(ServiceCategory(pk=category.pk, name=category.name, rows=rows))
    return result
