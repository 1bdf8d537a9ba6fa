"""`/admin/platform/…`: the platform view, for the platform's operators (mounted before the
admin in config/urls.py so that the admin's catch-all does not take it)."""

from django.urls import path

from onestop.reports import views_platform

app_name = "platform"
urlpatterns = [
    path("performance/", views_platform.platform_view, name="performance"),
]
