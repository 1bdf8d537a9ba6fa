"""Reads for the wizard. Every look-up names the organisation."""

from __future__ import annotations

from onestop.cases.models import Case
from onestop.organisations.models import Organisation


def case_get_by_submission_key(*, organisation: Organisation, submission_key: str) -> Case | None:
    """The request filed with this wizard key in `organisation`, if any (a repeated submit)."""
    if not submission_key:
        return None
    return Case.objects.filter(organisation=organisation, submission_key=submission_key).first()
