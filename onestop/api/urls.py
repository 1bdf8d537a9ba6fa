"""Open311 GeoReport v2 under /<org-slug>/open311/ (the discovery document) and
/<org-slug>/open311/v2/ (the endpoint); `.json` or `.xml` at the end of each resource."""

from django.urls import path, re_path

from onestop.api import staff_keys, views
from onestop.api.formats import XML

app_name = "api"

_FORMAT = r"\.(?P<fmt>json|xml)"
_SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns = [
    path("staff/<slug:org_slug>/api-keys/", staff_keys.api_keys, name="keys"),
    path(
        "staff/<slug:org_slug>/api-keys/<int:pk>/revoke/",
        staff_keys.api_key_revoke,
        name="key-revoke",
    ),
    re_path(rf"^{_SLUG}/open311/discovery{_FORMAT}$", views.discovery, name="discovery"),
    re_path(rf"^{_SLUG}/open311/v2/services{_FORMAT}$", views.services, name="services"),
    re_path(
        rf"^{_SLUG}/open311/v2/services/(?P<code>[-a-zA-Z0-9_]+){_FORMAT}$",
        views.service_definition,
        name="service_definition",
    ),
    re_path(rf"^{_SLUG}/open311/v2/requests{_FORMAT}$", views.requests_endpoint, name="requests"),
    re_path(
        rf"^{_SLUG}/open311/v2/tokens/(?P<token>[-a-zA-Z0-9_]+){_FORMAT}$",
        views.token,
        name="token",
    ),
    re_path(
        rf"^{_SLUG}/open311/v2/requests/(?P<number>[^/]+?){_FORMAT}$",
        views.request_detail,
        name="request",
    ),
    re_path(rf"^{_SLUG}/open311/(?P<rest>.*){_FORMAT}$", views.unknown, name="unknown"),
    path("<slug:slug>/open311/<path:rest>", views.unknown, {"fmt": XML}, name="unknown_xml"),
]
