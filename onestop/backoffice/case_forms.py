"""Forms of one request's page in the back office: one small form per staff action, each carrying
the version it was shown with (labels and whether the message is required come from the action
table, backoffice.actions), and the counter entry of a new request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from onestop.backoffice.case_selectors import assignment_choices
from onestop.backoffice.forms import StaffForm
from onestop.backoffice.permissions import StaffAccess
from onestop.cases import uploads
from onestop.cases.models import AttachmentKind, Channel, NoIdReason
from onestop.cases.services import NewFile, Place, Requester
from onestop.catalog.models import RequestType
from onestop.core.forms import ChooseFileInput
from onestop.core.identity import normalise_national_id, normalise_phone
from onestop.organisations.models import Department


class CaseActionForm(StaffForm):
    """Base of every action: the version of the request the member was looking at. The labels
    and whether the message is required come from the action table (`backoffice.actions`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    internal_note = forms.CharField(
        label=_("บันทึกภายใน (ผู้ยื่นไม่เห็น)"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, access: StaffAccess, **kwargs: Any) -> None:
        self.access = access
        super().__init__(*args, **kwargs)


class MessageActionForm(CaseActionForm):
    public_message = forms.CharField(
        label=_("ข้อความถึงผู้ยื่นคำร้อง"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class ForwardForm(MessageActionForm):
    agency = forms.CharField(label=_("หน่วยงานที่ส่งต่อ"), max_length=200)
    letter_number = forms.CharField(label=_("เลขที่หนังสือ"), required=False, max_length=60)
    field_order = ["agency", "letter_number", "public_message", "internal_note", "version"]


class AssignForm(CaseActionForm):
    department = forms.ModelChoiceField(label=_("กอง/สำนัก"), queryset=Department.objects.none())
    assignee = forms.ModelChoiceField(
        label=_("เจ้าหน้าที่ผู้รับผิดชอบ"), queryset=User.objects.none(), required=False,
        empty_label=_("— ยังไม่ระบุ —"),
    )  # fmt: skip
    field_order = ["department", "assignee", "internal_note", "version"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = assignment_choices(access=self.access)
        self.fields["department"].queryset = choices.departments  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = choices.users  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = _member_label  # type: ignore[attr-defined]


class ResultPhotoForm(CaseActionForm):
    photo = forms.FileField(
        label=_("ภาพผลการดำเนินงาน (JPG/PNG ไม่เกิน 5 MB)"), widget=ChooseFileInput
    )
    is_public = forms.BooleanField(
        label=_("แสดงภาพนี้ต่อผู้ยื่นในหน้าติดตามผล"), required=False, initial=True
    )
    field_order = ["photo", "is_public", "internal_note", "version"]

    def clean_photo(self) -> NewFile:
        (photo,) = uploads.validate_uploads(self.cleaned_data["photo"], kind=AttachmentKind.RESULT)
        return photo  # a result photo is refused unless it is an image


class DuplicateForm(CaseActionForm):
    original = forms.CharField(
        label=_("เลขคำร้องต้นเรื่อง"), max_length=30,
        help_text=_("คำร้องที่แจ้งเรื่องเดียวกันไว้ก่อน เช่น 69-12345-67890-1"),
    )  # fmt: skip
    field_order = ["original", "internal_note", "version"]


def _member_label(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _type_label(request_type: RequestType) -> str:
    if request_type.is_confidential:
        return _("%(name)s (เรื่องลับ: บันทึกแล้วคุณจะไม่เห็นคำร้องนี้)") % {"name": request_type.name}
    return str(request_type.name)


class CounterEntryForm(StaffForm):
    """A request filed by staff for a citizen at the counter or on the phone."""

    channel = forms.ChoiceField(
        label=_("ช่องทางที่ประชาชนติดต่อ"),
        choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.PHONE, Channel.PHONE.label)],
        widget=forms.RadioSelect,
        initial=Channel.COUNTER,
    )
    request_type = forms.ModelChoiceField(
        label=_("ประเภทคำร้อง"), queryset=RequestType.objects.none()
    )
    subject = forms.CharField(label=_("หัวข้อเรื่อง"), max_length=200)
    details = forms.CharField(label=_("รายละเอียด"), max_length=5000, widget=forms.Textarea)
    title = forms.CharField(label=_("คำนำหน้า"), max_length=40)
    first_name = forms.CharField(label=_("ชื่อ"), max_length=100)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=100)
    national_id = forms.CharField(
        label=_("เลขบัตรประจำตัวประชาชน 13 หลัก"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    no_id_reason = forms.ChoiceField(
        label=_("ถ้าไม่มีเลขบัตร: เหตุผล"), required=False,
        choices=[("", _("— มีเลขบัตร —")), *NoIdReason.choices],
    )  # fmt: skip
    no_id_note = forms.CharField(
        label=_("รายละเอียดเหตุผล"), max_length=500, required=False,
        help_text=_("จำเป็นเมื่อเลือก “อื่น ๆ”"),
    )  # fmt: skip
    phone = forms.CharField(
        label=_("โทรศัพท์ (มือถือหรือเบอร์บ้าน)"), max_length=20,
        help_text=_("ผู้ยื่นใช้เลข 4 ตัวท้ายของเบอร์นี้ติดตามผล"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip
    email = forms.EmailField(label=_("อีเมล (ถ้ามี)"), required=False)
    house_no = forms.CharField(label=_("บ้านเลขที่"), max_length=50, required=False)
    village_no = forms.CharField(label=_("หมู่ที่"), max_length=10, required=False)
    village = forms.CharField(label=_("หมู่บ้าน/ชุมชน"), max_length=150, required=False)
    soi = forms.CharField(label=_("ซอย"), max_length=150, required=False)
    road = forms.CharField(label=_("ถนน"), max_length=150, required=False)
    subdistrict = forms.CharField(label=_("ตำบล/แขวง"), max_length=100, required=False)
    landmark = forms.CharField(label=_("จุดสังเกต"), max_length=300, required=False)
    document = forms.FileField(
        label=_("เอกสารประกอบ (PDF/JPG/PNG ไม่เกิน 5 MB)"), required=False, widget=ChooseFileInput
    )
    id_card = forms.FileField(
        label=_("รูปบัตรประชาชน (ถ้าประเภทคำร้องกำหนด)"), required=False, widget=ChooseFileInput
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, access: StaffAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = RequestType.objects.filter(
            organisation=access.organisation, is_active=True
        ).select_related("category")
        # Confidential types too: the counter files them for a walk-in without seeing them
        # afterwards (only granted members do; the counter gets a receipt with the number).
        field: Any = self.fields["request_type"]
        field.queryset = types.order_by("category__position", "position", "pk")
        field.label_from_instance = _type_label

    def clean_national_id(self) -> str:
        typed = self.cleaned_data["national_id"]
        return normalise_national_id(typed) if typed.strip() else ""

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "national_id" not in data:
            return data  # a wrong number: its own message already
        if data["national_id"]:
            data["no_id_reason"] = data["no_id_note"] = ""
        elif not data.get("no_id_reason"):
            self.add_error(
                "national_id",
                _("กรุณากรอกเลขบัตรประชาชน 13 หลัก หรือเลือกเหตุผลที่ผู้ยื่นไม่มีเลขบัตร"),
            )
        elif data["no_id_reason"] == NoIdReason.OTHER and not data.get("no_id_note", "").strip():
            self.add_error("no_id_note", _("กรุณาระบุเหตุผลที่ไม่มีเลขบัตรประชาชน"))
        return data

    def clean_document(self) -> tuple[NewFile, ...]:
        return uploads.validate_uploads(
            self.cleaned_data.get("document"), kind=AttachmentKind.DOCUMENT
        )

    def clean_id_card(self) -> tuple[NewFile, ...]:
        return uploads.validate_uploads(
            self.cleaned_data.get("id_card"), kind=AttachmentKind.ID_CARD
        )

    def requester(self) -> Requester:
        data = self.cleaned_data
        return Requester(
            title=data["title"], first_name=data["first_name"], last_name=data["last_name"],
            national_id=data["national_id"], phone=data["phone"], email=data["email"],
            no_id_reason=data["no_id_reason"], no_id_note=data["no_id_note"],
        )  # fmt: skip

    def place(self) -> Place:
        data = self.cleaned_data
        return Place(
            house_no=data["house_no"], village_no=data["village_no"], village=data["village"],
            soi=data["soi"], road=data["road"], subdistrict=data["subdistrict"],
            landmark=data["landmark"],
        )  # fmt: skip

    def new_files(self) -> tuple[NewFile, ...]:
        return (*self.cleaned_data["document"], *self.cleaned_data["id_card"])
