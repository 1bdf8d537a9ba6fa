"""Reads for organisations. Public look-ups return only active organisations."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from onestop.organisations.models import Organisation


def organisation_list_public(*, province: str = "", query: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_active=True)
    if province:
        organisations = organisations.filter(province=province)
    if query:
        organisations = organisations.filter(name_th__icontains=query.strip())
    return organisations.order_by("province", "name_th")


def organisation_get_public(*, slug: str) -> Organisation:
    """The active organisation at `slug`, or Http404."""
    return get_object_or_404(Organisation, slug=slug, is_active=True)
