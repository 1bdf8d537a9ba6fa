"""Writes for the catalogue, and onboarding of a new organisation (which needs both apps)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onestop.catalog.defaults import DEFAULT_CATALOGUE
from onestop.catalog.models import Category, LocationRule, RequestType
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction
from onestop.organisations.models import Department, Organisation
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


@transaction.atomic
def request_type_update(
    *,
    organisation: Organisation,
    actor: User,
    request_type: RequestType,
    name_th: str,
    name_en: str,
    description_th: str,
    is_active: bool,
    default_department: Department | None,
    sla_days: int,
    location: str,
    id_card_required: bool,
    request: HttpRequest | None = None,
) -> RequestType:
    """An administrator (`actor`; the caller checked that) adapts one request type of
    `organisation`'s catalogue, audited in the same transaction. Whether a type is confidential
    is left to the platform operator: switching it off would expose complaints."""
    if request_type.organisation_id != organisation.pk:
        raise DomainError(_("คุณไม่มีสิทธิ์แก้ไขประเภทคำร้อง"), code="forbidden")
    if default_department is not None and default_department.organisation_id != organisation.pk:
        raise DomainError(_("กอง/สำนักนี้ไม่ได้อยู่ในองค์กรนี้"), code="foreign_department")
    if not 1 <= sla_days <= 365:
        raise DomainError(_("ระยะเวลาดำเนินการต้องอยู่ระหว่าง 1 ถึง 365 วันทำการ"), code="sla")
    if location not in LocationRule.values:
        raise DomainError(_("ค่าสถานที่ไม่ถูกต้อง"), code="location")
    fields = {
        "name_th": name_th.strip(), "name_en": name_en.strip(),
        "description_th": description_th.strip(), "is_active": is_active,
        "default_department": default_department, "sla_days": sla_days, "location": location,
        "id_card_required": id_card_required,
    }  # fmt: skip
    changed = [k for k, v in fields.items() if getattr(request_type, k) != v]
    for key, value in fields.items():
        setattr(request_type, key, value)
    request_type.save(update_fields=list(fields))
    audit_record(
        request=request, actor=actor, action=AuditAction.CATALOGUE_CHANGE,
        organisation=organisation, object_type="request_type", object_ref=request_type.key,
        details={"changed": changed},
    )  # fmt: skip
    return request_type
