"""Public downloads: the ITA reports (PDF, XLSX), open data (CSV, GeoJSON, JSON) of an
organisation and of the whole platform, and the open data page that lists them. No sign-in:
everything here is published. A period or month that does not exist is a 400, one still to
come a 404, both with a message in the visitor's language."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onestop.core.ingress import refusal
from onestop.core.replica import reads_may_be_stale
from onestop.core.spreadsheets import safe_cell
from onestop.organisations.models import Organisation
from onestop.organisations.selectors import organisation_get_public
from onestop.reports import views
from onestop.reports.forms import PeriodForm
from onestop.reports.ita import KINDS, InvalidPeriod, ita_period
from onestop.reports.opendata import (
    CHUNK_ROWS,
    COLUMNS,
    LICENCE,
    InvalidMonth,
    OpenRow,
    geojson_chunks,
    months_offered,
    open_data_month,
    open_rows,
    performance_json,
    platform_json,
)
from onestop.reports.publications import FORMATS, ita_file_get, ita_filename
from onestop.reports.selectors import public_performance

CACHE = "public, max-age=3600"
LICENCE_LINK = f'<{LICENCE["path"]}>; rel="license"'


def _bad_period(request: HttpRequest, *, not_yet: bool) -> HttpResponse:
    if not_yet:
        return refusal(request, status=404, title=_("ยังไม่มีข้อมูลของช่วงเวลานี้"),
                       message=_("ช่วงเวลานี้ยังไม่เริ่ม กรุณาเลือกช่วงเวลาที่ผ่านมาแล้ว"))  # fmt: skip
    return refusal(request, status=400, title=_("ช่วงเวลาไม่ถูกต้อง"),
                   message=_("ไม่มีปีงบประมาณ ไตรมาส หรือเดือนนี้ กรุณาตรวจสอบที่อยู่เว็บอีกครั้ง"))  # fmt: skip


# --- ITA reports ------------------------------------------------------------------------------


@require_GET
@reads_may_be_stale
def ita_file(
    request: HttpRequest, slug: str, kind: str, year: int, *, fmt: str, quarter: int | None = None
) -> HttpResponse:
    organisation = organisation_get_public(slug=slug)
    if kind not in KINDS or fmt not in FORMATS:
        return refusal(request, status=404, title=_("ไม่พบรายงานนี้"),
                       message=_("รายงานที่มีให้ดาวน์โหลดอยู่ในหน้าผลการดำเนินงาน"))  # fmt: skip
    day = views.today()
    try:
        period = ita_period(year=year, quarter=quarter, today=day)
    except InvalidPeriod as error:
        return _bad_period(request, not_yet=error.not_yet)
    data = ita_file_get(organisation=organisation, kind=kind, period=period, fmt=fmt, today=day)
    response = HttpResponse(data, content_type=FORMATS[fmt][1])
    name = ita_filename(organisation=organisation, kind=kind, period=period, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = CACHE
    return response


# --- Open data ----------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_chunks(rows: Iterator[OpenRow]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)  # the BOM: Excel then reads the Thai as UTF-8
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([safe_cell("" if v is None else v) for v in row.values()]))
        if len(buffer) >= CHUNK_ROWS:
            yield "".join(buffer)
            buffer = []
    yield "".join(buffer)


def _open_data(
    request: HttpRequest, organisation: Organisation | None, year: int, month: int, fmt: str
) -> HttpResponseBase:
    day = views.today()
    try:
        first = open_data_month(year=year, month=month, today=day)
    except InvalidMonth as error:
        return _bad_period(request, not_yet=error.not_yet)
    rows = open_rows(month=first, organisation=organisation, today=day)
    stem = f"requests-{organisation.slug if organisation else 'all'}-{first:%Y-%m}"
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_chunks(rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(
            geojson_chunks(rows, name=stem), content_type="application/geo+json"
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["Cache-Control"] = CACHE
    response["Link"] = LICENCE_LINK
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def open_data_csv(request: HttpRequest, slug: str, year: int, month: int) -> HttpResponseBase:
    return _open_data(request, organisation_get_public(slug=slug), year, month, "csv")


@require_GET
def open_data_geojson(request: HttpRequest, slug: str, year: int, month: int) -> HttpResponseBase:
    return _open_data(request, organisation_get_public(slug=slug), year, month, "geojson")


@require_GET
def platform_csv(request: HttpRequest, year: int, month: int) -> HttpResponseBase:
    return _open_data(request, None, year, month, "csv")


@require_GET
def platform_geojson(request: HttpRequest, year: int, month: int) -> HttpResponseBase:
    return _open_data(request, None, year, month, "geojson")


def _json(data: object) -> HttpResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"  # for others' dashboards
    response["Link"] = LICENCE_LINK
    return response


@require_GET
@reads_may_be_stale
def figures_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page's figures (same period choice: ?start=YYYY-MM&end=YYYY-MM)."""
    organisation = organisation_get_public(slug=slug)
    day = views.today()
    form = PeriodForm(request.GET or None, today=day)
    if form.is_bound and not form.is_valid():
        return _bad_period(request, not_yet=False)
    report = public_performance(organisation=organisation, chosen=form.period(), today=day)
    return _json(performance_json(report, generated_at=timezone.now()))


@require_GET
@reads_may_be_stale
def platform_figures_json(request: HttpRequest) -> HttpResponse:
    return _json(platform_json(today=views.today(), generated_at=timezone.now()))


@require_GET
@reads_may_be_stale
def open_data_page(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """What can be downloaded, with the licence and what the columns mean."""
    organisation = organisation_get_public(slug=slug) if slug else None
    day = views.today()
    return render(
        request,
        "reports/open_data.html",
        {
            "organisation": organisation,
            "months": months_offered(day),
            "licence": LICENCE,
            "columns": COLUMNS,
        },
    )
