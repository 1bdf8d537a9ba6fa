"""Reads of the organisation's own settings for the back office: members (and the record of
confidential grants), the catalogue of request types, reply templates, routing rules and the
audit trail, and the organisations a person serves. Each names who is asking and returns only
their organisation's rows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from onestop.backoffice.models import ReplyTemplate
from onestop.backoffice.permissions import StaffAccess
from onestop.cases import numbering
from onestop.cases.models import RoutingRule
from onestop.catalog.models import RequestType
from onestop.core.models import AuditAction, AuditLog
from onestop.core.thaidigits import to_arabic_digits
from onestop.organisations.models import (
    Department,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from onestop.organisations.services import CONFIDENTIAL_GRANTED, CONFIDENTIAL_REVOKED


def reply_template_list(*, access: StaffAccess) -> QuerySet[ReplyTemplate]:
    return ReplyTemplate.objects.filter(organisation=access.organisation).select_related(
        "request_type"
    )


def reply_template_get(*, access: StaffAccess, pk: int) -> ReplyTemplate:
    template = reply_template_list(access=access).filter(pk=pk).first()
    if template is None:
        raise Http404
    return template


def member_list(*, access: StaffAccess) -> QuerySet[Membership]:
    """The organisation's staff, for its administrators."""
    if not access.can_manage_staff:
        raise Http404
    return (
        Membership.objects.filter(organisation=access.organisation)
        .select_related("user", "department")
        .order_by("-is_active", "role", "user__username")
    )


def invitations_open_for_admin(*, access: StaffAccess) -> QuerySet[Invitation]:
    """Invitations of this organisation still waiting for the person's answer."""
    if not access.can_manage_staff:
        raise Http404
    return (
        Invitation.objects.filter(
            organisation=access.organisation,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("user", "department", "invited_by")
        .order_by("-created_at", "-pk")
    )


def member_get(*, access: StaffAccess, pk: int) -> Membership:
    membership = member_list(access=access).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def catalogue_for_admin(*, access: StaffAccess) -> QuerySet[RequestType]:
    """Every request type of the organisation, active or not, for its administrators."""
    if not access.can_manage_staff:
        raise Http404
    return (
        RequestType.objects.filter(organisation=access.organisation)
        .select_related("category", "default_department")
        .order_by("category__position", "position", "pk")
    )


@dataclass(frozen=True)
class ConfidentialGrant:
    granted: bool  # False: revoked
    by: str
    to: str
    at: dt.datetime


def confidential_grants_for_admin(
    *, access: StaffAccess, limit: int = 50
) -> list[ConfidentialGrant]:
    """Who granted or revoked access to confidential complaints, to whom and when (from the
    audit trail), newest first: shown to every administrator of the organisation. A grant that
    came with an accepted invitation names the administrator who invited."""
    if not access.can_manage_staff:
        raise Http404
    entries = AuditLog.objects.filter(
        organisation=access.organisation,
        action=AuditAction.STAFF_CHANGE,
        details__confidential_access__in=[CONFIDENTIAL_GRANTED, CONFIDENTIAL_REVOKED],
    ).order_by("-pk")[:limit]
    return [
        ConfidentialGrant(
            granted=entry.details["confidential_access"] == CONFIDENTIAL_GRANTED,
            by=entry.details.get("granted_by") or entry.actor_username,
            to=entry.object_ref,
            at=entry.created_at,
        )
        for entry in entries
    ]


def confidential_types_without_handler(*, access: StaffAccess) -> list[RequestType]:
    """The organisation's open confidential types that no granted member can act on: nobody
    active with the grant who is a head or officer of the division the type goes to (any
    division when the type names none). Such a complaint would wait unseen; the settings pages
    warn the administrator. Two queries."""
    if not access.can_manage_staff:
        raise Http404
    handlers = Membership.objects.filter(
        organisation=access.organisation, is_active=True, user__is_active=True,
        can_see_confidential=True, role__in=[Role.HEAD, Role.OFFICER],
    )  # fmt: skip
    in_its_division = handlers.filter(department_id=OuterRef("default_department_id"))
    return list(
        RequestType.objects.filter(
            organisation=access.organisation, is_confidential=True, is_active=True
        )
        .filter(
            Q(~Exists(in_its_division), default_department__isnull=False)
            | Q(~Exists(handlers), default_department__isnull=True)
        )
        .select_related("default_department")
        .order_by("category__position", "position", "pk")
    )


def departments_active(*, access: StaffAccess) -> list[Department]:
    """The organisation's active divisions, in their order (for the rows of a settings page)."""
    return list(Department.objects.filter(organisation=access.organisation, is_active=True))


def staff_memberships(*, user: User) -> QuerySet[Membership]:
    """The organisations this person serves (for `/staff/`)."""
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "department")
        .order_by("organisation__name_th")
    )


def audit_list_for_staff(
    *,
    user: User,
    organisation: Organisation,
    access: StaffAccess,
    action: str = "",
    actor: str = "",
    ref: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    before: int | None = None,
    limit: int = 100,
) -> QuerySet[AuditLog]:
    """The organisation's audit trail, newest first; only for its administrators."""
    if access.user.pk != user.pk or access.organisation.pk != organisation.pk:
        raise Http404
    if not access.can_read_audit:
        raise Http404
    entries = AuditLog.objects.filter(organisation=organisation)
    if not access.can_see_confidential:  # entries about confidential requests need the grant
        entries = entries.filter(is_confidential=False)
    if action:
        entries = entries.filter(action=action)
    for word in actor.split()[:4]:  # "สมชาย ใจดี", "ใจดี" or a username: each word matches
        entries = entries.filter(
            Q(actor_username__icontains=word)
            | Q(actor__first_name__icontains=word)
            | Q(actor__last_name__icontains=word)
        )
    if ref.strip():
        entries = entries.filter(object_ref__icontains=_ref_as_stored(ref))
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    if before:
        entries = entries.filter(pk__lt=before)
    return entries.select_related("actor").order_by("-pk")[:limit]


def _ref_as_stored(ref: str) -> str:
    """Request numbers are stored as digits: `69-04217-88315-6`, `6904217883156` and a part
    such as `04217-883` find the same entries; anything else (a username) is looked up as
    typed."""
    canonical = numbering.parse(ref)
    if canonical is not None:
        return canonical
    text = to_arabic_digits(ref.strip())
    if re.fullmatch(r"[0-9][0-9\s\-]*", text):
        return re.sub(r"[^0-9]", "", text)
    return ref.strip()


def routing_rules_for_admin(*, access: StaffAccess) -> QuerySet[RoutingRule]:
    if not access.can_manage_staff:
        raise Http404
    return RoutingRule.objects.filter(organisation=access.organisation).select_related(
        "request_type", "department"
    )


def routing_rule_get(*, access: StaffAccess, pk: int) -> RoutingRule:
    rule = routing_rules_for_admin(access=access).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule
