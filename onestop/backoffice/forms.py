"""Forms of the inbox: its filters (dates typed in the Buddhist Era) and the bulk bar; the base
of every staff form. The forms of one request's page are in `case_forms`, those of the
organisation's settings in `settings_forms`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from onestop.backoffice.case_selectors import assignable_members, assignment_choices
from onestop.backoffice.permissions import Action, StaffAccess
from onestop.backoffice.selectors import SORTS, InboxQuery
from onestop.cases.models import Channel
from onestop.cases.workflow import Status
from onestop.catalog.models import Category, RequestType
from onestop.core.forms import OneStopForm, QuickSelect
from onestop.core.thaidate import BE_OFFSET
from onestop.organisations.models import Department


class StaffForm(OneStopForm):
    """Labels without Django's trailing colon: Thai forms do not use one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


class BuddhistDateField(forms.CharField):
    """A date typed as day/month/year. A year above 2400 is read as Buddhist Era (พ.ศ.), which
    is how Thai staff write dates; ISO dates (2026-11-25) are accepted as well."""

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        try:
            if match := _DATE.match(text):
                day, month, year = (int(g) for g in match.groups())
                if year > 2400:
                    year -= BE_OFFSET
                return dt.date(year, month, day)
            return dt.date.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(
                _("กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 25/11/2569"), code="invalid"
            ) from None


def _date_widget() -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": _("วว/ดด/ปปปป"), "inputmode": "numeric"})


class InboxFilterForm(StaffForm):
    q = forms.CharField(label=_("ค้นหา"), required=False, max_length=100,
                        help_text=_("เลขคำร้อง หัวข้อ รายละเอียด หรือชื่อผู้ยื่น"))  # fmt: skip
    # Every list is a QuickSelect: Django's HTML without a template per option (dozens of
    # options: every request type and member, on a page opened all day).
    status = forms.ChoiceField(label=_("สถานะ"), required=False, widget=QuickSelect)
    category = forms.TypedChoiceField(
        label=_("หมวด"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    request_type = forms.TypedChoiceField(
        label=_("ประเภทคำร้อง"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    department = forms.TypedChoiceField(
        label=_("กอง/สำนัก"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    assignee = forms.TypedChoiceField(
        label=_("ผู้รับผิดชอบ"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    channel = forms.ChoiceField(label=_("ช่องทาง"), required=False, widget=QuickSelect)
    overdue = forms.BooleanField(label=_("เฉพาะที่เกินกำหนด"), required=False)
    date_from = BuddhistDateField(label=_("ยื่นตั้งแต่วันที่"), required=False, widget=_date_widget())
    date_to = BuddhistDateField(label=_("ถึงวันที่"), required=False, widget=_date_widget())
    sort = forms.ChoiceField(
        label=_("เรียงตาม"),
        required=False,
        widget=QuickSelect,
        choices=list(
            zip(
                SORTS,
                [_("ยื่นล่าสุดก่อน"), _("ยื่นก่อนแสดงก่อน"), _("ใกล้ครบกำหนดก่อน"), _("ความเร่งด่วน")],
                strict=True,
            )
        ),
    )

    def __init__(self, *args: Any, access: StaffAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = access.organisation
        any_ = [("", _("ทั้งหมด"))]
        self.fields["status"].choices = any_ + list(Status.choices)  # type: ignore[attr-defined]
        self.fields["channel"].choices = any_ + list(Channel.choices)  # type: ignore[attr-defined]
        categories = Category.objects.filter(organisation=organisation).order_by("position", "pk")
        self.fields["category"].choices = any_ + [(c.pk, c.name) for c in categories]  # type: ignore[attr-defined]
        types = RequestType.objects.filter(organisation=organisation)
        if not access.can_see_confidential:
            types = types.filter(is_confidential=False)
        self.fields["request_type"].choices = any_ + [  # type: ignore[attr-defined]
            (t.pk, t.name) for t in types.order_by("category__position", "position", "pk")
        ]
        departments = Department.objects.filter(organisation=organisation, is_active=True)
        self.fields["department"].choices = any_ + [(d.pk, d.name) for d in departments]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = any_ + [  # type: ignore[attr-defined]
            (m.user_id, m.user.get_full_name() or m.user.get_username())
            for m in assignable_members(organisation=organisation)
        ]

    def to_query(self, *, tab: str, after: str) -> InboxQuery:
        data = self.cleaned_data if self.is_valid() else {}
        return InboxQuery(
            tab=tab,
            status=data.get("status") or "",
            category=data.get("category"),
            request_type=data.get("request_type"),
            department=data.get("department"),
            assignee=data.get("assignee"),
            channel=data.get("channel") or "",
            overdue=bool(data.get("overdue")),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
            sort=data.get("sort") or "-submitted",
            after=after,
        )


class BulkForm(StaffForm):
    """One action on several requests ticked in the inbox. Each ticked box carries the number
    and the version shown (`<number>:<version>`), so a request changed meanwhile is skipped.
    A status change carries ONE message for the citizen, the same for every request."""

    action = forms.ChoiceField(label=_("ทำกับคำร้องที่เลือก"))
    cases = forms.MultipleChoiceField(label=_("คำร้องที่เลือก"), required=True)
    department = forms.ModelChoiceField(
        label=_("กอง/สำนัก"), queryset=Department.objects.none(), required=False
    )
    assignee = forms.ModelChoiceField(
        label=_("เจ้าหน้าที่ผู้รับผิดชอบ"), queryset=User.objects.none(), required=False
    )
    original = forms.CharField(label=_("เลขคำร้องต้นเรื่อง"), max_length=30, required=False)
    public_message = forms.CharField(label=_("ข้อความถึงผู้ยื่นคำร้อง"), max_length=4000, required=False)
    agency = forms.CharField(label=_("หน่วยงานที่ส่งต่อ"), max_length=200, required=False)
    letter_number = forms.CharField(label=_("เลขที่หนังสือ"), max_length=60, required=False)
    next = forms.CharField(required=False, max_length=2000)

    def __init__(
        self, *args: Any, access: StaffAccess, offered: dict[str, tuple[Any, bool]], **kwargs: Any
    ) -> None:
        """`offered`: per action key, its label and whether it needs a message to the citizen
        (from `backoffice.actions.bulk_actions`)."""
        super().__init__(*args, **kwargs)
        self.offered = offered
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            (key, label) for key, (label, _needs) in offered.items()
        ]
        ticked = self.data.getlist("cases")[:200] if hasattr(self.data, "getlist") else []
        cases_field: Any = self.fields["cases"]
        cases_field.choices = [(value, value) for value in ticked]
        choices = assignment_choices(access=access)  # the case page's limits, shared
        self.fields["department"].queryset = choices.departments  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = choices.users  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == Action.ASSIGN and not data.get("department"):
            self.add_error("department", _("กรุณาเลือกกอง/สำนัก"))
        if action == Action.DUPLICATE and not (data.get("original") or "").strip():
            self.add_error("original", _("กรุณาระบุเลขคำร้องต้นเรื่อง"))
        needs_message = action in self.offered and self.offered[action][1]
        if needs_message and not (data.get("public_message") or "").strip():
            self.add_error("public_message", _("กรุณาระบุเหตุผลหรือข้อความถึงผู้ยื่นคำร้อง"))
        if action == Action.FORWARD and not (data.get("agency") or "").strip():
            self.add_error("agency", _("กรุณาระบุชื่อหน่วยงานที่ส่งต่อ"))
        return data

    def selected(self) -> list[tuple[str, int]]:
        """(number, version shown) of each ticked request; malformed values are dropped."""
        pairs = []
        for value in self.cleaned_data["cases"]:
            number, _sep, version = value.partition(":")
            if version.isdigit():
                pairs.append((number, int(version)))
        return pairs
