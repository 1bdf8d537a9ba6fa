"""Forms of the tracking pages. The labels are the manual's words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.cases import numbering, uploads
from onestop.cases.models import AttachmentKind
from onestop.cases.services import NewFile
from onestop.core.forms import MultipleFileField, MultipleFileInput, OneStopForm
from onestop.core.thaidigits import to_arabic_digits


class Form(OneStopForm):
    """The tracking pages' messages say which field they are about (as the wizard's do)."""

    errors_name_their_field = True


class UnrememberedInput(forms.TextInput):
    """A text box that is never filled in again from submitted data (the phone digits)."""

    def format_value(self, value: Any) -> str | None:
        return None


class CheckForm(Form):
    """Request number + last 4 digits of the phone. Only ever bound to POST data."""

    number = forms.CharField(
        label=_("เลขที่คำร้อง"),
        max_length=30,
        help_text=_("13 หลัก เช่น 69-04217-88315-6 (พิมพ์ขีดหรือไม่ก็ได้)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("กรุณากรอกเลขที่คำร้อง")},
    )
    digits = forms.CharField(
        label=_("เบอร์โทรศัพท์ 4 ตัวสุดท้าย"),
        max_length=8,
        help_text=_("4 ตัวสุดท้ายของเบอร์มือถือที่ให้ไว้ตอนยื่นคำร้อง"),
        widget=UnrememberedInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4"}
        ),
        error_messages={"required": _("กรุณากรอกเบอร์โทรศัพท์ 4 ตัวสุดท้าย")},
    )

    def clean_number(self) -> str:
        canonical = numbering.parse(self.cleaned_data["number"])
        if canonical is None:
            # A typo (wrong length or check digit): says nothing about which numbers exist.
            raise forms.ValidationError(_("เลขที่คำร้องไม่ถูกต้อง กรุณาตรวจสอบว่าพิมพ์ครบ 13 หลักและไม่ผิด"))
        return canonical

    def clean_digits(self) -> str:
        digits = to_arabic_digits(self.cleaned_data["digits"]).strip()
        if len(digits) != 4 or not digits.isdigit():
            raise forms.ValidationError(_("กรุณากรอกตัวเลข 4 หลัก"))
        return digits


class CancelForm(Form):
    prefix = "cancel"
    reason = forms.CharField(
        label=_("เหตุผลที่ยกเลิก"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("กรุณาระบุเหตุผลที่ยกเลิก")},
    )


class AddInformationForm(Form):
    prefix = "info"
    message = forms.CharField(
        label=_("ข้อมูลเพิ่มเติม"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("กรุณากรอกข้อมูลเพิ่มเติม")},
    )
    attachments = MultipleFileField(
        widget=MultipleFileInput(attrs={"accept": uploads.ACCEPT_DOCUMENT}),
        label=_("ไฟล์ประกอบ (ถ้ามี)"),
        required=False,
        help_text=_("รูปภาพ JPG, PNG, WebP หรือ PDF ไม่เกิน 5 ไฟล์ ไฟล์ละไม่เกิน 10 MB"),
    )

    def clean_attachments(self) -> tuple[NewFile, ...]:
        return uploads.validate_uploads(
            self.cleaned_data.get("attachments"), kind=AttachmentKind.DOCUMENT
        )


class NotSolvedForm(Form):
    prefix = "notsolved"
    reason = forms.CharField(
        label=_("ยังมีปัญหาอะไร"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("กรุณาระบุว่ายังมีปัญหาอะไร")},
    )


class RatingForm(Form):
    prefix = "rating"
    score = forms.TypedChoiceField(
        label=_("ความพึงพอใจต่อการให้บริการ"),
        choices=[
            (5, _("5 พอใจมากที่สุด")),
            (4, _("4 พอใจมาก")),
            (3, _("3 พอใจปานกลาง")),
            (2, _("2 พอใจน้อย")),
            (1, _("1 ไม่พอใจ")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("กรุณาเลือกคะแนน")},
    )
    comment = forms.CharField(
        label=_("ความคิดเห็นเพิ่มเติม (ถ้ามี)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
