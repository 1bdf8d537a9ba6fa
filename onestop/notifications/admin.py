from django.contrib import admin
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # planned by the services, in the transaction of a change

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False
