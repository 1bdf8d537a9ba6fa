"""Reads of an organisation's catalogue. Always scoped to the organisation."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from onestop.catalog.models import Category, RequestType
from onestop.organisations.models import Organisation


def catalogue_for_citizens(*, organisation: Organisation) -> QuerySet[Category]:
    """Active categories with their active types prefetched as `active_types`, in order."""
    active_types = RequestType.objects.filter(is_active=True).order_by("position", "pk")
    return (
        Category.objects.filter(organisation=organisation, is_active=True)
        .prefetch_related(Prefetch("request_types", queryset=active_types, to_attr="active_types"))
        .order_by("position", "pk")
    )


def request_type_get(*, organisation: Organisation, pk: int) -> RequestType:
    """An active type of `organisation`, or Http404 (also for another organisation's type)."""
    return get_object_or_404(
        RequestType.objects.select_related("category", "default_department"),
        organisation=organisation,
        pk=pk,
        is_active=True,
    )
