"""Public pages. `/<slug>/` and `/<slug>/oss/` are fixed public paths (printed: core.links)."""

from django.urls import path

from onestop.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.organisation_page, name="organisation"),
    path("<slug:slug>/oss/", views.oss_page, name="oss"),
    path("<slug:slug>/logo/", views.logo, name="organisation_logo"),
]
