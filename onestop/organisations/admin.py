"""Organisation admin lives in `catalog.admin` (it shows the catalogue and installs the default
one on creation); here: departments, staff memberships and invitations (read-only)."""

from django.contrib import admin
from django.http import HttpRequest

from onestop.organisations.models import Department, Invitation, Membership


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name_th", "organisation", "position", "is_active"]
    list_filter = ["is_active", "organisation__province"]
    search_fields = ["name_th", "name_en", "organisation__name_th"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = [
        "user",
        "organisation",
        "role",
        "department",
        "can_see_confidential",
        "is_active",
    ]
    list_filter = ["role", "is_active", "can_see_confidential"]
    search_fields = ["user__username", "user__email", "user__first_name", "organisation__name_th"]
    list_select_related = ["user", "organisation", "department"]
    autocomplete_fields = ["user", "organisation", "department"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """Read-only: invitations are made by organisation administrators and answered by the person
    invited (`organisations.services`); the token is never shown."""

    list_display = ["user", "organisation", "role", "invited_by", "created_at", "expires_at",
                    "accepted_at", "declined_at"]  # fmt: skip
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "organisation__name_th"]
    list_select_related = ["user", "organisation", "invited_by"]
    exclude = ["token"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False
