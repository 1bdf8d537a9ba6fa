"""Routing of new requests: the organisation's rules by type and area (หมู่ที่), the services
that keep them and the look-up `case_submit` makes."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onestop.cases.models import RoutingRule
from onestop.catalog.models import RequestType
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction
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


def routing_rule_create(
    *,
    organisation: Organisation,
    department: Department,
    request_type: RequestType | None = None,
    village_no: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> RoutingRule:
    """Send new requests of a type and/or an area (หมู่ที่) to a division (audited)."""
    if department.organisation_id != organisation.pk or (
        request_type is not None and request_type.organisation_id != organisation.pk
    ):
        raise DomainError(_("ไม่พบข้อมูลนี้ในหน่วยงาน"), code="foreign")
    village_no = village_no.strip()
    if request_type is None and not village_no:
        raise DomainError(_("กรุณาระบุประเภทคำร้องหรือหมู่ที่อย่างน้อยหนึ่งอย่าง"), code="empty")
    with transaction.atomic():
        if RoutingRule.objects.filter(
            organisation=organisation, request_type=request_type, village_no=village_no
        ).exists():
            raise DomainError(_("มีกฎสำหรับประเภทและหมู่ที่นี้แล้ว"), code="duplicate")
        rule = RoutingRule.objects.create(
            organisation=organisation, request_type=request_type, village_no=village_no,
            department=department,
        )  # fmt: skip
        audit_record(
            request=request, actor=actor, action=AuditAction.CATALOGUE_CHANGE,
            organisation=organisation, object_type="routing_rule", object_ref=str(rule.pk),
            details={"type": request_type.key if request_type else "*",
                     "village": village_no or "*", "department": department.key},
        )  # fmt: skip
    return rule


def routing_rule_delete(
    *, rule: RoutingRule, actor: User, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        audit_record(
            request=request, actor=actor, action=AuditAction.CATALOGUE_CHANGE,
            organisation=rule.organisation, object_type="routing_rule", object_ref=str(rule.pk),
            details={"deleted": True},
        )  # fmt: skip
        rule.delete()
