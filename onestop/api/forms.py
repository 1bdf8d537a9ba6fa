"""The back office form that issues an API key."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.backoffice.forms import StaffForm
from onestop.backoffice.permissions import StaffAccess
from onestop.organisations.models import Department, Role


class ApiKeyForm(StaffForm):
    """A new API key: what it is for, the role it acts as (never the confidential grant)."""

    name = forms.CharField(
        label=_("ชื่อกุญแจ"), max_length=80,
        help_text=_("เช่น ชื่อระบบหรือแอปที่จะใช้กุญแจนี้"),
        error_messages={"required": _("กรุณาตั้งชื่อกุญแจ เช่น ชื่อระบบที่จะใช้")},
    )  # fmt: skip
    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("กอง/สำนัก"), queryset=Department.objects.none(), required=False,
        empty_label=_("— ไม่สังกัดกอง —"),
        help_text=_("ต้องระบุเมื่อเป็นเจ้าหน้าที่กองหรือหัวหน้ากอง"),
    )  # fmt: skip
    read_only = forms.BooleanField(
        label=_("อ่านอย่างเดียว (ยื่นหรือดำเนินการคำร้องไม่ได้)"), required=False, initial=True
    )

    def __init__(self, *args: Any, access: StaffAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Department.objects.filter(organisation=access.organisation, is_active=True)
