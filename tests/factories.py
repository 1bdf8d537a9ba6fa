"""Typed builders for test data. Prefer the personas in conftest.py; use these for variations."""

from __future__ import annotations

import itertools
import random
from typing import Any

from stdnum.th import pin

from onestop.cases.models import Case, Channel
from onestop.cases.services import NewFile, Place, Requester, case_submit
from onestop.catalog.models import RequestType
from onestop.catalog.services import organisation_onboard
from onestop.organisations.models import Organisation

_sequence = itertools.count(1)


def valid_national_id(rng: random.Random | None = None) -> str:
    """A random 13-digit ID with a correct check digit."""
    rng = rng or random.Random()
    body = str(rng.randrange(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(11))
    return body + pin.calc_check_digit(body)


def make_organisation(**overrides: Any) -> Organisation:
    n = next(_sequence)
    fields: dict[str, Any] = {
        "code": f"TEST-{n:04d}",
        "slug": f"org{n}",
        "name_th": f"เทศบาลตำบลทดสอบ{n}",
        "name_en": f"Test Municipality {n}",
        "kind": "subdistrict_municipality",
        "province": "ตาก",
        "district": "วังเจ้า",
        "province_code": "63",
        "district_code": "6309",
    }
    fields.update(overrides)
    return organisation_onboard(**fields)


def request_type(organisation: Organisation, key: str = "general") -> RequestType:
    return RequestType.objects.get(organisation=organisation, key=key)


def some_place() -> Place:
    return Place(
        house_no="12/3",
        village_no="4",
        road="ถนนพหลโยธิน",
        subdistrict="เชียงทอง",
        district="วังเจ้า",
        province="ตาก",
        postcode="63180",
        subdistrict_code="630901",
    )


def make_case(
    organisation: Organisation,
    *,
    type_key: str = "street-light",
    subject: str = "แจ้งไฟฟ้าดับ",
    details: str = "ไฟส่องสว่างหน้าบ้านดับมาสามคืนแล้ว",
    national_id: str | None = None,
    phone: str = "0812345678",
    files: tuple[NewFile, ...] = (),
    submission_key: str | None = None,
    channel: Channel = Channel.WEB,
) -> Case:
    return case_submit(
        organisation=organisation,
        request_type=request_type(organisation, type_key),
        subject=subject,
        details=details,
        requester=Requester(
            title="นาง",
            first_name="มาลี",
            last_name="ศรีสุข",
            national_id=national_id or valid_national_id(),
            phone=phone,
        ),
        place=some_place(),
        files=files,
        submission_key=submission_key,
        channel=channel,
    )
