from django.urls import path

from onestop.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.organisation_page, name="organisation"),
]
