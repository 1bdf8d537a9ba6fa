"""Forms of the back office: the inbox filters (dates typed in the Buddhist Era) and one small
form per action on a request, each carrying the version it was shown with."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from onestop.backoffice.permissions import Action, StaffAccess
from onestop.backoffice.selectors import (
    SORTS,
    InboxQuery,
    assignable_members,
    assignment_choices,
)
from onestop.cases import uploads
from onestop.cases.models import AttachmentKind, Channel
from onestop.cases.services import NewFile, Place, Requester
from onestop.cases.workflow import Status
from onestop.catalog.models import Category, RequestType
from onestop.core.forms import OneStopForm
from onestop.core.identity import normalise_mobile, normalise_national_id
from onestop.core.models import AuditAction
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
    status = forms.ChoiceField(label=_("สถานะ"), required=False)
    category = forms.TypedChoiceField(label=_("หมวด"), required=False, coerce=int, empty_value=None)
    request_type = forms.TypedChoiceField(
        label=_("ประเภทคำร้อง"), required=False, coerce=int, empty_value=None
    )
    department = forms.TypedChoiceField(
        label=_("กอง/สำนัก"), required=False, coerce=int, empty_value=None
    )
    assignee = forms.TypedChoiceField(
        label=_("ผู้รับผิดชอบ"), required=False, coerce=int, empty_value=None
    )
    channel = forms.ChoiceField(label=_("ช่องทาง"), required=False)
    overdue = forms.BooleanField(label=_("เฉพาะที่เกินกำหนด"), required=False)
    date_from = BuddhistDateField(label=_("ยื่นตั้งแต่วันที่"), required=False, widget=_date_widget())
    date_to = BuddhistDateField(label=_("ถึงวันที่"), required=False, widget=_date_widget())
    sort = forms.ChoiceField(
        label=_("เรียงตาม"),
        required=False,
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


class AuditFilterForm(StaffForm):
    action = forms.ChoiceField(label=_("การกระทำ"), required=False)
    actor = forms.CharField(label=_("ชื่อผู้ใช้"), required=False, max_length=150)
    ref = forms.CharField(label=_("เลขคำร้อง"), required=False, max_length=64)
    date_from = BuddhistDateField(label=_("ตั้งแต่วันที่"), required=False, widget=_date_widget())
    date_to = BuddhistDateField(label=_("ถึงวันที่"), required=False, widget=_date_widget())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("ทั้งหมด")), *AuditAction.choices]  # type: ignore[attr-defined]


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
    photo = forms.FileField(label=_("ภาพผลการดำเนินงาน (JPG/PNG ไม่เกิน 5 MB)"))
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
        label=_("เลขบัตรประจำตัวประชาชน 13 หลัก"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    phone = forms.CharField(
        label=_("โทรศัพท์มือถือ"), max_length=20,
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
    document = forms.FileField(label=_("เอกสารประกอบ (PDF/JPG/PNG ไม่เกิน 5 MB)"), required=False)
    id_card = forms.FileField(label=_("รูปบัตรประชาชน (ถ้าประเภทคำร้องกำหนด)"), required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, access: StaffAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = RequestType.objects.filter(
            organisation=access.organisation, is_active=True
        ).select_related("category")
        if not access.can_see_confidential:
            types = types.filter(is_confidential=False)
        self.fields["request_type"].queryset = types.order_by(  # type: ignore[attr-defined]
            "category__position", "position", "pk"
        )

    def clean_national_id(self) -> str:
        return normalise_national_id(self.cleaned_data["national_id"])

    def clean_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["phone"])

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
