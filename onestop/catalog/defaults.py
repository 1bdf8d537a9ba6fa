"""The default catalogue: the 6 categories and 15 request types of the Wang Chao manual, in its
order and wording (`../shared/mission/`). Every new organisation starts with it and may then
rename, disable or re-route types."""

from __future__ import annotations

from typing import NamedTuple

from onestop.catalog.models import LocationRule

REQUIRED, OPTIONAL, NOT_ASKED = LocationRule.REQUIRED, LocationRule.OPTIONAL, LocationRule.NOT_ASKED


class DefaultType(NamedTuple):
    key: str
    name_th: str
    name_en: str
    description_th: str
    description_en: str
    department_key: str
    sla_days: int
    location: LocationRule
    id_card_required: bool = False
    is_confidential: bool = False


class DefaultCategory(NamedTuple):
    key: str
    name_th: str
    name_en: str
    types: tuple[DefaultType, ...]


_COMPLAINT_TH = (
    "ข้อมูลของผู้ร้องจะถูกเก็บเป็นความลับ เห็นได้เฉพาะผู้บริหารและผู้ที่ได้รับมอบหมาย "
    "โปรดระบุ ชื่อหรือตำแหน่งของผู้ถูกร้อง วัน เวลา สถานที่ และพฤติการณ์ให้ชัดเจน "
    "พร้อมแนบหลักฐาน (ถ้ามี)"
)
_COMPLAINT_EN = (
    "Your details are kept confidential and seen only by the executive and appointed staff. "
    "Say who (name or position), when, where and what happened, and attach any evidence."
)

DEFAULT_CATALOGUE: tuple[DefaultCategory, ...] = (
    DefaultCategory(
        "complaints",
        "ร้องเรียน/ร้องทุกข์ หน่วยงานภาครัฐ",
        "Complaints about government agencies",
        (
            DefaultType(
                "corruption", "แจ้งการทุจริตของเจ้าหน้าที่/พนักงาน",
                "Report corruption by an official or employee",
                _COMPLAINT_TH, _COMPLAINT_EN, "office", 30, NOT_ASKED, is_confidential=True,
            ),
            DefaultType(
                "official-complaint", "ร้องเรียนเจ้าหน้าที่ของรัฐ",
                "Complain about a government official",
                _COMPLAINT_TH, _COMPLAINT_EN, "office", 30, NOT_ASKED, is_confidential=True,
            ),
            DefaultType(
                "tip-off", "แจ้งเบาะแสการกระทำผิด", "Report a tip-off about wrongdoing",
                _COMPLAINT_TH, _COMPLAINT_EN, "office", 30, OPTIONAL, is_confidential=True,
            ),
        ),
    ),
    DefaultCategory(
        "public-health",
        "สาธารณสุข",
        "Public health",
        (
            DefaultType(
                "patient-equipment", "ขอเตียงผู้ป่วย - รถเข็นผู้ป่วย (รถวีลแชร์)",
                "Request a patient bed or wheelchair",
                "ระบุชื่อผู้ป่วย อาการโดยย่อ และสิ่งที่ต้องการยืม (เตียงหรือรถเข็น) "
                "แนบรูปบัตรประชาชนของผู้ยื่น และใบรับรองแพทย์ (ถ้ามี)",
                "Give the patient's name, a short description of their condition and what you "
                "need (bed or wheelchair). Attach a photo of your ID card and a medical "
                "certificate if you have one.",
                "health", 7, REQUIRED, id_card_required=True,
            ),
            DefaultType(
                "garbage-bin", "ขอถังรองรับขยะ", "Request a garbage bin",
                "ระบุจำนวนถังที่ต้องการ และสถานที่วางถัง (บ้านเลขที่ หมู่ที่)",
                "Say how many bins you need and where they should go (house number, village).",
                "health", 7, REQUIRED,
            ),
        ),
    ),
    DefaultCategory(
        "utilities",
        "ระบบสาธารณูปโภค",
        "Public utilities",
        (
            DefaultType(
                "road-drain", "การซ่อมถนนสาธารณะและรางระบายน้ำ",
                "Repair of public roads and drains",
                "ระบุตำแหน่งที่ชำรุดให้ชัดเจน (ถนน ซอย จุดสังเกต) ปักหมุดบนแผนที่ "
                "และแนบรูปถ่ายจุดที่ชำรุด",
                "Say exactly where the damage is (road, soi, landmark), pin it on the map and "
                "attach a photo of it.",
                "engineering", 15, REQUIRED,
            ),
            DefaultType(
                "street-light", "ไฟฟ้าสาธารณะ", "Public electricity / street lights",
                "ระบุตำแหน่งเสาไฟ (หมายเลขเสา ถ้ามี) และอาการ เช่น ไฟดับ ไฟกะพริบ "
                "ปักหมุดบนแผนที่ และแนบรูปถ่าย",
                "Say where the pole is (its number if it has one) and what is wrong (out, "
                "flickering); pin it on the map and attach a photo.",
                "engineering", 7, REQUIRED,
            ),
            DefaultType(
                "loudspeaker", "ระบบเสียงตามสายขัดข้อง",
                "Public-address (village loudspeaker) system out of order",
                "ระบุหมู่บ้านและตำแหน่งลำโพง และอาการ เช่น ไม่มีเสียง เสียงขาดหาย",
                "Say which village and where the loudspeaker is, and what is wrong (silent, "
                "breaking up).",
                "engineering", 7, REQUIRED,
            ),
        ),
    ),
    DefaultCategory(
        "help",
        "ขอความช่วยเหลือ",
        "Requests for help",
        (
            DefaultType(
                "general", "คำร้องทั่วไป", "General request",
                "เขียนเรื่องที่ต้องการให้ชัดเจน และแนบเอกสารที่เกี่ยวข้อง (ถ้ามี)",
                "Describe clearly what you need and attach any related documents.",
                "office", 15, OPTIONAL,
            ),
            DefaultType(
                "information", "บริการข้อมูล/ข่าวสาร", "Information / news service",
                "ระบุข้อมูลหรือเอกสารที่ต้องการ และวิธีรับ (อีเมล หรือมารับด้วยตนเอง)",
                "Say which information or document you want and how you want to receive it "
                "(e-mail or in person).",
                "office", 15, NOT_ASKED,
            ),
            DefaultType(
                "cctv", "ขอดูภาพ/ข้อมูลกล้องวงจรปิด (CCTV)", "Request to view CCTV images or data",
                "ระบุวัน ช่วงเวลา และจุดที่เกิดเหตุ และเหตุผลที่ขอดู แนบรูปบัตรประชาชน "
                "และใบแจ้งความ (ถ้ามี) ข้อมูลภาพจะเปิดให้ดูเฉพาะผู้มีสิทธิ์ตามกฎหมาย",
                "Give the date, time window and place, and why you need it. Attach a photo of "
                "your ID card and a police report if you have one. Footage is shown only to "
                "those entitled by law.",
                "office", 7, REQUIRED, id_card_required=True,
            ),
        ),
    ),
    DefaultCategory(
        "environment",
        "ทรัพยากรธรรมชาติและสิ่งแวดล้อม",
        "Natural resources and environment",
        (
            DefaultType(
                "tree-cutting", "ตัดต้นไม้", "Tree cutting",
                "ระบุตำแหน่งต้นไม้ ชนิดหรือขนาดโดยประมาณ และเหตุผล เช่น กีดขวางทาง "
                "ใกล้สายไฟ แนบรูปถ่ายต้นไม้",
                "Say where the tree is, roughly how big, and why (blocking the way, near power "
                "lines). Attach a photo of the tree.",
                "health", 15, REQUIRED,
            ),
            DefaultType(
                "wastewater", "น้ำเสีย", "Wastewater",
                "ระบุแหล่งที่มาของน้ำเสีย (ถ้าทราบ) ตำแหน่ง และผลกระทบ เช่น กลิ่น "
                "แนบรูปถ่าย",
                "Say where it comes from if you know, where it is and how it affects you "
                "(smell, ...). Attach a photo.",
                "health", 15, REQUIRED,
            ),
            DefaultType(
                "flood", "แจ้งน้ำท่วม", "Flood report",
                "ระบุตำแหน่ง ระดับน้ำโดยประมาณ และผู้ที่ต้องการความช่วยเหลือเร่งด่วน "
                "(ผู้สูงอายุ ผู้ป่วย) หากมีอันตรายต่อชีวิต โทร 1784",
                "Say where, roughly how deep, and who needs urgent help (elderly, sick). If "
                "lives are in danger call 1784.",
                "office", 3, REQUIRED,
            ),
        ),
    ),
    DefaultCategory(
        "welfare",
        "สังคมและสวัสดิการ",
        "Society and welfare",
        (
            DefaultType(
                "patient-transport", "รถรับส่งผู้ป่วย", "Patient transport",
                "ระบุชื่อผู้ป่วย วันและเวลานัด โรงพยาบาลปลายทาง และจุดรับ "
                "แนบรูปบัตรประชาชนและใบนัดแพทย์ กรณีฉุกเฉินโทร 1669",
                "Give the patient's name, the appointment date and time, the hospital and the "
                "pick-up point. Attach a photo of your ID card and the appointment slip. In an "
                "emergency call 1669.",
                "welfare", 3, REQUIRED, id_card_required=True,
            ),
        ),
    ),
)  # fmt: skip
