"""Platform operators' view of requests. The national ID is shown masked only: the encrypted
value and its hash are never displayed or editable here. Requests of a confidential type, their
timeline and files are not shown at all: the operator is no member of the organisation with the
confidential grant (lists and detail pages alike; a detail URL answers as for a missing row)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from onestop.cases.models import Attachment, Case, CaseEvent, RoutingRule


class CaseEventInline(admin.TabularInline[CaseEvent, Case]):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "created_at", "kind", "move", "actor_kind", "actor", "from_status", "to_status",
        "public_message", "citizen_message", "internal_note",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False  # the timeline is appended by the services only


class AttachmentInline(admin.TabularInline[Attachment, Case]):
    model = Attachment
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "kind", "original_name", "content_type", "size", "is_public", "uploaded_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["display_number", "subject", "organisation", "request_type", "status",
                    "channel", "department", "submitted_at", "due_date"]  # fmt: skip
    list_filter = ["status", "channel", "priority", "organisation", "request_type__category"]
    search_fields = ["number", "subject", "requester_first_name", "requester_last_name"]
    list_select_related = ["organisation", "request_type", "department"]
    date_hierarchy = "submitted_at"
    # Status changes must go through the workflow (timeline, timestamps): read-only here.
    readonly_fields = ["number", "status", "national_id_masked", "submitted_at", "received_at",
                       "completed_at", "version"]  # fmt: skip
    exclude = ["submission_key"]
    raw_id_fields = ["assignee"]
    inlines = [CaseEventInline, AttachmentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        return super().get_queryset(request).exclude(request_type__is_confidential=True)

    @admin.display(description="เลขคำร้อง", ordering="number")
    def display_number(self, obj: Case) -> str:
        return obj.display_number


class ReadOnlyAdmin[M: (CaseEvent, Attachment)](admin.ModelAdmin[M]):
    """The timeline and files are written by the services only; operators may read them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin[CaseEvent]):
    list_display = ["created_at", "case", "kind", "actor_kind", "actor", "from_status", "to_status"]
    list_filter = ["kind", "actor_kind", "to_status", "case__organisation"]
    search_fields = ["case__number", "public_message", "internal_note"]
    list_select_related = ["case", "actor"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseEvent]:
        return super().get_queryset(request).exclude(case__request_type__is_confidential=True)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin[Attachment]):
    list_display = [
        "original_name",
        "case",
        "kind",
        "content_type",
        "size",
        "is_public",
        "uploaded_at",
    ]
    list_filter = ["kind", "is_public", "content_type", "case__organisation"]
    search_fields = ["case__number", "original_name", "sha256"]
    list_select_related = ["case"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attachment]:
        return super().get_queryset(request).exclude(case__request_type__is_confidential=True)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ["organisation", "request_type", "village_no", "department"]
    list_filter = ["organisation"]
    raw_id_fields = ["request_type", "department"]
