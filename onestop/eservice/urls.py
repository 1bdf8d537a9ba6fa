"""/<org-slug>/request/…: the fixed public path of the wizard (see onestop.core.links)."""

from django.urls import path

from onestop.eservice import views

app_name = "eservice"

urlpatterns = [
    path("<slug:slug>/request/", views.details, name="details"),
    path("<slug:slug>/request/place/", views.place, name="place"),
    path("<slug:slug>/request/place/lookup/", views.address_lookup, name="address_lookup"),
    path("<slug:slug>/request/documents/", views.documents, name="documents"),
    path("<slug:slug>/request/files/<str:file_id>/", views.staged_file, name="staged_file"),
    path("<slug:slug>/request/review/", views.review, name="review"),
    path("<slug:slug>/request/confirm/", views.confirm, name="confirm"),
    path("<slug:slug>/request/done/", views.done, name="done"),
    path("<slug:slug>/request/done/document.pdf", views.document_pdf, name="document_pdf"),
    path("<slug:slug>/request/privacy/", views.privacy, name="privacy"),
]
