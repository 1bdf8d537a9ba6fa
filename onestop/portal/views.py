"""The citizen's way in: home (find your organisation) → organisation → its One Stop Service
centre (ศูนย์บริการจุดเดียวเบ็ดเสร็จ) → file a request (eservice) or check results (tracking)."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from onestop.core.pagecache import public_page
from onestop.organisations.selectors import organisation_get_public
from onestop.portal.selectors import (
    ServiceRow,
    organisation_search,
    oss_catalogue,
    province_list,
)
from onestop.reports.selectors import request_types_most_used

RESULTS_SHOWN = 50
# With no search yet, a small platform lists everyone; a national one asks to search first.
LIST_ALL_UP_TO = 30
# The organisation's most used types, as shortcuts above the catalogue (one line or two).
POPULAR_SHOWN = 3
LOGO_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}


@require_GET
@public_page()
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100].strip()
    provinces = province_list()
    province = request.GET.get("province", "")
    if province not in provinces:
        province = ""
    searched = bool(query or province)
    organisations = organisation_search(query=query, province=province)
    if not searched and organisations.count() > LIST_ALL_UP_TO:
        results, more = [], False
    else:
        results = list(organisations[: RESULTS_SHOWN + 1])
        more = len(results) > RESULTS_SHOWN
        results = results[:RESULTS_SHOWN]
    return render(
        request,
        "portal/home.html",
        {
            "query": query,
            "province": province,
            "provinces": provinces,
            "searched": searched,
            "organisations": results,
            "more": more,
        },
    )


@require_GET
@public_page()
def organisation_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    return render(request, "portal/organisation.html", {"organisation": organisation})


@require_GET
@public_page()
def oss_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The One Stop Service centre: check results, then the catalogue as compact rows by
    category, the organisation's most used types first, and a filter (`?q=`, and as you type
    with static/js/oss.js)."""
    organisation = organisation_get_public(slug=slug)
    query = " ".join(request.GET.get("q", "")[:100].split())
    categories = oss_catalogue(organisation=organisation, query=query)
    popular: list[ServiceRow] = []
    if not query:
        by_id = {row.pk: row for category in categories for row in category.rows}
        most_used = request_types_most_used(
            organisation=organisation, today=timezone.localdate(), limit=POPULAR_SHOWN
        )
        popular = [by_id[pk] for pk in most_used if pk in by_id]
    return render(
        request,
        "portal/oss.html",
        {
            "organisation": organisation,
            "categories": categories,
            "popular": popular,
            "query": query,
            "found": sum(len(category.rows) for category in categories),
        },
    )


@require_GET
def logo(request: HttpRequest, slug: str) -> FileResponse:
    """The organisation's emblem (public; other uploads are private and served elsewhere)."""
    organisation = organisation_get_public(slug=slug)
    content_type, _encoding = mimetypes.guess_type(organisation.logo.name or "")
    if not organisation.logo or content_type not in LOGO_TYPES:
        raise Http404  # never SVG or HTML from an upload: they could carry scripts
    response = FileResponse(organisation.logo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
