"""Template filters of the back office."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def thai_phone(e164: str) -> str:
    """`+66812345678` → `081-234-5678`, as Thai staff dial it; anything else unchanged."""
    if not e164.startswith("+66") or len(e164) != 12:
        return e164
    national = "0" + e164[3:]
    return f"{national[:3]}-{national[3:6]}-{national[6:]}"
