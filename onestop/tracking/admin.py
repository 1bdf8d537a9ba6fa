"""Operators can read feedback and see (and lift) tracking locks; nothing here is edited."""

from django.contrib import admin
from django.http import HttpRequest

from onestop.tracking.models import Feedback, TrackingThrottle


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin[Feedback]):
    list_display = ("created_at", "organisation", "case", "kind", "score")
    list_filter = ("kind", "organisation")
    readonly_fields = ("organisation", "case", "kind", "score", "comment", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(TrackingThrottle)
class TrackingThrottleAdmin(admin.ModelAdmin[TrackingThrottle]):
    list_display = ("scope", "key", "failures", "window_started_at", "locked_until")
    list_filter = ("scope",)
    readonly_fields = ("scope", "key", "failures", "window_started_at", "locked_until")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
