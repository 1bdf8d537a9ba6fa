"""Template helpers for forms (the shared error summary, templates/includes/error_summary.html)."""

from __future__ import annotations

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where the error summary's link for `field` jumps: the field's own input, or the element
    its form names in `OneStopForm.error_anchors` (e.g. the fieldset of a group of radio cards)."""
    anchors: dict[str, str] = getattr(field.form, "error_anchors", {})
    return anchors.get(field.name) or field.auto_id
