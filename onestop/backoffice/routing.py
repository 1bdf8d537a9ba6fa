"""Routing of new requests (ONESTOP_CASE_ROUTER): the organisation's rules by type and area."""

from __future__ import annotations

from django.db.models import Q

from onestop.backoffice.models import RoutingRule
from onestop.catalog.models import RequestType
from onestop.organisations.models import Department, Organisation


def _village(text: str) -> str:
    """`หมู่ 4`, `ม.4`, `04` → `4`: the number only, as staff and citizens write it."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits.lstrip("0") or digits


def department_for(
    *, organisation: Organisation, request_type: RequestType, village_no: str
) -> Department | None:
    """The division the most specific matching rule names, or None (the type's default then)."""
    village = _village(village_no)
    rules = list(
        RoutingRule.objects.filter(organisation=organisation, department__is_active=True)
        .filter(Q(request_type=request_type) | Q(request_type__isnull=True))
        .select_related("department")
    )

    def score(rule: RoutingRule) -> int:
        return (2 if rule.request_type_id else 0) + (1 if rule.village_no else 0)

    matching = [
        rule for rule in rules if not rule.village_no or _village(rule.village_no) == village
    ]
    if not matching:
        return None
    return max(matching, key=score).department
