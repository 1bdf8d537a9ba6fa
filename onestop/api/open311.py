"""Open311 GeoReport v2: what each resource says, as plain records (dicts), and the reading of
the query string. Rendering them as JSON or XML is `formats.py`; the views glue the two.

Status mapping (also in README.md): `workflow.OPEN_STATUSES` are "open", every other status is
"closed"."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum.th import pin

from onestop.cases import numbering
from onestop.cases.models import Case
from onestop.cases.workflow import OPEN_STATUSES, Status
from onestop.catalog.models import LocationRule, RequestType
from onestop.core.addresses import format_area
from onestop.organisations.models import Organisation

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
PAGE_SIZE = 50
PAGE_SIZE_MAX = 100
DEFAULT_SPAN = dt.timedelta(days=90)  # the spec's default window when no dates are given
_COORDINATE = Decimal("0.001")  # about 110 m of latitude: the street, not the house

Record = dict[str, Any]


class Open311Error(Exception):
    """An error to answer in the spec's error format: HTTP status and a message for people."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def w3_datetime(value: dt.datetime) -> str:
    """ISO 8601 with the offset, in Thai time: 2026-12-01T09:30:00+07:00."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def _keywords(*words: str) -> str:
    return ", ".join(w.replace(",", " ").strip() for w in words if w and w.strip())


def service_record(request_type: RequestType) -> Record:
    """One entry of services.json: names in the reader's language, keywords in the other."""
    category = request_type.category
    other = (
        (request_type.name_th, category.name_th)
        if _english()
        else (request_type.name_en, category.name_en)
    )
    return {
        "service_code": request_type.key,
        "service_name": request_type.name,
        "description": request_type.description,
        "metadata": bool(attributes(request_type)),
        "type": "realtime",
        "keywords": _keywords(*other),
        "group": category.name,
    }


def _english() -> bool:
    return (translation.get_language() or "th").startswith("en")


def _field(name: str) -> Any:
    return Case._meta.get_field(name)


def _attribute(
    code: str, order: int, *, description: str, required: bool = False, datatype: str = "string",
    datatype_description: str | None = None, variable: bool = True,
) -> Record:  # fmt: skip
    return {
        "variable": variable,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": datatype_description,
        "order": order,
        "description": description,
    }


def _max_length(name: str) -> str:
    return _("ไม่เกิน %(count)d ตัวอักษร") % {"count": _field(name).max_length}


_PLACE_FIELDS = (
    "house_no", "village_no", "village", "soi", "road", "subdistrict", "district", "province",
    "postcode", "landmark",
)  # fmt: skip


def attributes(request_type: RequestType) -> list[Record]:
    """What the wizard asks for this type beyond GeoReport's standard fields (first_name,
    last_name, phone, email, description, lat/long, address_string, media_url): the subject,
    the title and the national ID always; the place's parts unless the type asks no place; a
    note where the type needs a place or an ID-card photo. Codes are those of `cases.services`'
    Requester and Place."""
    found = [
        _attribute(
            "subject", 1, description=str(_field("subject").verbose_name), required=True,
            datatype_description=_max_length("subject"),
        ),
        _attribute(
            "title", 2, description=_("คำนำหน้า เช่น นาย นาง นางสาว"), required=True,
            datatype_description=_max_length("requester_title"),
        ),
        _attribute(
            "national_id", 3, description=_("หมายเลขบัตรประชาชน 13 หลัก"), required=True,
            datatype_description=_("ตัวเลข 13 หลัก"),
        ),
    ]  # fmt: skip
    if request_type.location != LocationRule.NOT_ASKED:
        for name in _PLACE_FIELDS:
            found.append(
                _attribute(
                    name, len(found) + 1, description=str(_field(name).verbose_name),
                    datatype_description=_max_length(name),
                )
            )  # fmt: skip
    if request_type.location == LocationRule.REQUIRED:
        found.append(
            _attribute(
                "place_required", len(found) + 1, variable=False,
                description=_(
                    "คำร้องประเภทนี้ต้องระบุสถานที่: ปักหมุด (lat และ long) หรือกรอกบ้านเลขที่ "
                    "หมู่ที่ หมู่บ้าน ซอย ถนน หรือจุดสังเกตอย่างน้อยหนึ่งช่อง"
                ),
            )
        )  # fmt: skip
    if request_type.id_card_required:
        found.append(
            _attribute(
                "id_card", len(found) + 1, variable=False,
                description=_("คำร้องประเภทนี้ต้องแนบรูปถ่ายบัตรประชาชน (ด้านหน้า)"),
            )
        )  # fmt: skip
    return found


def definition_record(request_type: RequestType) -> Record:
    return {"service_code": request_type.key, "attributes": attributes(request_type)}


def open_or_closed(status: str) -> str:
    return "open" if Status(status) in OPEN_STATUSES else "closed"


# A staff message is written to the citizen; published, it must not carry what identifies
# them. Numbers shaped like a Thai phone or a national ID, and e-mail addresses, are blanked
# everywhere; the requester's own names are blanked in their request's messages.
_PHONE = re.compile(r"(?<!\d)(?:\+?66[\s-]?|0)[689](?:[\s-]?\d){8}(?!\d)")
_NATIONAL_ID = re.compile(r"(?<!\d)\d(?:[\s-]?\d){12}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HIDDEN = "…"


def _national_id(match: re.Match[str]) -> str:
    """A 13-digit run is hidden if its check digit makes it a national ID (a request number
    quoted in a message, "ซ้ำกับคำร้อง 69-04217-88315-6", usually does not)."""
    return _HIDDEN if pin.is_valid(re.sub(r"\D", "", match.group(0))) else match.group(0)


def redact(text: str, *, names: tuple[str, ...] = ()) -> str:
    text = _EMAIL.sub(_HIDDEN, text)
    text = _NATIONAL_ID.sub(_national_id, text)
    text = _PHONE.sub(_HIDDEN, text)
    for name in names:
        if len(name.strip()) >= 2:
            text = text.replace(name.strip(), _HIDDEN)
    return text


def status_notes(case: Case) -> str:
    """Our status in words (Thai by default), then the latest message staff made public."""
    label = str(Status(case.status).label)
    note: str = getattr(case, "public_note", None) or ""
    if not note:
        return label
    names = (case.requester_first_name, case.requester_last_name)
    return f"{label}: {redact(note, names=names)}"


def public_address(case: Case) -> str | None:
    """The area only: subdistrict, district and province (never a house, road or landmark),
    written as everywhere else (`core.addresses.format_area`)."""
    return format_area(case) or None


def _rounded(value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float(value.quantize(_COORDINATE, rounding=ROUND_HALF_UP))


def request_record(case: Case) -> Record:
    """The public view of one request, in the spec's order of fields. The description is the
    citizen's own words and is never published; media is not published yet."""
    request_type = case.request_type
    hide_place = request_type.is_confidential
    department = case.department
    expected = None
    if case.due_date is not None:  # the end of the due working day, in Thai time
        end_of_day = dt.datetime.combine(case.due_date, dt.time(23, 59, 59))
        expected = w3_datetime(timezone.make_aware(end_of_day))
    return {
        "service_request_id": case.display_number,
        "status": open_or_closed(case.status),
        "status_notes": status_notes(case),
        "service_name": request_type.name,
        "service_code": request_type.key,
        "description": None,
        "agency_responsible": department.name if department is not None else None,
        "service_notice": None,
        "requested_datetime": w3_datetime(case.submitted_at),
        "updated_datetime": w3_datetime(case.updated_at),
        "expected_datetime": expected,
        "address": None if hide_place else public_address(case),
        "address_id": None,
        "zipcode": (case.postcode or None) if not hide_place else None,
        "lat": None if hide_place else _rounded(case.latitude),
        "long": None if hide_place else _rounded(case.longitude),
        "media_url": None,
    }


def discovery_record(organisation: Organisation, *, changeset: dt.datetime) -> Record:
    base = f"{settings.ONESTOP_PUBLIC_URL}/{organisation.slug}/open311"
    contacts = " ".join(c for c in (organisation.phone, organisation.email) if c)
    stamp = w3_datetime(changeset)
    return {
        "changeset": stamp,
        "contact": f"{organisation.name} {contacts}".strip(),
        "key_service": _(
            "อ่านข้อมูลได้โดยไม่ต้องใช้กุญแจ การยื่นคำร้อง (POST requests) ต้องใช้กุญแจ API "
            "ที่ผู้ดูแลระบบขององค์กรออกให้ ติดต่อขอได้ตามช่องทางข้างต้น"
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base}/v2",
                "changeset": stamp,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


# -- the query string of GET requests ------------------------------------------------------------


def _parse_datetime(name: str, text: str, *, end: bool) -> dt.datetime:
    """A w3 date-time (2026-01-01T00:00:00Z or with an offset); without an offset it is Thai
    time; a date alone is the start of that day (the end of it for end_date)."""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(
            400,
            _("%(name)s ไม่ใช่วันเวลาที่ถูกต้อง ใช้รูปแบบ 2026-01-31T00:00:00+07:00") % {"name": name},
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _positive_int(name: str, text: str, default: int) -> int:
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise Open311Error(400, _("%(name)s ต้องเป็นจำนวนเต็มบวก") % {"name": name})
    return int(text)


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_paging(query: Any) -> tuple[int, int]:
    """(page, page_size): page_size is capped at PAGE_SIZE_MAX."""
    page = _positive_int("page", query.get("page", "").strip(), 1)
    size = _positive_int("page_size", query.get("page_size", "").strip(), PAGE_SIZE)
    return page, min(size, PAGE_SIZE_MAX)


def parse_statuses(text: str) -> frozenset[Status] | None:
    wanted = set(_comma_list(text))
    if not wanted:
        return None
    if not wanted <= {"open", "closed"}:
        raise Open311Error(400, _("status ต้องเป็น open หรือ closed"))
    statuses: set[Status] = set()
    if "open" in wanted:
        statuses |= OPEN_STATUSES
    if "closed" in wanted:
        statuses |= set(Status) - OPEN_STATUSES
    return frozenset(statuses)


def parse_dates(query: Any, *, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """start_date and end_date; with neither, the most recent 90 days (as the spec says)."""
    start_text = query.get("start_date", "").strip()
    end_text = query.get("end_date", "").strip()
    start = _parse_datetime("start_date", start_text, end=False) if start_text else None
    end = _parse_datetime("end_date", end_text, end=True) if end_text else None
    if start is not None and end is not None and start > end:
        raise Open311Error(400, _("start_date ต้องไม่อยู่หลัง end_date"))
    if start is None and end is None:
        start = now - DEFAULT_SPAN
    return start, end


def parse_numbers(text: str) -> tuple[str, ...]:
    found = (numbering.parse(part) for part in _comma_list(text))
    return tuple(n for n in found if n is not None)


def parse_codes(text: str) -> tuple[str, ...]:
    return tuple(_comma_list(text))
