from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from onestop.core.models import AuditLog, Holiday, RequestLatency


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin[Holiday]):
    list_display = ["date", "name_th", "name_en"]
    search_fields = ["name_th", "name_en"]
    date_hierarchy = "date"


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin[AuditLog]):
    """Read-only: the audit trail is never edited or deleted, not even by operators."""

    list_display = ["created_at", "actor_username", "organisation", "action", "object_ref",
                    "ip_address"]  # fmt: skip
    list_filter = ["action", "organisation"]
    search_fields = ["actor_username", "object_ref"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditLog]:
        """Entries about confidential requests are for the organisation's granted members (in
        the back office), not for the platform's operators, like the requests themselves."""
        return super().get_queryset(request).filter(is_confidential=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False


@admin.register(RequestLatency)
class RequestLatencyAdmin(admin.ModelAdmin[RequestLatency]):
    """Read-only: the counts behind /metrics' latency histogram, written by every process."""

    list_display = ["view", "status_class", "le", "count", "seconds"]
    list_filter = ["status_class"]
    search_fields = ["view"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: RequestLatency | None = None
    ) -> bool:
        return False
