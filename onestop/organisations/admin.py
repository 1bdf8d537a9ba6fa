"""Organisation admin lives in `catalog.admin` (it shows the catalogue and installs the default
one on creation); here: departments and staff memberships."""

from django.contrib import admin

from onestop.organisations.models import Department, Membership


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
