from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from onestop.catalog.models import Category, RequestType
from onestop.catalog.services import catalogue_install_default
from onestop.organisations.models import Department, Organisation


class DepartmentInline(admin.TabularInline[Department, Organisation]):
    model = Department
    extra = 0
    fields = ["key", "name_th", "name_en", "position", "is_active"]


class CategoryInline(admin.TabularInline[Category, Organisation]):
    model = Category
    extra = 0
    fields = ["key", "name_th", "name_en", "position", "is_active"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name_th", "code", "kind", "province", "district", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    search_fields = ["name_th", "name_en", "code", "slug", "province", "district"]
    prepopulated_fields = {"slug": ["name_en"]}
    # The poster downloads are added by the documents app (`DocumentsConfig.ready`): catalog
    # sits below documents and must not import it.
    inlines = [DepartmentInline, CategoryInline]

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        if not change:  # a new organisation starts with the manual's catalogue
            catalogue_install_default(organisation=form.instance)


class RequestTypeInline(admin.TabularInline[RequestType, Category]):
    model = RequestType
    extra = 0
    fields = ["name_th", "position", "sla_days", "location", "is_confidential", "is_active"]
    show_change_link = True


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["name_th", "organisation", "position", "is_active"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["name_th", "name_en", "organisation__name_th"]
    list_select_related = ["organisation"]
    inlines = [RequestTypeInline]


@admin.register(RequestType)
class RequestTypeAdmin(admin.ModelAdmin[RequestType]):
    list_display = [
        "name_th", "category", "organisation", "default_department", "sla_days", "location",
        "id_card_required", "is_confidential", "is_active",
    ]  # fmt: skip
    list_filter = ["is_active", "is_confidential", "location", "id_card_required", "organisation"]
    search_fields = ["name_th", "name_en", "description_th", "organisation__name_th"]
    list_select_related = ["category", "organisation", "default_department"]
