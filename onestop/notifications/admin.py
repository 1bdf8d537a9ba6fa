from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from onestop.notifications.models import SentNotification


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin[SentNotification]):
    list_display = ["sent_at", "case", "channel", "subject"]
    list_filter = ["channel", "case__organisation"]
    search_fields = ["case__number", "subject", "recipients"]
    list_select_related = ["case"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SentNotification]:
        # Not about confidential requests: the operator does not see those (see cases.admin).
        return super().get_queryset(request).exclude(case__request_type__is_confidential=True)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written when a notification is sent, never by hand

    def has_change_permission(
        self, request: HttpRequest, obj: SentNotification | None = None
    ) -> bool:
        return False
