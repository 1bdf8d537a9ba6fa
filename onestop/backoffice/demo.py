"""Demo reply templates: ready-made messages for the common request types and statuses, so that
the case page's picker is there from the first run of `make demo` (the organisation's counter
member writes them, as staff would, through `services.reply_template_create`)."""

from __future__ import annotations

from django.db import transaction

from onestop.backoffice import services
from onestop.backoffice.models import ReplyTemplate
from onestop.backoffice.permissions import staff_access
from onestop.cases.workflow import Status
from onestop.catalog.models import RequestType
from onestop.organisations.models import Organisation, Role

# (request type key or "" for every type, status, title, message to the citizen)
REPLY_TEMPLATES: tuple[tuple[str, Status, str, str], ...] = (
    ("", Status.RECEIVED, "รับเรื่องแล้ว",
     "หน่วยงานได้รับคำร้องของท่านแล้ว และส่งให้กองที่รับผิดชอบดำเนินการ "
     "ท่านติดตามผลได้ด้วยเลขคำร้องและเลข 4 ตัวท้ายของโทรศัพท์"),
    ("", Status.IN_PROGRESS, "กำลังดำเนินการ",
     "เจ้าหน้าที่กำลังดำเนินการตามคำร้องของท่าน จะแจ้งผลให้ทราบเมื่อแล้วเสร็จ"),
    ("", Status.WAITING_CITIZEN, "ขอข้อมูลเพิ่มเติม: รูปถ่ายและจุดสังเกต",
     "กรุณาส่งรูปถ่ายจุดที่เกิดเหตุเพิ่มเติม และระบุจุดสังเกตให้ชัดเจน "
     "เพื่อให้เจ้าหน้าที่ไปถึงที่หมายได้ถูกต้อง"),
    ("", Status.WAITING_CITIZEN, "ขอข้อมูลเพิ่มเติม: เอกสารประกอบ",
     "กรุณาแนบสำเนาเอกสารที่เกี่ยวข้องเพิ่มเติม ผ่านหน้าติดตามผล หรือนำมาที่ศูนย์บริการ"),
    ("", Status.COMPLETED, "ดำเนินการแล้วเสร็จ",
     "หน่วยงานได้ดำเนินการตามคำร้องของท่านเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่อง "
     "หากยังไม่ได้รับการแก้ไข แจ้งได้ที่หน้าติดตามผล"),
    ("", Status.REJECTED, "ไม่รับเรื่อง: นอกเขตรับผิดชอบ",
     "เรื่องนี้อยู่นอกเขตรับผิดชอบของหน่วยงาน กรุณาติดต่อหน่วยงานที่รับผิดชอบพื้นที่โดยตรง"),
    ("", Status.REJECTED, "ไม่รับเรื่อง: ข้อมูลไม่เพียงพอ",
     "ข้อมูลในคำร้องไม่เพียงพอที่จะดำเนินการได้ และไม่ได้รับข้อมูลเพิ่มเติมภายในเวลาที่กำหนด "
     "ท่านยื่นคำร้องใหม่ได้ทุกเมื่อ"),
    ("street-light", Status.COMPLETED, "ซ่อมไฟฟ้าสาธารณะแล้ว",
     "เจ้าหน้าที่กองช่างเปลี่ยนหลอดไฟและตรวจสอบระบบไฟฟ้าส่องสว่างจุดที่แจ้งเรียบร้อยแล้ว"),
    ("street-light", Status.FORWARDED, "ส่งต่อการไฟฟ้าส่วนภูมิภาค",
     "จุดที่แจ้งอยู่ในความรับผิดชอบของการไฟฟ้าส่วนภูมิภาค หน่วยงานได้ส่งเรื่องต่อให้แล้ว"),
    ("road-drain", Status.COMPLETED, "ซ่อมถนน/ลอกท่อแล้ว",
     "กองช่างได้ซ่อมแซมผิวถนนและลอกท่อระบายน้ำจุดที่แจ้งเรียบร้อยแล้ว"),
    ("garbage-bin", Status.COMPLETED, "ส่งมอบถังขยะแล้ว",
     "หน่วยงานได้นำถังขยะไปส่งมอบตามที่อยู่ในคำร้องเรียบร้อยแล้ว"),
    ("patient-equipment", Status.COMPLETED, "ให้ยืมอุปกรณ์แล้ว",
     "อุปกรณ์ที่ขอยืมพร้อมแล้ว กรุณานำบัตรประชาชนมารับที่กองสาธารณสุข ในวันและเวลาราชการ"),
    ("tree-cutting", Status.COMPLETED, "ตัดต้นไม้แล้ว",
     "เจ้าหน้าที่ได้ตัดแต่งกิ่งไม้จุดที่แจ้งเรียบร้อยแล้ว"),
)  # fmt: skip


@transaction.atomic
def reply_templates_load_demo(*, organisation: Organisation) -> int:
    """Add the demo templates to an organisation that has none yet; return how many."""
    if ReplyTemplate.objects.filter(organisation=organisation).exists():
        return 0
    member = organisation.memberships.filter(role=Role.COUNTER, is_active=True).first()
    access = staff_access(user=member.user, organisation=organisation) if member else None
    if access is None:
        return 0
    types = {t.key: t for t in RequestType.objects.filter(organisation=organisation)}
    made = 0
    for key, status, title, body in REPLY_TEMPLATES:
        if key and key not in types:
            continue
        services.reply_template_create(
            access=access, title=title, body=body, request_type=types.get(key), status=status
        )
        made += 1
    return made
