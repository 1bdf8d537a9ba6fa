"""`/<slug>/performance/`: public, no sign-in (linked from the organisation page, the OSS centre
and the tracking status page); the published ITA reports and open data under it, and the whole
platform's open data under `/open-data/` (a reserved slug)."""

from django.urls import path, register_converter

from onestop.reports import views
from onestop.reports import views_public_files as files


class MonthConverter:
    """A month of a URL, written with two digits (`2026-01`); 1..12 is checked by the view."""

    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:02d}"


register_converter(MonthConverter, "month")

ITA = "<slug:slug>/performance/ita/<str:kind>/<int:year>"
DATA = "<slug:slug>/performance/open-data"

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/performance/", views.performance, name="performance"),
    path("<slug:slug>/performance/photos/<int:pk>/", views.photo, name="photo"),
    # ITA reports: a fiscal year, or one of its quarters (the same URL names, with `quarter`).
    path(f"{ITA}.pdf", files.ita_file, {"fmt": "pdf"}, name="ita_pdf"),
    path(f"{ITA}/q<int:quarter>.pdf", files.ita_file, {"fmt": "pdf"}, name="ita_pdf"),
    path(f"{ITA}.xlsx", files.ita_file, {"fmt": "xlsx"}, name="ita_xlsx"),
    path(f"{ITA}/q<int:quarter>.xlsx", files.ita_file, {"fmt": "xlsx"}, name="ita_xlsx"),
    # Open data of an organisation, and of the platform.
    path("<slug:slug>/performance/figures.json", files.figures_json, name="figures_json"),
    path(f"{DATA}/", files.open_data_page, name="open_data"),
    path(f"{DATA}/<int:year>-<month:month>.csv", files.open_data_csv, name="open_data_csv"),
    path(
        f"{DATA}/<int:year>-<month:month>.geojson",
        files.open_data_geojson,
        name="open_data_geojson",
    ),
    path("open-data/", files.open_data_page, name="platform_open_data"),
    path("open-data/figures.json", files.platform_figures_json, name="platform_figures_json"),
    path("open-data/<int:year>-<month:month>.csv", files.platform_csv, name="platform_csv"),
    path(
        "open-data/<int:year>-<month:month>.geojson",
        files.platform_geojson,
        name="platform_geojson",
    ),
]
