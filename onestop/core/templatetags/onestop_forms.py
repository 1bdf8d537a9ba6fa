"""Template helpers for forms (the shared error summary, templates/includes/error_summary.html)."""

from __future__ import annotations

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where the error summary's link for `field` jumps: the field's own input, or the element
    a form names in the field's `error_anchor` (e.g. the fieldset of a group of radio cards)."""
    anchor: str = getattr(field.field, "error_anchor", "") or field.auto_id
    return anchor
