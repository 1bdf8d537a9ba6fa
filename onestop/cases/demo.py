"""Demo data: two organisations, their staff and about 60 realistic requests in every status.

Idempotent: an organisation that exists is left as it is, and requests are only added to an
organisation that has none. The codes are marked DEMO: we cite no official source for them."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from stdnum.th import pin

from onestop.cases.models import AttachmentKind, Case, Channel
from onestop.cases.services import (
    By,
    NewFile,
    Place,
    Requester,
    case_assign,
    case_submit,
    case_transition,
)
from onestop.cases.workflow import Actor, Status
from onestop.catalog.models import RequestType
from onestop.catalog.services import organisation_onboard
from onestop.core.holidays import holidays_load_fixed
from onestop.organisations.models import Department, Membership, Organisation, Role
from onestop.organisations.services import staff_create

DEMO_PASSWORD = "onestop-demo-2569"  # noqa: S105 (printed by make demo on purpose)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role_label: str
    organisation_slug: str


ORGANISATIONS: tuple[dict[str, Any], ...] = (
    {
        "code": "DEMO-6309-01",
        "slug": "wangchao",
        "name_th": "เทศบาลตำบลวังเจ้า",
        "name_en": "Wang Chao Subdistrict Municipality",
        "kind": "subdistrict_municipality",
        "province": "ตาก",
        "district": "วังเจ้า",
        "province_code": "63",
        "district_code": "6309",
        "address": "ตำบลเชียงทอง อำเภอวังเจ้า จังหวัดตาก 63180 (ที่อยู่สาธิต)",
        # The district's seat (Wikipedia, "Wang Chao District"): where the citizen's map opens.
        # Na Bot has none: its map opens there too, from the district's other organisation.
        "latitude": Decimal("16.704167"),
        "longitude": Decimal("99.242778"),
        "phone": "055-000-001",
        "email": "oss@wangchao.example",
    },
    {
        "code": "DEMO-6309-02",
        "slug": "nabot",
        "name_th": "องค์การบริหารส่วนตำบลนาโบสถ์",
        "name_en": "Na Bot Subdistrict Administrative Organisation",
        "kind": "sao",
        "province": "ตาก",
        "district": "วังเจ้า",
        "province_code": "63",
        "district_code": "6309",
        "address": "ตำบลนาโบสถ์ อำเภอวังเจ้า จังหวัดตาก 63180 (ที่อยู่สาธิต)",
        "phone": "055-000-002",
        "email": "oss@nabot.example",
    },
)

# (username suffix, role, department key, may see confidential, first name, last name)
STAFF = (
    ("counter", Role.COUNTER, "", False, "สมศรี", "ใจดี"),
    ("officer", Role.OFFICER, "engineering", False, "ประเสริฐ", "ช่างซ่อม"),
    ("head", Role.HEAD, "engineering", False, "วิชัย", "มั่นคง"),
    # The head of the Office of the Permanent Secretary, where corruption and other complaints
    # about officials go (catalog.defaults): granted, so that a confidential complaint has
    # someone who can act on it.
    ("palad", Role.HEAD, "office", True, "มาลี", "ธรรมรักษ์"),
    ("executive", Role.EXECUTIVE, "", True, "สุรชัย", "ผู้บริหาร"),
    ("admin", Role.ADMIN, "", False, "อรทัย", "ดูแลระบบ"),
)

SUBJECTS: dict[str, list[tuple[str, str]]] = {
    "street-light": [
        ("แจ้งไฟฟ้าดับ", "ไฟส่องสว่างริมถนนดับมา 3 คืนแล้ว มืดมาก เด็กนักเรียนเดินกลับบ้านลำบาก"),
        ("ไฟกิ่งกะพริบ", "หลอดไฟหน้าศาลาประชาคมกะพริบตลอดคืน ขอให้มาเปลี่ยนหลอด"),
        ("ขอติดตั้งไฟส่องสว่างเพิ่ม", "ทางเข้าซอยไม่มีไฟเลย กลางคืนมีรถจักรยานยนต์ล้มบ่อย"),
    ],
    "road-drain": [
        ("ถนนเป็นหลุมเป็นบ่อ", "ถนนคอนกรีตแตกเป็นหลุมลึก น้ำขังเวลาฝนตก รถจักรยานยนต์ล้มแล้ว 2 ครั้ง"),
        ("รางระบายน้ำอุดตัน", "ท่อระบายน้ำหน้าบ้านอุดตันมีขยะและดินโคลน ฝนตกน้ำเอ่อท่วมถนน"),
        ("ฝาท่อชำรุด", "ฝาท่อระบายน้ำแตก เสี่ยงคนเดินตกลงไป"),
    ],
    "loudspeaker": [
        ("เสียงตามสายไม่ดัง", "ลำโพงเสียงตามสายที่หมู่ 3 ไม่มีเสียงมาหนึ่งสัปดาห์ ไม่ได้ยินประกาศ"),
    ],
    "garbage-bin": [
        ("ขอถังขยะ 2 ใบ", "ขอถังขยะสำหรับบ้านและร้านค้าหน้าบ้าน ถังเดิมแตกแล้ว"),
        ("ขอถังขยะเปียก", "ขอถังสำหรับขยะอินทรีย์ เพื่อทำปุ๋ยหมักในชุมชน"),
    ],
    "patient-equipment": [
        ("ขอยืมรถเข็นผู้ป่วย", "คุณแม่อายุ 82 ปี เดินไม่ได้หลังผ่าตัดสะโพก ขอยืมรถเข็น 3 เดือน"),
        ("ขอยืมเตียงผู้ป่วย", "ผู้ป่วยติดเตียง ต้องการเตียงปรับระดับได้"),
    ],
    "tree-cutting": [
        ("ขอตัดต้นไม้", "ต้นมะม่วงใหญ่กิ่งยื่นไปพาดสายไฟ กลัวหักลงมาตอนพายุ"),
        ("ต้นไม้ล้มขวางถนน", "ต้นไม้ล้มขวางถนนเข้าหมู่บ้าน รถผ่านไม่ได้"),
    ],
    "wastewater": [
        ("น้ำเสียส่งกลิ่นเหม็น", "ลำรางสาธารณะมีน้ำเสียสีดำ กลิ่นเหม็นมาก มียุงเยอะ"),
    ],
    "flood": [
        ("แจ้งน้ำท่วมบ้าน", "น้ำท่วมสูงประมาณ 50 เซนติเมตร มีผู้สูงอายุ 2 คนในบ้าน"),
        ("น้ำท่วมถนน", "น้ำท่วมถนนเส้นหลัก รถเล็กผ่านไม่ได้"),
    ],
    "general": [
        ("ขอความอนุเคราะห์เต็นท์", "ขอยืมเต็นท์ 2 หลัง และเก้าอี้ 50 ตัว สำหรับงานบุญประจำปีของหมู่บ้าน"),
        ("ขอใช้สถานที่", "ขอใช้ห้องประชุมเทศบาลจัดประชุมกลุ่มแม่บ้าน"),
    ],
    "information": [
        ("ขอข้อมูลเบี้ยยังชีพผู้สูงอายุ", "อยากทราบขั้นตอนลงทะเบียนรับเบี้ยยังชีพผู้สูงอายุ"),
    ],
    "cctv": [
        ("ขอดูภาพกล้องวงจรปิด", "รถจักรยานยนต์หายหน้าตลาด เมื่อวันที่ 3 เวลาประมาณ 20.00 น."),
    ],
    "patient-transport": [
        ("ขอรถรับส่งไปโรงพยาบาล", "พ่อต้องไปฟอกไตที่โรงพยาบาลตากทุกวันอังคาร ไม่มีรถ"),
    ],
    "corruption": [
        ("แจ้งการเรียกรับเงิน", "มีการเรียกรับเงินเพื่ออนุมัติใบอนุญาตเร็วขึ้น"),
    ],
    "official-complaint": [
        ("เจ้าหน้าที่พูดจาไม่สุภาพ", "ติดต่อขอเอกสารแล้วเจ้าหน้าที่พูดไม่สุภาพ ให้รอนานโดยไม่ชี้แจง"),
    ],
    "tip-off": [
        ("แจ้งเบาะแสการลักลอบทิ้งขยะ", "มีรถกระบะมาลักลอบทิ้งขยะในที่สาธารณะตอนกลางคืน"),
    ],
}

FIRST_NAMES = ("สมชาย", "สมหญิง", "บุญมี", "มาลี", "ประยูร", "จันทร์เพ็ญ", "สุดา", "ทองดี", "วันเพ็ญ",
               "อนันต์", "กัญญา", "ธนพล", "ศิริพร", "ชูชาติ", "นงลักษณ์")  # fmt: skip
LAST_NAMES = ("ใจดี", "รักไทย", "ศรีสุข", "มีทรัพย์", "บุญเรือง", "แก้วมณี", "ทองคำ", "พรหมมา",
              "สายบุญ", "วงศ์ใหญ่")  # fmt: skip
VILLAGES = ("บ้านเชียงทอง", "บ้านนาโบสถ์", "บ้านประดาง", "บ้านท่าตะคร้อ", "บ้านวังเจ้า")
ROADS = ("ถนนพหลโยธิน", "ถนนสายวังเจ้า-ท่าปุย", "")

# How far each demo request has gone: the path of statuses after "submitted".
PATHS: tuple[tuple[Status, ...], ...] = (
    (),
    (Status.RECEIVED,),
    (Status.RECEIVED, Status.IN_PROGRESS),
    (Status.RECEIVED, Status.IN_PROGRESS, Status.COMPLETED),
    (Status.RECEIVED, Status.WAITING_CITIZEN),
    (Status.REJECTED,),
    (Status.RECEIVED, Status.FORWARDED),
    (Status.CANCELLED,),
    (Status.RECEIVED, Status.IN_PROGRESS, Status.COMPLETED),
    (Status.RECEIVED, Status.IN_PROGRESS),
)

MESSAGES = {
    Status.RECEIVED: "",
    Status.IN_PROGRESS: "",
    Status.COMPLETED: "ดำเนินการเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่อง",
    Status.WAITING_CITIZEN: "กรุณาส่งรูปถ่ายจุดที่เกิดเหตุเพิ่มเติม และระบุจุดสังเกตให้ชัดเจน",
    Status.REJECTED: "เรื่องนี้อยู่นอกเขตรับผิดชอบของเทศบาล",
    Status.FORWARDED: "ส่งต่อการไฟฟ้าส่วนภูมิภาคอำเภอวังเจ้า (หนังสือที่ ตก 0001/2569)",
    Status.CANCELLED: "แก้ไขได้เองแล้ว ขอยกเลิกคำร้อง",
}


def _national_id(rng: random.Random) -> str:
    body = str(rng.choice((1, 3))) + "".join(str(rng.randrange(10)) for _ in range(11))
    return body + pin.calc_check_digit(body)


def _demo_id_card() -> NewFile:
    """A stand-in for the photo of an ID card: a plain card marked SPECIMEN."""
    image = Image.new("RGB", (640, 400), (214, 228, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 380), outline=(40, 70, 120), width=6)
    draw.text((60, 180), "SPECIMEN / DEMO ID CARD", fill=(40, 70, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return NewFile(buffer.getvalue(), "id-card.jpg", "image/jpeg", "jpg", AttachmentKind.ID_CARD)


def load_demo(*, requests_per_organisation: int = 50) -> list[DemoAccount]:
    """Create (or keep) the demo platform and return the demo accounts."""
    accounts: list[DemoAccount] = []
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year, this_year + 1):
        holidays_load_fixed(year=year)
    user_model = get_user_model()
    if not user_model.objects.filter(username="admin").exists():
        user_model.objects.create_superuser("admin", "admin@onestop.example", DEMO_PASSWORD)
    accounts.append(DemoAccount("admin", "ผู้ดูแลแพลตฟอร์ม (platform operator)", ""))
    for index, fields in enumerate(ORGANISATIONS):
        organisation = Organisation.objects.filter(slug=fields["slug"]).first()
        if organisation is None:
            organisation = organisation_onboard(**fields)
        elif organisation.latitude is None and "latitude" in fields:  # a demo from before
            Organisation.objects.filter(pk=organisation.pk).update(
                latitude=fields["latitude"], longitude=fields["longitude"]
            )
        for suffix, role, department_key, confidential, first, last in STAFF:
            username = f"{organisation.slug}-{suffix}"
            if not Membership.objects.filter(user__username=username).exists():
                staff_create(
                    organisation=organisation, username=username, password=DEMO_PASSWORD,
                    role=role, first_name=first, last_name=last,
                    email=f"{username}@onestop.example",
                    department=organisation.departments.filter(key=department_key).first()
                    if department_key else None,
                    can_see_confidential=confidential,
                )  # fmt: skip
            accounts.append(
                DemoAccount(username, f"{role.label} ({role.value})", organisation.slug)
            )
        if not Case.objects.filter(organisation=organisation).exists():
            count = requests_per_organisation if index == 0 else requests_per_organisation // 5
            _demo_requests(organisation, count, random.Random(2569 + index))  # noqa: S311 (demo data)
    return accounts


@transaction.atomic
def _demo_requests(organisation: Organisation, count: int, rng: random.Random) -> None:
    types = {t.key: t for t in RequestType.objects.filter(organisation=organisation)}
    # One member per role: the first made (the engineering head, not the office's).
    staff = {
        m.role: m.user for m in organisation.memberships.select_related("user").order_by("-pk")
    }
    departments = list(Department.objects.filter(organisation=organisation))
    now = timezone.now()
    for i in range(count):
        key = list(SUBJECTS)[i % len(SUBJECTS)]
        subject, details = rng.choice(SUBJECTS[key])
        request_type = types[key]
        submitted = now - dt.timedelta(days=rng.randrange(0, 75), minutes=rng.randrange(0, 600))
        village_no = rng.randrange(1, 12)
        place = Place(
            house_no=f"{rng.randrange(1, 300)}/{rng.randrange(1, 9)}",
            village_no=str(village_no),
            village=rng.choice(VILLAGES),
            road=rng.choice(ROADS),
            subdistrict="เชียงทอง",
            district=organisation.district,
            province=organisation.province,
            postcode="63180",
            subdistrict_code="630901",
            landmark="ใกล้วัด" if i % 3 else "หน้าโรงเรียน",
        )
        case = case_submit(
            organisation=organisation,
            request_type=request_type,
            subject=subject,
            details=details,
            requester=Requester(
                title=rng.choice(("นาย", "นาง", "นางสาว")),
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                national_id=_national_id(rng),
                phone=f"08{rng.randrange(10**7, 10**8)}",
                email="" if i % 2 else f"citizen{i}@example.com",
            ),
            place=place,
            files=(_demo_id_card(),) if request_type.id_card_required else (),
            channel=(Channel.WEB, Channel.WEB, Channel.COUNTER, Channel.PHONE)[i % 4],
            now=submitted,
        )
        path = PATHS[i % len(PATHS)] if submitted < now - dt.timedelta(days=1) else ()
        moment = submitted
        for step in path:
            # The timeline spread over the days after filing, as it would have happened.
            moment = min(moment + dt.timedelta(hours=rng.randrange(2, 60)), now)
            if step == Status.IN_PROGRESS and case.department is not None:
                department = rng.choice(departments) if i % 7 == 0 else case.department
                case = case_assign(
                    case=case,
                    department=department,
                    # A confidential complaint goes to the division, not to an officer
                    # without the grant.
                    assignee=None if request_type.is_confidential else staff.get(Role.OFFICER),
                    by=By(Actor.STAFF, staff[Role.HEAD], at=moment),
                )
            actor_kind = Actor.CITIZEN if step == Status.CANCELLED else Actor.STAFF
            case = case_transition(
                case=case, to=step, actor_kind=actor_kind,
                actor=staff[Role.COUNTER] if actor_kind == Actor.STAFF else None,
                public_message=MESSAGES[step],
                internal_note="ตรวจสอบพื้นที่แล้ว" if step == Status.IN_PROGRESS else "",
                at=moment,
            )  # fmt: skip
