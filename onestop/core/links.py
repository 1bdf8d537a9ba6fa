"""Absolute public addresses printed on paper (QR codes, documents, posters, e-mails).

The paths are fixed here because they are printed and must never change:
    /<org-slug>/                the organisation's page          (portal)
    /<org-slug>/oss/            its One Stop Service centre      (portal)
    /<org-slug>/request/        the 5-step request wizard        (eservice)
    /<org-slug>/track/          check results                    (tracking)
    /staff/invitations/<token>/ a staff invitation, e-mailed     (backoffice)
The matching URL patterns must keep these paths."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings


def _absolute(path: str) -> str:
    return f"{settings.ONESTOP_PUBLIC_URL}{path}"


def organisation_url(slug: str) -> str:
    return _absolute(f"/{slug}/")


def oss_url(slug: str) -> str:
    return _absolute(f"/{slug}/oss/")


def eservice_url(slug: str) -> str:
    return _absolute(f"/{slug}/request/")


def tracking_url(slug: str, number: str = "") -> str:
    """The check-results page; with `number`, the number is filled in (the 4 phone digits are
    still asked for)."""
    query = f"?{urlencode({'number': number})}" if number else ""
    return _absolute(f"/{slug}/track/{query}")


def staff_invitation_url(token: str) -> str:
    """Where an invited member of staff accepts an organisation's invitation (signed in)."""
    return _absolute(f"/staff/invitations/{token}/")
