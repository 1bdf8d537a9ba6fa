from django.urls import path

from onestop.notifications import views

app_name = "notifications"

urlpatterns = [
    path("line/<slug:slug>/webhook/", views.line_webhook, name="line-webhook"),
]
