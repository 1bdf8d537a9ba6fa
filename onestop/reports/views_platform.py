"""The platform view (`/admin/platform/performance/`): every organisation side by side, for the
platform's operators (staff of the platform admin, behind its second factor)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from onestop.core.replica import reads_may_be_stale
from onestop.reports.platform import (
    DEFAULT_SORT,
    MIN_RANKED,
    SORTS,
    OrganisationRow,
    platform_rows,
    rank,
)
from onestop.reports.selectors import fiscal_year, fiscal_year_period

PER_PAGE = 50
YEARS_OFFERED = 6


def today() -> dt.date:
    """Today in Bangkok (a function, so that tests can set the day)."""
    return timezone.localdate()


class PlatformForm(forms.Form):
    sort = forms.ChoiceField(label=_("เรียงตาม"), required=False)
    year = forms.TypedChoiceField(label=_("ปีงบประมาณ (พ.ศ.)"), coerce=int, required=False)
    page = forms.IntegerField(label=_("หน้า"), required=False, min_value=1, max_value=100_000)

    def __init__(self, data: object, *, today: dt.date) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        current = fiscal_year(today)
        self.current_year = current
        sort_field = self.fields["sort"]
        year_field = self.fields["year"]
        assert isinstance(sort_field, forms.ChoiceField)
        assert isinstance(year_field, forms.ChoiceField)
        sort_field.choices = [(key, key) for key in SORTS]
        year_field.choices = [(y, str(y)) for y in range(current, current - YEARS_OFFERED, -1)]

    def value(self, name: str, default: object) -> object:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


@dataclass
class Ranked:
    place: int | None  # None: fewer than MIN_RANKED requests behind the sorted figure
    row: OrganisationRow


def _places(rows: list[OrganisationRow], sort: str) -> list[Ranked]:
    basis = SORTS[sort].basis
    ranked: list[Ranked] = []
    place = 0
    for row in rows:
        if basis is not None and basis(row) < MIN_RANKED:
            ranked.append(Ranked(None, row))
        else:
            place += 1
            ranked.append(Ranked(place, row))
    return ranked


@require_GET
@reads_may_be_stale
def platform_performance(request: HttpRequest) -> HttpResponse:
    day = today()
    form = PlatformForm(request.GET or None, today=day)
    sort = str(form.value("sort", DEFAULT_SORT))
    year = int(str(form.value("year", form.current_year)))
    rows = _places(rank(platform_rows(period=fiscal_year_period(year), today=day), sort), sort)
    page = Paginator(rows, PER_PAGE).get_page(str(form.value("page", 1)))
    return render(
        request,
        "reports/platform.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "year": year,
            "min_ranked": MIN_RANKED,
            "now": timezone.now(),
            "title": _("ผลการดำเนินงานทุกองค์กร"),
            "columns": [
                ("name", _("องค์กร")),
                ("received", _("รับคำร้อง")),
                ("backlog", _("ค้างดำเนินการ")),
                ("overdue", _("เกินกำหนดขณะนี้")),
                ("", _("แล้วเสร็จ")),
                ("on_time", _("แล้วเสร็จภายในกำหนด (ช่วง 95%)")),
                ("reopened", _("ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไข (ช่วง 95%)")),
                ("satisfaction", _("ความพึงพอใจเฉลี่ย")),
            ],
        },
    )


# Operators only: the platform admin's own check (active staff who passed the second factor).
platform_view = admin.site.admin_view(platform_performance)
