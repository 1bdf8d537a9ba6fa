"""Validation and normalisation of the citizen's identifiers: national ID and mobile phone.

Errors carry a Thai message (the source language) that says which field and what to do."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.th import pin

from onestop.core.thaidigits import to_arabic_digits

_SEPARATORS = re.compile(r"[\s\-‐‑–.]")


def normalise_national_id(raw: str) -> str:
    """Return the 13 digits of a Thai national ID, or raise ValidationError."""
    digits = _SEPARATORS.sub("", to_arabic_digits(raw or ""))
    if not digits:
        raise ValidationError(_("กรุณากรอกหมายเลขบัตรประชาชน 13 หลัก"), code="required")
    if not digits.isdigit() or len(digits) != 13:
        raise ValidationError(
            _("หมายเลขบัตรประชาชนต้องเป็นตัวเลข 13 หลัก กรุณาตรวจสอบกับบัตรอีกครั้ง"),
            code="length",
        )
    if not pin.is_valid(digits):
        raise ValidationError(
            _(
                "หมายเลขบัตรประชาชนไม่ถูกต้อง (เลขตรวจสอบหลักสุดท้ายไม่ตรง) "
                "กรุณาตรวจสอบตัวเลขทีละหลักกับบัตรประชาชน"
            ),
            code="checksum",
        )
    return digits


def normalise_mobile(raw: str) -> str:
    """Return a Thai mobile number in E.164 (`+66812345678`), or raise ValidationError.

    Accepts `0812345678`, `081-234-5678`, `+66 81 234 5678`, `66812345678` and Thai digits.
    Landlines (02…, 053…) are refused: the number is used to send updates by SMS."""
    text = to_arabic_digits(raw or "").strip()
    if not text:
        raise ValidationError(_("กรุณากรอกเบอร์โทรศัพท์มือถือ"), code="required")
    if re.fullmatch(r"66\d{9}", re.sub(r"\D", "", text)) and not text.startswith("0"):
        text = "+" + re.sub(r"\D", "", text)
    try:
        number = phonenumbers.parse(text, "TH")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number) or number.country_code != 66:
        raise ValidationError(
            _("เบอร์โทรศัพท์มือถือไม่ถูกต้อง กรุณากรอก 10 หลัก ขึ้นต้นด้วย 06, 08 หรือ 09"),
            code="invalid",
        )
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise ValidationError(
            _("เบอร์นี้เป็นโทรศัพท์บ้าน กรุณากรอกเบอร์มือถือ (ขึ้นต้นด้วย 06, 08 หรือ 09)"),
            code="landline",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(raw: str) -> str:
    """Return a Thai mobile or fixed-line number in E.164 (`+6621234567`), or raise
    ValidationError. For staff filing for a caller at the counter or on the phone, who may only
    have a landline (02-123-4567, 053-123-456); the citizen's own form keeps `normalise_mobile`."""
    text = to_arabic_digits(raw or "").strip()
    if not text:
        raise ValidationError(_("กรุณากรอกเบอร์โทรศัพท์"), code="required")
    try:
        return normalise_mobile(text)
    except ValidationError as error:
        if error.code != "landline":
            raise ValidationError(
                _(
                    "เบอร์โทรศัพท์ไม่ถูกต้อง กรุณากรอกเบอร์มือถือ 10 หลัก "
                    "หรือเบอร์บ้าน 9 หลัก เช่น 02-123-4567 หรือ 053-123-456"
                ),
                code="invalid",
            ) from None
    number = phonenumbers.parse(text, "TH")  # parsed and valid: normalise_mobile said landline
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """Whether a stored number can receive an SMS (a Thai landline cannot)."""
    try:
        number = phonenumbers.parse(e164, "TH")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def format_mobile(e164: str) -> str:
    """`+66812345678` → `081-234-5678`, as Thai people write and dial it; anything that is not a
    Thai mobile in E.164 is returned unchanged. (Masked: `masking.mask_phone`.) A Thai landline
    reads `02-123-4567` in Bangkok and `053-123-456` in the provinces."""
    if e164.startswith("+66") and len(e164) == 11 and e164[1:].isdigit():
        national = "0" + e164[3:]
        if national.startswith("02"):
            return f"{national[:2]}-{national[2:5]}-{national[5:]}"
        return f"{national[:3]}-{national[3:6]}-{national[6:]}"
    if not (e164.startswith("+66") and len(e164) == 12 and e164[1:].isdigit()):
        return e164
    national = "0" + e164[3:]
    return f"{national[:3]}-{national[3:6]}-{national[6:]}"
