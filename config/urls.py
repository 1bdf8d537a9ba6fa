from django.contrib import admin
from django.urls import include, path

from onestop.api import open311_schema
from onestop.api.staff import api as staff_api
from onestop.core import errorpages

admin.site.site_header = "OneStop: ผู้ดูแลแพลตฟอร์ม"
admin.site.site_title = "OneStop"
admin.site.index_title = "การจัดการแพลตฟอร์ม"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/platform/", include("onestop.reports.urls_platform")),
    path("admin/", admin.site.urls),
    path("staff/", include("onestop.accounts.urls")),
    path("staff/", include("onestop.backoffice.urls")),
    path("", include("onestop.notifications.urls")),
    path("", include("onestop.tracking.urls")),
    path("", include("onestop.reports.urls")),
    path("", include("onestop.eservice.urls")),
    path("api/v1/", staff_api.urls),
    path("api/open311/openapi.json", open311_schema.openapi, name="open311-openapi"),
    # Before the portal, whose /<slug>/… would otherwise take /<slug>/open311/….
    path("", include("onestop.api.urls")),
    path("", include("onestop.portal.urls")),
]

# Error pages in Thai or English that need no database; an unreachable database is a 503.
handler400 = errorpages.bad_request
handler403 = errorpages.permission_denied
handler404 = errorpages.page_not_found
handler500 = errorpages.server_error
