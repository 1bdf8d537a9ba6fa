from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from onestop.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = [
        "created_at", "case", "kind", "channel", "recipient_masked", "state", "attempts",
    ]  # fmt: skip
    list_filter = ["state", "channel", "kind", "organisation"]
    search_fields = ["case__number", "subject", "key"]
    list_select_related = ["case"]
    readonly_fields = ["recipient_masked", "key"]
    exclude = ["recipient_encrypted", "body_encrypted", "recipient_hash"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        # Not about confidential requests: the operator does not see those (see cases.admin).
        return super().get_queryset(request).exclude(case__request_type__is_confidential=True)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # planned by the services, in the transaction of a change

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False
