from django.urls import path

from onestop.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.staff_start, name="home"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:org_slug>/", views.inbox, name="inbox"),
    path("<slug:org_slug>/audit/", views.audit_log, name="audit"),
    path("<slug:org_slug>/privacy/", views.data_subject, name="privacy"),
    path("<slug:org_slug>/audit/export.csv", views.audit_export, name="audit-export"),
    path("<slug:org_slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:org_slug>/new/", views.counter_entry, name="counter-entry"),
    path("<slug:org_slug>/bulk/", views.bulk_action, name="bulk"),
    path("<slug:org_slug>/export.csv", views.inbox_export, name="export"),
    path("<slug:org_slug>/templates/", views.reply_templates, name="templates"),
    path("<slug:org_slug>/members/", views.members, name="members"),
    path("<slug:org_slug>/catalogue/", views.catalogue, name="catalogue"),
    path("<slug:org_slug>/routing/", views.routing_rules, name="routing"),
    path("<slug:org_slug>/poster/", views.poster, name="poster"),
    path(
        "<slug:org_slug>/notifications/",
        views.notification_settings,
        name="notification-settings",
    ),
    path(
        "<slug:org_slug>/notifications/defaults/",
        views.notification_defaults,
        name="notification-defaults",
    ),
    path("<slug:org_slug>/members/<int:pk>/", views.member_edit, name="member-edit"),
    path("<slug:org_slug>/cases/<str:number>/", views.case_detail, name="case"),
    path(
        "<slug:org_slug>/cases/<str:number>/national-id/",
        views.case_national_id_show,
        name="case-national-id",
    ),
    path("<slug:org_slug>/cases/<str:number>/act/<slug:action>/", views.case_act, name="case-act"),
    path(
        "<slug:org_slug>/cases/<str:number>/files/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<slug:org_slug>/cases/<str:number>/files/<int:pk>/show/",
        views.case_id_card_show,
        name="id-card-show",
    ),
    path(
        "<slug:org_slug>/cases/<str:number>/files/<int:pk>/public/",
        views.attachment_publish,
        name="attachment-public",
    ),
    path("<slug:org_slug>/cases/<str:number>/document.pdf", views.case_document, name="document"),
    path(
        "<slug:org_slug>/cases/<str:number>/notifications/<int:pk>/retry/",
        views.notification_retry,
        name="notification-retry",
    ),
]
