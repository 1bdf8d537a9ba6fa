"""The departments every new organisation starts with (typical of a Thai municipality)."""

from typing import NamedTuple


class DefaultDepartment(NamedTuple):
    key: str
    name_th: str
    name_en: str


DEFAULT_DEPARTMENTS: tuple[DefaultDepartment, ...] = (
    DefaultDepartment("office", "สำนักปลัด", "Office of the Permanent Secretary"),
    DefaultDepartment("finance", "กองคลัง", "Finance Division"),
    DefaultDepartment("engineering", "กองช่าง", "Public Works Division"),
    DefaultDepartment("health", "กองสาธารณสุขและสิ่งแวดล้อม", "Public Health and Environment Division"),
    DefaultDepartment("education", "กองการศึกษา", "Education Division"),
    DefaultDepartment("welfare", "กองสวัสดิการสังคม", "Social Welfare Division"),
)
