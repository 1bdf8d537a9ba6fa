"""Reads for organisations. Public look-ups return only active organisations."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from onestop.organisations.models import Invitation, Organisation


def organisation_get_public(*, slug: str) -> Organisation:
    """The active organisation at `slug`, or Http404."""
    return get_object_or_404(Organisation, slug=slug, is_active=True)


def invitations_open_for_user(*, user: User) -> QuerySet[Invitation]:
    """The invitations `user` may still accept (not answered, not expired), newest first."""
    return (
        Invitation.objects.filter(
            user=user,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
            organisation__is_active=True,
        )
        .select_related("organisation", "department", "invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_get_for_user(*, user: User, token: str) -> Invitation:
    """`user`'s open invitation with `token`; Http404 for anything else (another person's,
    expired, answered or unknown: the same answer)."""
    invitation = invitations_open_for_user(user=user).filter(token=token).first()
    if invitation is None:
        raise Http404
    return invitation
