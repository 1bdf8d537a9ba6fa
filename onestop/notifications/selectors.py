from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from onestop.cases.models import Case
from onestop.notifications.models import Message, SmsGateway
from onestop.organisations.models import Organisation


def notifications_for_case(*, case: Case) -> QuerySet[Message]:
    """Every message about `case`, oldest first (the caller has already checked the reader may
    see the request)."""
    return (
        Message.objects.filter(case=case)
        .select_related("recipient_user")
        .order_by("created_at", "pk")
    )


def notification_get_for_case(*, case: Case, pk: int) -> Message:
    """One message about `case`; 404 for another request's (or another organisation's)."""
    message = Message.objects.filter(case=case, organisation_id=case.organisation_id, pk=pk).first()
    if message is None:
        raise Http404
    return message


def sms_gateway_active(*, organisation: Organisation) -> bool:
    """Whether the organisation's citizens are told by SMS (it has an active gateway)."""
    return SmsGateway.objects.filter(organisation=organisation, is_active=True).exists()
