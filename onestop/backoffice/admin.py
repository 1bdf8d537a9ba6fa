from django.contrib import admin

from onestop.backoffice.models import ReplyTemplate


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin[ReplyTemplate]):
    list_display = ["title", "organisation", "request_type", "status"]
    list_filter = ["organisation", "status"]
    search_fields = ["title", "body"]
    raw_id_fields = ["request_type"]
