"""Reads for the public pages: finding an organisation among thousands."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from onestop.organisations.models import Organisation

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
