"""Forms of the organisation's own settings, for its administrators (and, for reply
templates, heads and counter staff): members, the catalogue of request types, reply templates,
routing rules, and the audit trail's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.backoffice.forms import BuddhistDateField, StaffForm, _date_widget
from onestop.backoffice.permissions import StaffAccess
from onestop.cases.workflow import Status
from onestop.catalog.models import LocationRule, RequestType
from onestop.core.models import AuditAction
from onestop.organisations.models import Department, Role


class ReplyTemplateForm(StaffForm):
    title = forms.CharField(label=_("ชื่อข้อความ"), max_length=100)
    request_type = forms.ModelChoiceField(
        label=_("ประเภทคำร้อง"), queryset=RequestType.objects.none(), required=False,
        empty_label=_("ทุกประเภท"),
    )  # fmt: skip
    status = forms.ChoiceField(label=_("ใช้เมื่อเปลี่ยนเป็นสถานะ"), required=False)
    body = forms.CharField(
        label=_("ข้อความถึงผู้ยื่น"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, access: StaffAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = RequestType.objects.filter(organisation=access.organisation)
        if not access.can_see_confidential:
            types = types.filter(is_confidential=False)
        self.fields["request_type"].queryset = types  # type: ignore[attr-defined]
        status_field: Any = self.fields["status"]
        status_field.choices = [("", _("ทุกสถานะ")), *Status.choices]


def _departments(
    field: forms.Field, access: StaffAccess, departments: list[Department] | None
) -> None:
    """The organisation's active divisions for `field`. A page that draws one form per row
    reads them once and passes `departments`, so every row's select costs no query."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = Department.objects.filter(organisation=access.organisation, is_active=True)
    if departments is not None:
        field.choices = [("", field.empty_label or ""), *((d.pk, d.name) for d in departments)]


class MemberForm(StaffForm):
    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("กอง/สำนัก"), queryset=Department.objects.none(), required=False,
        empty_label=_("— ไม่สังกัดกอง —"),
    )  # fmt: skip
    can_see_confidential = forms.BooleanField(label=_("เห็นเรื่องร้องเรียนที่เป็นความลับ"), required=False)

    def __init__(
        self, *args: Any, access: StaffAccess, departments: list[Department] | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        _departments(self.fields["department"], access, departments)


class MemberAddForm(MemberForm):
    username = forms.SlugField(label=_("ชื่อผู้ใช้"), max_length=150)
    email = forms.EmailField(label=_("อีเมล"), help_text=_("ระบบส่งลิงก์ให้ตั้งรหัสผ่านเองทางอีเมลนี้"))
    first_name = forms.CharField(label=_("ชื่อ"), max_length=150)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=150)
    field_order = ["username", "email", "first_name", "last_name", "role", "department",
                   "can_see_confidential"]  # fmt: skip


class MemberEditForm(MemberForm):
    is_active = forms.BooleanField(label=_("ใช้งาน"), required=False)


class RequestTypeForm(StaffForm):
    name_th = forms.CharField(label=_("ชื่อ (ไทย)"), max_length=200)
    name_en = forms.CharField(label=_("ชื่อ (อังกฤษ)"), max_length=200, required=False)
    description_th = forms.CharField(
        label=_("คำอธิบายสำหรับประชาชน"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    is_active = forms.BooleanField(label=_("เปิดรับคำร้องประเภทนี้"), required=False)
    default_department = forms.ModelChoiceField(
        label=_("กอง/สำนักที่รับผิดชอบ"), queryset=Department.objects.none(), required=False,
        empty_label=_("— ให้ศูนย์บริการส่งต่อ —"),
    )  # fmt: skip
    sla_days = forms.IntegerField(label=_("ระยะเวลาดำเนินการ (วันทำการ)"), min_value=1, max_value=365)
    location = forms.ChoiceField(label=_("สถานที่"), choices=LocationRule.choices)
    id_card_required = forms.BooleanField(label=_("ต้องแนบรูปบัตรประชาชน"), required=False)

    def __init__(
        self, *args: Any, access: StaffAccess, departments: list[Department] | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        _departments(self.fields["default_department"], access, departments)


class AuditFilterForm(StaffForm):
    action = forms.ChoiceField(label=_("การกระทำ"), required=False)
    actor = forms.CharField(
        label=_("ผู้ดำเนินการ"), required=False, max_length=150,
        help_text=_("ชื่อ นามสกุล หรือชื่อผู้ใช้"),
    )  # fmt: skip
    ref = forms.CharField(
        label=_("เลขคำร้องหรืออ้างอิง"), required=False, max_length=64,
        help_text=_("มีหรือไม่มีขีดก็ได้ เช่น 69-04217-88315-6 หรือบางส่วนของเลข"),
    )  # fmt: skip
    date_from = BuddhistDateField(label=_("ตั้งแต่วันที่"), required=False, widget=_date_widget())
    date_to = BuddhistDateField(label=_("ถึงวันที่"), required=False, widget=_date_widget())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("ทั้งหมด")), *AuditAction.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น"))
        return data


class RoutingRuleForm(StaffForm):
    request_type = forms.ModelChoiceField(
        label=_("ประเภทคำร้อง"), queryset=RequestType.objects.none(), required=False,
        empty_label=_("ทุกประเภท"),
    )  # fmt: skip
    village_no = forms.CharField(
        label=_("หมู่ที่"), max_length=10, required=False,
        help_text=_("เว้นว่างเพื่อใช้กับทุกพื้นที่"),
    )  # fmt: skip
    department = forms.ModelChoiceField(label=_("ส่งให้กอง/สำนัก"), queryset=Department.objects.none())

    def __init__(self, *args: Any, access: StaffAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_type"].queryset = RequestType.objects.filter(  # type: ignore[attr-defined]
            organisation=access.organisation
        )
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organisation=access.organisation, is_active=True
        )
