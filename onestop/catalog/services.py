"""Writes for the catalogue, and onboarding of a new organisation (which needs both apps)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from onestop.catalog.defaults import DEFAULT_CATALOGUE
from onestop.catalog.models import Category, RequestType
from onestop.organisations.models import Organisation
from onestop.organisations.services import organisation_create


@transaction.atomic
def catalogue_install_default(*, organisation: Organisation) -> None:
    """Give `organisation` the manual's 6 categories and 15 request types. Idempotent: entries it
    already has (by key) are left as the organisation edited them."""
    departments = {d.key: d for d in organisation.departments.all()}
    for category_position, default_category in enumerate(DEFAULT_CATALOGUE, start=1):
        category, _created = Category.objects.get_or_create(
            organisation=organisation,
            key=default_category.key,
            defaults={
                "name_th": default_category.name_th,
                "name_en": default_category.name_en,
                "position": category_position,
            },
        )
        for type_position, t in enumerate(default_category.types, start=1):
            RequestType.objects.get_or_create(
                organisation=organisation,
                key=t.key,
                defaults={
                    "category": category,
                    "name_th": t.name_th,
                    "name_en": t.name_en,
                    "description_th": t.description_th,
                    "description_en": t.description_en,
                    "position": type_position,
                    "default_department": departments.get(t.department_key),
                    "sla_days": t.sla_days,
                    "location": t.location,
                    "id_card_required": t.id_card_required,
                    "is_confidential": t.is_confidential,
                },
            )


@transaction.atomic
def organisation_onboard(**fields: Any) -> Organisation:
    """Create an organisation ready to serve: default departments and the default catalogue.
    Takes the keyword arguments of `organisations.services.organisation_create`."""
    organisation = organisation_create(**fields)
    catalogue_install_default(organisation=organisation)
    return organisation
