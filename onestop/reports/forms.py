"""The public page's choice of period: from one month to another, labelled in B.E."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.core.forms import PlainBoundField
from onestop.core.thaidate import THAI_MONTHS_SHORT, buddhist_year
from onestop.reports.selectors import Period, fiscal_year, fiscal_year_period, month_period

MONTHS_OFFERED = 36


def _months(today: dt.date) -> list[tuple[str, str]]:
    choices = []
    month = dt.date(today.year, today.month, 1)
    for _index in range(MONTHS_OFFERED):
        label = f"{THAI_MONTHS_SHORT[month.month - 1]} {buddhist_year(month)}"
        choices.append((month.strftime("%Y-%m"), label))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return choices


class PeriodForm(forms.Form):
    bound_field_class = PlainBoundField
    start = forms.ChoiceField(label=_("ตั้งแต่เดือน"))
    end = forms.ChoiceField(label=_("ถึงเดือน"))

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today
        choices = _months(today)
        start_field = self.fields["start"]
        end_field = self.fields["end"]
        assert isinstance(start_field, forms.ChoiceField)
        assert isinstance(end_field, forms.ChoiceField)
        start_field.choices = choices
        end_field.choices = choices

    def period(self) -> Period:
        """The chosen months, or this fiscal year so far when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid():
            start = dt.date.fromisoformat(self.cleaned_data["start"] + "-01")
            end_month = dt.date.fromisoformat(self.cleaned_data["end"] + "-01")
            if start <= end_month:
                return Period(start, month_period(end_month.year, end_month.month).end)
        return fiscal_year_period(fiscal_year(self.today))
