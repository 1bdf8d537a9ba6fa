"""A small fixed history for the performance reports, built through the real services with
past times. Every figure the tests expect is worked out by hand in the comments.

Holidays: Mon 13 Oct 2025, Thu 23 Oct 2025, Wed 31 Dec 2025, Thu 1 Jan 2026.
"Today" is Fri 30 Jan 2026 (fiscal year 2569 runs 1 Oct 2025 - 30 Sep 2026).

C1 street light, web      filed Fri 26 Sep 2025 (FY 2568), received Mon 29 Sep (1 working
                          day), completed Thu 9 Oct (9 working days; due Tue 7 Oct: 2 late)
C2 street light, counter  filed Wed 8 Oct, received the same day (0), completed Tue 14 Oct
                          (3: Mon 13 is a holiday; due Mon 20 Oct), citizen "not solved" Wed 15,
                          completed again Fri 17 Oct (6, on time), rated 4
C3 road/drain, web        filed Tue 30 Dec, forwarded Fri 2 Jan 2026 (1: 31 Dec, 1 Jan closed)
C4 garbage bin, phone     filed Mon 5 Jan 2026, cancelled by the citizen the same day
C5 corruption (CONFIDENTIAL) filed Wed 1 Oct 2025, received Thu 2 Oct (1), completed
                          Mon 3 Nov (21 working days; due in 30: on time)
C6 street light, web      filed Tue 6 Jan 2026, received Wed 7 Jan (1), rejected Thu 8 Jan
C7 road/drain, web        filed Wed 7 Jan, received Thu 8 Jan (1), asked the citizen: open;
                          due Wed 28 Jan: 2 working days late on 30 Jan
C8 street light, counter  filed Fri 30 Jan, not received yet (due Tue 10 Feb)
C9 street light, web      filed Thu 8 Jan, received the same day (0), moved to the health
                          division Fri 9 Jan, completed Mon 12 Jan (2; due Mon 19 Jan), public
                          "after" photo, confirmed solved and rated 5 on Tue 13 Jan
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from PIL import Image

from onestop.cases.models import AttachmentKind, Case, Channel, EventKind
from onestop.cases.services import (
    By,
    NewFile,
    Place,
    Requester,
    case_assign,
    case_cancel,
    case_feedback_record,
    case_forward,
    case_move,
    case_not_solved,
    case_result_photo_add,
    case_submit,
)
from onestop.cases.workflow import Actor, Move
from onestop.core.models import Holiday
from onestop.organisations.models import Organisation
from tests.factories import request_type, valid_national_id

BANGKOK = ZoneInfo("Asia/Bangkok")
TODAY = dt.date(2026, 1, 30)
HOLIDAYS = (
    dt.date(2025, 10, 13),
    dt.date(2025, 10, 23),
    dt.date(2025, 12, 31),
    dt.date(2026, 1, 1),
)

# Personal details that must never appear on a public page.
NAMES = ("ทองดีเด่น", "ศรีสมบูรณ์ยิ่ง")
PHONE = "0891234567"
HOUSE_NO = "99/456"
CONFIDENTIAL_SUBJECT = "เรียกรับเงินค่าใบอนุญาตโดยนายตัวอย่าง"


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=BANGKOK)


def photo_file() -> NewFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 140, 60)).save(buffer, "JPEG")
    return NewFile(buffer.getvalue(), "after.jpg", "image/jpeg", "jpg", AttachmentKind.RESULT)


@dataclass
class History:
    cases: dict[str, Case]
    national_ids: list[str]


def submit(
    organisation: Organisation,
    type_key: str,
    day: str,
    *,
    subject: str = "",
    channel: Channel = Channel.WEB,
    hour: int = 10,
    national_id: str | None = None,
) -> Case:
    return case_submit(
        organisation=organisation,
        request_type=request_type(organisation, type_key),
        subject=subject or "ไฟฟ้าดับหน้าหมู่บ้าน",
        details="รายละเอียดของคำร้อง",
        requester=Requester(
            title="นาย",
            first_name=NAMES[0],
            last_name=NAMES[1],
            national_id=national_id or valid_national_id(),
            phone=PHONE,
        ),
        place=Place(house_no=HOUSE_NO, village_no="4", subdistrict="เชียงทอง"),
        channel=channel,
        now=at(day, hour),
    )


def move(case: Case, name: Move, day: str, user: User, message: str = "") -> Case:
    """A staff move at 14:00 on `day`."""
    return case_move(
        case=case, move=name, by=By(Actor.STAFF, user, at=at(day, 14)), public_message=message
    )


def build(organisation: Organisation, staff: User) -> History:
    for day in HOLIDAYS:
        Holiday.objects.get_or_create(date=day, defaults={"name_th": "วันหยุด"})
    ids = [valid_national_id() for _ in range(9)]
    c: dict[str, Case] = {}

    c["C1"] = submit(organisation, "street-light", "2025-09-26", national_id=ids[0])
    move(c["C1"], Move.RECEIVE, "2025-09-29", staff)
    move(c["C1"], Move.COMPLETE, "2025-10-09", staff, "ซ่อมแล้ว")

    c["C2"] = submit(
        organisation, "street-light", "2025-10-08", channel=Channel.COUNTER, national_id=ids[1]
    )
    move(c["C2"], Move.RECEIVE, "2025-10-08", staff)
    move(c["C2"], Move.COMPLETE, "2025-10-14", staff, "ซ่อมแล้ว")
    case_not_solved(case=c["C2"], reason="ยังดับอยู่", by=By(Actor.CITIZEN, at=at("2025-10-15")))
    move(c["C2"], Move.COMPLETE, "2025-10-17", staff, "เปลี่ยนหลอดใหม่แล้ว")
    case_feedback_record(
        case=c["C2"], kind=EventKind.RATED, score=4, by=By(Actor.CITIZEN, at=at("2025-10-17", 18))
    )

    c["C3"] = submit(
        organisation, "road-drain", "2025-12-30", subject="ถนนเป็นหลุม", national_id=ids[2]
    )
    case_forward(
        case=c["C3"],
        by=By(Actor.STAFF, staff, at=at("2026-01-02")),
        expected_version=None,
        agency="แขวงทางหลวงชนบท",
    )

    c["C4"] = submit(
        organisation,
        "garbage-bin",
        "2026-01-05",
        subject="ขอถังขยะ",
        channel=Channel.PHONE,
        national_id=ids[3],
    )
    case_cancel(case=c["C4"], reason="ไม่ต้องการแล้ว", by=By(Actor.CITIZEN, at=at("2026-01-05", 15)))

    c["C5"] = submit(
        organisation, "corruption", "2025-10-01", subject=CONFIDENTIAL_SUBJECT, national_id=ids[4]
    )
    move(c["C5"], Move.RECEIVE, "2025-10-02", staff)
    move(c["C5"], Move.COMPLETE, "2025-11-03", staff, "สอบสวนแล้ว")

    c["C6"] = submit(organisation, "street-light", "2026-01-06", national_id=ids[5])
    move(c["C6"], Move.RECEIVE, "2026-01-07", staff)
    move(c["C6"], Move.REJECT, "2026-01-08", staff, "อยู่นอกเขต")

    c["C7"] = submit(
        organisation, "road-drain", "2026-01-07", subject="รางระบายน้ำอุดตัน", national_id=ids[6]
    )
    move(c["C7"], Move.RECEIVE, "2026-01-08", staff)
    move(c["C7"], Move.ASK, "2026-01-09", staff, "ขอรูปถ่ายเพิ่ม")

    c["C8"] = submit(
        organisation,
        "street-light",
        "2026-01-30",
        channel=Channel.COUNTER,
        subject="ไฟกิ่งกะพริบ",
        national_id=ids[7],
    )

    c["C9"] = submit(
        organisation, "street-light", "2026-01-08", subject="ไฟส่องสว่างดับทั้งซอย", national_id=ids[8]
    )
    move(c["C9"], Move.RECEIVE, "2026-01-08", staff)
    case_assign(
        case=c["C9"],
        department=organisation.departments.get(key="health"),
        assignee=None,
        by=By(Actor.STAFF, staff, at=at("2026-01-09")),
    )
    move(c["C9"], Move.COMPLETE, "2026-01-12", staff, "เปลี่ยนหลอดแล้ว")
    case_result_photo_add(
        case=c["C9"],
        photo=photo_file(),
        is_public=True,
        by=By(Actor.STAFF, staff, at=at("2026-01-12", 15)),
        expected_version=None,
    )
    case_feedback_record(
        case=c["C9"], kind=EventKind.CONFIRMED, by=By(Actor.CITIZEN, at=at("2026-01-13"))
    )
    case_feedback_record(
        case=c["C9"], kind=EventKind.RATED, score=5, by=By(Actor.CITIZEN, at=at("2026-01-13", 11))
    )

    for case in c.values():
        case.refresh_from_db()
    return History(c, ids)
