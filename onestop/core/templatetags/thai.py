"""Template filters loaded everywhere (settings: TEMPLATES builtins)."""

from __future__ import annotations

import datetime as dt

from django import template

from onestop.core import thaidate
from onestop.core.addresses import AddressParts, format_address
from onestop.core.identity import format_mobile
from onestop.core.masking import mask_phone

register = template.Library()


@register.filter
def thai_date(value: dt.date | dt.datetime | None) -> str:
    return thaidate.format_date(value)


@register.filter
def thai_date_short(value: dt.date | dt.datetime | None) -> str:
    return thaidate.format_date(value, short=True)


@register.filter
def thai_datetime(value: dt.datetime | None) -> str:
    return thaidate.format_datetime(value)


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value)


@register.filter
def thai_phone(value: str) -> str:
    """A mobile number as written in Thailand (`081-234-5678`)."""
    return format_mobile(value)


@register.filter
def thai_address(place: AddressParts | None) -> str:
    """A request's or a typed place's address as one line (`addresses.format_address`)."""
    return format_address(place) if place is not None else ""
