"""Dates as Thai readers expect them: Buddhist Era years (พ.ศ. = ค.ศ. + 543) in Thai."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def buddhist_year(value: dt.date) -> int:
    return value.year + BE_OFFSET


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: dt.date | dt.datetime | None, *, short: bool = False) -> str:
    """`25 พฤศจิกายน 2569` (Thai) or `25 November 2026` (English), by the active language."""
    if value is None:
        return ""
    value = _local(value)
    if (translation.get_language() or "th").startswith("th"):
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        return f"{value.day} {months[value.month - 1]} {buddhist_year(value)}"
    month = ENGLISH_MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} {value.year}"


def format_month(value: dt.date) -> str:
    """`ต.ค. 2568` (Thai, Buddhist Era) or `Oct 2025` (English), by the active language."""
    if (translation.get_language() or "th").startswith("th"):
        return f"{THAI_MONTHS_SHORT[value.month - 1]} {buddhist_year(value)}"
    return f"{ENGLISH_MONTHS[value.month - 1][:3]} {value.year}"


def format_datetime(value: dt.datetime | None, *, short: bool = False) -> str:
    """`25 พฤศจิกายน 2569 เวลา 14:05 น.` or `25 November 2026, 14:05`."""
    if value is None:
        return ""
    local = _local(value)
    assert isinstance(local, dt.datetime)
    date_part = format_date(local, short=short)
    if (translation.get_language() or "th").startswith("th"):
        return f"{date_part} เวลา {local:%H:%M} น."
    return f"{date_part}, {local:%H:%M}"


def format_numeric_be(value: dt.date | dt.datetime | None) -> str:
    """`25/11/2569` or, for a time, `25/11/2569 14:05`: day/month/Buddhist year, for
    spreadsheets read by Thai offices (next to an ISO column that software reads)."""
    if value is None:
        return ""
    local = _local(value)
    text = f"{local.day:02d}/{local.month:02d}/{buddhist_year(local)}"
    return f"{text} {local:%H:%M}" if isinstance(local, dt.datetime) else text
