"""Tracking pages. `/<slug>/track/` is a fixed public path (printed in QR codes: core.links)."""

from django.urls import path

from onestop.tracking import views

app_name = "tracking"
urlpatterns = [
    path("<slug:slug>/track/", views.check, name="check"),
    path("<slug:slug>/track/leave/", views.leave, name="leave"),
    path("<slug:slug>/track/status/", views.status, name="status"),
    path("<slug:slug>/track/status/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/track/status/information/", views.add_information, name="add_information"),
    path("<slug:slug>/track/status/solved/", views.confirm_solved, name="confirm_solved"),
    path("<slug:slug>/track/status/not-solved/", views.not_solved, name="not_solved"),
    path("<slug:slug>/track/status/rating/", views.rate, name="rate"),
    path("<slug:slug>/track/status/photos/<int:pk>/", views.photo, name="photo"),
    path("<slug:slug>/track/status/document/", views.document, name="document"),
]
