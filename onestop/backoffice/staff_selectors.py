"""Reads of the organisation's own settings for the back office: members (and the record of
confidential grants), the catalogue of request types and reply templates. Each names the member
asking (`StaffAccess`) and returns only their organisation's rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from onestop.backoffice.models import ReplyTemplate
from onestop.backoffice.permissions import StaffAccess
from onestop.catalog.models import RequestType
from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Invitation, Membership
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
