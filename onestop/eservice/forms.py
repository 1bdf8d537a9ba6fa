"""The wizard's forms. Identifiers are validated with onestop.core.identity, files with
onestop.cases.uploads; the messages are Thai and say which field and what to do."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from onestop.cases.models import AttachmentKind
from onestop.cases.services import NewFile, Place, Requester
from onestop.cases.uploads import ACCEPT_DOCUMENT, ACCEPT_IMAGE, validate_uploads
from onestop.catalog.models import Category, LocationRule, RequestType
from onestop.core import addresses
from onestop.core.forms import MultipleFileField, MultipleFileInput, OneStopForm
from onestop.core.identity import normalise_mobile, normalise_national_id
from onestop.core.thaidigits import to_arabic_digits

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

SUBJECT_MAX = 200  # Case.subject
DETAILS_MAX = 4000
TITLES = ("นาย", "นาง", "นางสาว", "เด็กชาย", "เด็กหญิง")


class CitizenForm(OneStopForm):
    """The wizard's messages say which field they are about, so the summary shows them alone."""

    errors_name_their_field = True


class DetailsForm(CitizenForm):
    """Step 1: what is asked and who asks."""

    error_anchors: ClassVar[dict[str, str]] = {"request_type": "request-type"}  # the fieldset

    request_type = forms.TypedChoiceField(
        label=_("ประเภทคำร้อง"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("กรุณาเลือกประเภทคำร้อง"),
            "invalid_choice": _("กรุณาเลือกประเภทคำร้องจากรายการ"),
        },
    )
    subject = forms.CharField(
        label=_("หัวข้อเรื่อง"),
        max_length=SUBJECT_MAX,
        widget=forms.TextInput(attrs={"placeholder": _("เช่น แจ้งไฟฟ้าดับ, ขอตัดต้นไม้")}),
        error_messages={
            "required": _("กรุณากรอกหัวข้อเรื่อง เช่น แจ้งไฟฟ้าดับ"),
            "max_length": _(
                "หัวข้อเรื่องยาวได้ไม่เกิน %(limit_value)d ตัวอักษร (ตอนนี้ %(show_value)d ตัว) "
                "กรุณาย่อให้สั้นลง แล้วเขียนส่วนที่เหลือในรายละเอียด"
            ),
        },
    )
    details = forms.CharField(
        label=_("ระบุรายละเอียด"),
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("เล่าให้ชัดเจนว่าเกิดอะไรขึ้น ที่ไหน ตั้งแต่เมื่อไร และต้องการให้ช่วยอะไร"),
        error_messages={
            "required": _("กรุณากรอกรายละเอียดของคำร้อง"),
            "max_length": _("รายละเอียดยาวได้ไม่เกิน %(limit_value)d ตัวอักษร (ตอนนี้ %(show_value)d ตัว)"),
        },
    )
    title = forms.CharField(
        label=_("คำนำหน้า"),
        max_length=40,
        widget=forms.TextInput(attrs={"list": "titles", "autocomplete": "honorific-prefix"}),
        error_messages={"required": _("กรุณากรอกคำนำหน้า เช่น นาย นาง นางสาว")},
    )
    first_name = forms.CharField(
        label=_("ชื่อ"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("กรุณากรอกชื่อ")},
    )
    last_name = forms.CharField(
        label=_("นามสกุล"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("กรุณากรอกนามสกุล")},
    )
    national_id = forms.CharField(
        label=_("หมายเลขบัตรประชาชน 13 หลัก"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("พิมพ์ติดกันหรือเว้นวรรคก็ได้"),
        error_messages={"required": _("กรุณากรอกหมายเลขบัตรประชาชน 13 หลัก")},
    )
    phone = forms.CharField(
        label=_("เบอร์โทรศัพท์มือถือ"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("เช่น 081 234 5678 ใช้ส่งข้อความแจ้งความคืบหน้า และใช้ 4 ตัวท้ายในการตรวจสอบผล"),
        error_messages={"required": _("กรุณากรอกเบอร์โทรศัพท์มือถือ")},
    )
    email = forms.EmailField(
        label=_("อีเมล (ถ้ามี)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("อีเมลไม่ถูกต้อง ตัวอย่าง somchai@example.com หรือเว้นว่างไว้ถ้าไม่มี")},
    )
    privacy = forms.BooleanField(
        label=_("ข้าพเจ้าได้อ่านประกาศความเป็นส่วนตัวแล้ว และยินยอมให้ใช้ข้อมูลเพื่อดำเนินการตามคำร้องนี้"),
        error_messages={"required": _("กรุณาอ่านประกาศความเป็นส่วนตัว แล้วทำเครื่องหมายในช่องยอมรับ")},
    )

    def __init__(self, *args: Any, catalogue: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        field = self.fields["request_type"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (t.pk, t.name)
            for category in catalogue
            for t in category.active_types  # type: ignore[attr-defined]
        ]

    def clean_subject(self) -> str:
        return " ".join(str(self.cleaned_data["subject"]).split())

    def clean_national_id(self) -> str:
        return normalise_national_id(self.cleaned_data["national_id"])

    def clean_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["phone"])

    def requester(self) -> Requester:
        """Who asks, from the cleaned data (ID digits and E.164 phone already normalised)."""
        data = self.cleaned_data
        return Requester(
            title=data["title"].strip(), first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(), national_id=data["national_id"],
            phone=data["phone"], email=data["email"].strip().lower(),
        )  # fmt: skip


def _optional(label: _StrOrPromise, max_length: int, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "max_length": _("ยาวได้ไม่เกิน %(limit_value)d ตัวอักษร"),
        },
    )


class PlaceForm(CitizenForm):
    """Step 2: where the work is to be done. The rest of the address is completed from the
    subdistrict on the server, so it works without JavaScript."""

    # Autofill tokens (WHATWG): the place is often the citizen's own address, which the browser
    # knows. Thai addresses: province = address-level1, district = 2, subdistrict = 3. Parts
    # with no token of their own ("on") still get the browser's memory of what was typed.
    house_no = _optional(_("บ้านเลขที่"), 50, autocomplete="address-line1")
    village_no = _optional(_("หมู่ที่"), 10, inputmode="numeric", autocomplete="on")
    village = _optional(_("หมู่บ้าน/ชุมชน"), 150, autocomplete="address-line2")
    soi = _optional(_("ซอย"), 150, autocomplete="on")
    road = _optional(_("ถนน"), 150, autocomplete="address-line3")
    subdistrict = _optional(_("ตำบล/แขวง"), 100, list="subdistricts", autocomplete="address-level3")
    district = _optional(_("อำเภอ/เขต"), 100, autocomplete="address-level2")
    province = _optional(_("จังหวัด"), 100, autocomplete="address-level1")
    postcode = _optional(_("รหัสไปรษณีย์"), 5, inputmode="numeric", autocomplete="postal-code")
    landmark = _optional(_("จุดสังเกต"), 300, autocomplete="on")
    # Filled by the map's pin or "use my location" (JavaScript); never typed by the citizen.
    latitude = forms.DecimalField(
        required=False, min_value=Decimal(-90), max_value=Decimal(90), decimal_places=6,
        max_digits=9, localize=False, widget=forms.HiddenInput,
    )  # fmt: skip
    longitude = forms.DecimalField(
        required=False, min_value=Decimal(-180), max_value=Decimal(180), decimal_places=6,
        max_digits=9, localize=False, widget=forms.HiddenInput,
    )  # fmt: skip
    subdistrict_code = forms.CharField(required=False, max_length=6, widget=forms.HiddenInput)

    error_anchors: ClassVar[dict[str, str]] = {"latitude": "map-group", "longitude": "map-group"}

    def __init__(self, *args: Any, request_type: RequestType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_type = request_type

    def clean_latitude(self) -> Decimal | None:
        return _round(self.cleaned_data.get("latitude"))

    def clean_longitude(self) -> Decimal | None:
        return _round(self.cleaned_data.get("longitude"))

    def clean_postcode(self) -> str:
        postcode = to_arabic_digits(self.cleaned_data.get("postcode") or "").strip()
        if postcode and not (postcode.isdigit() and len(postcode) == 5):
            raise ValidationError(_("รหัสไปรษณีย์ต้องเป็นตัวเลข 5 หลัก"), code="postcode")
        return postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("village_no", "house_no"):
            if data.get(name):
                data[name] = to_arabic_digits(data[name]).strip()
        self._check_pin(data)
        self._complete_address(data)
        place = self.place(data)
        if self.request_type.location == LocationRule.REQUIRED and not place.is_given():
            self.add_error(
                "house_no",
                _("คำร้องประเภทนี้ต้องระบุสถานที่ กรุณากรอกบ้านเลขที่ ถนน หรือจุดสังเกต หรือปักหมุดบนแผนที่"),
            )
        return data

    def _check_pin(self, data: dict[str, Any]) -> None:
        """A pin is both coordinates, valid, or none: anything else (a broken page, a hand-made
        post) is one message on the map, and the pin is dropped."""
        broken = {"latitude", "longitude"} & set(self.errors)
        if broken or (data.get("latitude") is None) != (data.get("longitude") is None):
            for name in broken:
                del self.errors[name]
            data["latitude"] = data["longitude"] = None
            self.add_error(
                "latitude",
                _("ตำแหน่งบนแผนที่ไม่ถูกต้อง กรุณาแตะแผนที่เพื่อปักหมุดอีกครั้ง หรือบอกสถานที่ในช่องจุดสังเกตแทน"),
            )

    @staticmethod
    def _complete_address(data: dict[str, Any]) -> None:
        """Fill district, province, postcode and the DOPA code from one matching subdistrict."""
        data["subdistrict_code"] = ""
        if not data.get("subdistrict"):
            return
        found = addresses.subdistrict_find(
            name=data["subdistrict"], district=data.get("district", ""),
            province=data.get("province", ""),
        )  # fmt: skip
        if len(found) != 1:
            return
        match = found[0]
        data.update(
            subdistrict=match.name, district=match.district, province=match.province,
            subdistrict_code=match.code,
        )  # fmt: skip
        if not data.get("postcode") or data["postcode"] not in match.postcodes:
            data["postcode"] = match.postcode or data.get("postcode", "")

    @staticmethod
    def place(data: dict[str, Any]) -> Place:
        def text(name: str) -> str:
            return str(data.get(name) or "")

        return Place(
            house_no=text("house_no"), village_no=text("village_no"), village=text("village"),
            soi=text("soi"), road=text("road"), subdistrict=text("subdistrict"),
            district=text("district"), province=text("province"), postcode=text("postcode"),
            subdistrict_code=text("subdistrict_code"), landmark=text("landmark"),
            latitude=data.get("latitude"), longitude=data.get("longitude"),
        )  # fmt: skip


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.000001"))


_FILE_ERRORS = {
    "empty": _("ไฟล์นี้ว่างเปล่า กรุณาเลือกไฟล์อื่น"),
    "invalid": _("ส่งไฟล์ไม่สำเร็จ กรุณาเลือกไฟล์อีกครั้ง"),
    "missing": _("ส่งไฟล์ไม่สำเร็จ กรุณาเลือกไฟล์อีกครั้ง"),
}


class DocumentsForm(CitizenForm):
    """Step 3: supporting files and the ID-card photo, each validated and re-encoded."""

    documents = MultipleFileField(
        label=_("เอกสารหรือรูปภาพประกอบ"),
        required=False,
        error_messages=_FILE_ERRORS,
        widget=MultipleFileInput(attrs={"accept": ACCEPT_DOCUMENT}),
    )
    id_card = forms.FileField(
        label=_("รูปถ่ายบัตรประชาชน (ด้านหน้า)"),
        required=False,
        error_messages=_FILE_ERRORS,
        widget=forms.FileInput(attrs={"accept": ACCEPT_IMAGE}),
    )

    def __init__(self, *args: Any, documents_already: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents_already = documents_already
        self.new_files: list[NewFile] = []

    def clean_documents(self) -> list[UploadedFile[bytes]]:
        uploaded: list[UploadedFile[bytes]] = self.cleaned_data.get("documents") or []
        self.new_files += validate_uploads(
            uploaded, kind=AttachmentKind.DOCUMENT, already=self.documents_already
        )
        return uploaded

    def clean_id_card(self) -> UploadedFile[bytes] | None:
        item: UploadedFile[bytes] | None = self.cleaned_data.get("id_card")
        self.new_files += validate_uploads(item, kind=AttachmentKind.ID_CARD)
        return item


class ConfirmForm(CitizenForm):
    """The final submit. The key makes a repeated post land on the same request."""

    submission_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
