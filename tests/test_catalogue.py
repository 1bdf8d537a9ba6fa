"""A new organisation starts with exactly the manual's catalogue."""

from onestop.catalog.models import Category, LocationRule, RequestType
from onestop.organisations.models import Organisation

MANUAL = [
    ("ร้องเรียน/ร้องทุกข์ หน่วยงานภาครัฐ", [
        "แจ้งการทุจริตของเจ้าหน้าที่/พนักงาน",
        "ร้องเรียนเจ้าหน้าที่ของรัฐ",
        "แจ้งเบาะแสการกระทำผิด",
    ]),
    ("สาธารณสุข", ["ขอเตียงผู้ป่วย - รถเข็นผู้ป่วย (รถวีลแชร์)", "ขอถังรองรับขยะ"]),
    ("ระบบสาธารณูปโภค", [
        "การซ่อมถนนสาธารณะและรางระบายน้ำ", "ไฟฟ้าสาธารณะ", "ระบบเสียงตามสายขัดข้อง",
    ]),
    ("ขอความช่วยเหลือ", [
        "คำร้องทั่วไป", "บริการข้อมูล/ข่าวสาร", "ขอดูภาพ/ข้อมูลกล้องวงจรปิด (CCTV)",
    ]),
    ("ทรัพยากรธรรมชาติและสิ่งแวดล้อม", ["ตัดต้นไม้", "น้ำเสีย", "แจ้งน้ำท่วม"]),
    ("สังคมและสวัสดิการ", ["รถรับส่งผู้ป่วย"]),
]  # fmt: skip


def test_a_new_organisation_gets_the_manuals_catalogue_in_its_order_and_wording(
    org_a: Organisation,
) -> None:
    categories = Category.objects.filter(organisation=org_a).order_by("position")
    actual = [
        (c.name_th, [t.name_th for t in c.request_types.order_by("position")]) for c in categories
    ]
    assert actual == MANUAL
    assert RequestType.objects.filter(organisation=org_a).count() == 15


def test_only_the_three_complaints_about_agencies_are_confidential(org_a: Organisation) -> None:
    confidential = RequestType.objects.filter(organisation=org_a, is_confidential=True)
    assert {t.category.key for t in confidential} == {"complaints"}
    assert confidential.count() == 3


def test_types_about_a_place_require_a_location(org_a: Organisation) -> None:
    required = set(
        RequestType.objects.filter(organisation=org_a, location=LocationRule.REQUIRED).values_list(
            "name_th", flat=True
        )
    )
    for name in ["การซ่อมถนนสาธารณะและรางระบายน้ำ", "ไฟฟ้าสาธารณะ", "ระบบเสียงตามสายขัดข้อง",
                 "ตัดต้นไม้", "น้ำเสีย", "แจ้งน้ำท่วม"]:  # fmt: skip
        assert name in required


def test_every_type_is_routed_to_a_department_of_its_own_organisation(
    org_a: Organisation, org_b: Organisation
) -> None:
    for request_type in RequestType.objects.filter(organisation=org_a):
        assert request_type.default_department is not None
        assert request_type.default_department.organisation == org_a
    assert org_a.departments.count() == 6


def test_each_organisation_has_its_own_copy_of_the_catalogue(
    org_a: Organisation, org_b: Organisation
) -> None:
    street_light_a = RequestType.objects.get(organisation=org_a, key="street-light")
    street_light_a.name_th = "ไฟถนนเสีย"
    street_light_a.save()
    assert RequestType.objects.get(organisation=org_b, key="street-light").name_th == "ไฟฟ้าสาธารณะ"
