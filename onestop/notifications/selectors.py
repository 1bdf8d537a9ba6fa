from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404

from onestop.cases.models import Case
from onestop.core import crypto
from onestop.notifications.models import (
    STAFF_KINDS,
    Channel,
    ChannelPreference,
    LineChannel,
    Message,
    SmsGateway,
    StaffContact,
)
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


def _built_in(kind: str) -> frozenset[Channel]:
    """Without any choice saved: every staff kind by e-mail."""
    return frozenset({Channel.EMAIL}) if kind in STAFF_KINDS else frozenset()


def preference_table(
    *, organisation: Organisation, user: User | None
) -> dict[str, frozenset[Channel]]:
    """The channels of each staff kind for `user` in `organisation` (their own choice, else the
    organisation's default, else e-mail), or the organisation's defaults when `user` is None.
    What the settings pages show; SMS is listed whether or not it can be sent now."""
    rows = ChannelPreference.objects.filter(organisation=organisation).filter(
        Q(user__isnull=True) | Q(user=user) if user is not None else Q(user__isnull=True)
    )
    defaults: dict[str, frozenset[Channel]] = {}
    own: dict[str, frozenset[Channel]] = {}
    for row in rows:
        chosen = _chosen(row)
        (own if row.user_id is not None else defaults)[row.kind] = chosen
    return {kind.value: own.get(kind, defaults.get(kind, _built_in(kind))) for kind in STAFF_KINDS}


def staff_mobile(*, organisation: Organisation, user: User) -> StaffContact | None:
    """The member's contact for SMS in this organisation, if they gave one."""
    return StaffContact.objects.filter(organisation=organisation, user=user).first()


def staff_channels(
    *, organisation: Organisation, users: list[User], kind: str
) -> dict[int, dict[Channel, str]]:
    """For each of `users`: the channels `kind` goes to them by, with the address on each
    (their e-mail; their mobile in E.164 when they chose SMS, gave a number and the
    organisation has an active gateway; their LINE user when they chose LINE, linked it and
    the organisation has an active LINE account). At most four queries whatever the number."""
    ids = [user.pk for user in users]
    rows = ChannelPreference.objects.filter(organisation=organisation, kind=kind).filter(
        Q(user__isnull=True) | Q(user_id__in=ids)
    )
    default = _built_in(kind)
    own: dict[int, frozenset[Channel]] = {}
    for row in rows:
        chosen = _chosen(row)
        if row.user_id is None:
            default = chosen
        else:
            own[row.user_id] = chosen
    mobiles: dict[int, str] = {}
    line_users: dict[int, str] = {}
    wanted: frozenset[Channel] = frozenset().union(*(own.get(pk, default) for pk in ids))
    sms_on = Channel.SMS in wanted and sms_gateway_active(organisation=organisation)
    line_on = (
        Channel.LINE in wanted
        and LineChannel.objects.filter(organisation=organisation, is_active=True).exists()
    )
    if sms_on or line_on:
        for contact in StaffContact.objects.filter(organisation=organisation, user_id__in=ids):
            if sms_on and contact.mobile_encrypted:
                mobiles[contact.user_id] = crypto.decrypt(contact.mobile_encrypted)
            if line_on and contact.line_user_encrypted:
                line_users[contact.user_id] = crypto.decrypt(contact.line_user_encrypted)
    found: dict[int, dict[Channel, str]] = {}
    for user in users:
        chosen = own.get(user.pk, default)
        addresses: dict[Channel, str] = {}
        if Channel.EMAIL in chosen and user.email:
            addresses[Channel.EMAIL] = user.email
        if Channel.SMS in chosen and user.pk in mobiles:
            addresses[Channel.SMS] = mobiles[user.pk]
        if Channel.LINE in chosen and user.pk in line_users:
            addresses[Channel.LINE] = line_users[user.pk]
        found[user.pk] = addresses
    return found


def _chosen(row: ChannelPreference) -> frozenset[Channel]:
    pairs = ((Channel.EMAIL, row.email), (Channel.SMS, row.sms), (Channel.LINE, row.line))
    return frozenset(channel for channel, on in pairs if on)
