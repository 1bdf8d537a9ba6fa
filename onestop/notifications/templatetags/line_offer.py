"""`{% line_offer case %}`: "get updates in LINE" on the done page and the tracking page,
only when the request's organisation has an active LINE account (the caller has already
checked that the reader is the citizen of that request)."""

from __future__ import annotations

from typing import Any

from django import template

from onestop.cases.models import Case
from onestop.notifications.line import (
    add_friend_url,
    line_channel_active,
    line_link_code,
    linked_line_users,
    send_code_url,
)

register = template.Library()


@register.inclusion_tag("notifications/line_offer.html")
def line_offer(case: Case) -> dict[str, Any]:
    channel = line_channel_active(organisation=case.organisation_id)
    if channel is None:
        return {"offer": False}
    if linked_line_users(case=case):
        return {"offer": True, "linked": True}
    link = line_link_code(case=case)
    return {
        "offer": True, "linked": False, "code": link.code, "basic_id": channel.basic_id,
        "add_url": add_friend_url(channel), "send_url": send_code_url(channel, link.code),
    }  # fmt: skip
