"""`/<slug>/performance/`: public, no sign-in (linked from the organisation page, the OSS centre
and the tracking status page)."""

from django.urls import path

from onestop.reports import views

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/performance/", views.performance, name="performance"),
    path("<slug:slug>/performance/photos/<int:pk>/", views.photo, name="photo"),
]
