"""The dashboard's filters: a period (fiscal year in B.E., fiscal quarter, month or chosen days)
and a department, category, request type and channel, each limited to what the viewer sees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.cases.models import Channel
from onestop.catalog.models import Category, RequestType
from onestop.core.forms import QuickSelect
from onestop.organisations.models import Department, Organisation
from onestop.reports.dashboard import DashboardQuery, Viewer
from onestop.reports.forms import _months
from onestop.reports.selectors import Period, fiscal_year, fiscal_year_period, month_period

YEARS_OFFERED = 6
LONGEST_CUSTOM = dt.timedelta(days=3 * 366)


class PeriodKind:
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    CUSTOM = "custom"


def fiscal_quarter_period(year_be: int, quarter: int) -> Period:
    """Quarter 1 of fiscal year 2569 is October to December 2025 (B.E. 2568)."""
    month = fiscal_year_period(year_be).start  # 1 October
    months = []
    for _index in range(12):
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    first, last = months[3 * (quarter - 1)], months[3 * (quarter - 1) + 2]
    return Period(first, month_period(last.year, last.month).end)


class DateInput(forms.DateInput):
    input_type = "date"


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("ช่วงเวลา"),
        required=False,
        widget=QuickSelect,
        choices=[
            (PeriodKind.YEAR, _("ปีงบประมาณ")),
            (PeriodKind.QUARTER, _("ไตรมาส")),
            (PeriodKind.MONTH, _("เดือน")),
            (PeriodKind.CUSTOM, _("กำหนดวันเอง")),
        ],
    )
    year = forms.TypedChoiceField(
        label=_("ปีงบประมาณ (พ.ศ.)"), coerce=int, required=False, widget=QuickSelect
    )
    quarter = forms.TypedChoiceField(
        label=_("ไตรมาส"),
        coerce=int,
        required=False,
        widget=QuickSelect,
        choices=[
            (1, _("ไตรมาส 1 (ต.ค.–ธ.ค.)")),
            (2, _("ไตรมาส 2 (ม.ค.–มี.ค.)")),
            (3, _("ไตรมาส 3 (เม.ย.–มิ.ย.)")),
            (4, _("ไตรมาส 4 (ก.ค.–ก.ย.)")),
        ],
    )
    month = forms.ChoiceField(label=_("เดือน"), required=False, widget=QuickSelect)
    start = forms.DateField(label=_("ตั้งแต่วันที่"), required=False, widget=DateInput)
    end = forms.DateField(label=_("ถึงวันที่"), required=False, widget=DateInput)
    department = forms.ModelChoiceField(
        label=_("กอง/สำนัก"), queryset=Department.objects.none(), required=False,
        widget=QuickSelect,
        empty_label=_("ทุกกอง/สำนัก"),
    )  # fmt: skip
    category = forms.ModelChoiceField(
        label=_("หมวดหมู่"), queryset=Category.objects.none(), required=False,
        widget=QuickSelect,
        empty_label=_("ทุกหมวดหมู่"),
    )  # fmt: skip
    request_type = forms.ModelChoiceField(
        label=_("ประเภทคำร้อง"), queryset=RequestType.objects.none(), required=False,
        widget=QuickSelect,
        empty_label=_("ทุกประเภท"),
    )  # fmt: skip
    channel = forms.ChoiceField(
        label=_("ช่องทาง"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("ทุกช่องทาง")), *Channel.choices],
    )

    def __init__(
        self,
        data: Any = None,
        *,
        organisation: Organisation,
        viewer: Viewer,
        today: dt.date,
    ) -> None:
        super().__init__(data)
        self.today = today
        self.viewer = viewer
        current = fiscal_year(today)
        self._field("year").choices = [
            (y, str(y)) for y in range(current, current - YEARS_OFFERED, -1)
        ]
        self._field("month").choices = _months(today)
        departments = Department.objects.filter(organisation=organisation)
        if viewer.department_id is not None:
            departments = departments.filter(pk=viewer.department_id)
        self._model_field("department").queryset = departments
        self._model_field("category").queryset = Category.objects.filter(organisation=organisation)
        types = RequestType.objects.filter(organisation=organisation)
        if not viewer.sees_confidential:
            types = types.filter(is_confidential=False)
        self._model_field("request_type").queryset = types

    def _field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def _model_field(self, name: str) -> forms.ModelChoiceField[Any]:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == PeriodKind.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                if not self.has_error("start") and not self.has_error("end"):
                    raise forms.ValidationError(
                        _("เลือกทั้งวันเริ่มต้นและวันสิ้นสุดของช่วงเวลา"), code="custom_missing"
                    )
            elif start > end:
                raise forms.ValidationError(_("วันเริ่มต้นต้องไม่อยู่หลังวันสิ้นสุด"), code="custom_order")
            elif end - start > LONGEST_CUSTOM:
                raise forms.ValidationError(
                    _("ช่วงเวลาที่กำหนดเองยาวได้ไม่เกิน 3 ปี"), code="custom_too_long"
                )
        return data

    def chosen_period(self) -> Period:
        """The chosen period, or this fiscal year when nothing (valid) was chosen."""
        this_year = fiscal_year_period(fiscal_year(self.today))
        if not (self.is_bound and self.is_valid()):
            return this_year
        data = self.cleaned_data
        year = data.get("year") or fiscal_year(self.today)
        kind = data.get("period") or PeriodKind.YEAR
        if kind == PeriodKind.QUARTER:
            return fiscal_quarter_period(year, data.get("quarter") or 1)
        if kind == PeriodKind.MONTH and data.get("month"):
            month = dt.date.fromisoformat(data["month"] + "-01")
            return month_period(month.year, month.month)
        if kind == PeriodKind.CUSTOM:
            return Period(data["start"], data["end"])
        return fiscal_year_period(year)

    def query(self) -> DashboardQuery:
        period = self.chosen_period()
        valid = self.is_bound and self.is_valid()
        data = self.cleaned_data if valid else {}
        department = data.get("department")
        category = data.get("category")
        request_type = data.get("request_type")
        return DashboardQuery(
            start=period.start,
            end=period.end,
            department_id=department.pk if department else None,
            category_id=category.pk if category else None,
            request_type_id=request_type.pk if request_type else None,
            channel=data.get("channel") or None,
        )
