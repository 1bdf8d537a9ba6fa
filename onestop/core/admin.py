from django.contrib import admin

from onestop.core.models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin[Holiday]):
    list_display = ["date", "name_th", "name_en"]
    search_fields = ["name_th", "name_en"]
    date_hierarchy = "date"
