"""Thailand's fixed-date public holidays. The lunar Buddhist holidays (มาฆบูชา, วิสาขบูชา,
อาสาฬหบูชา, เข้าพรรษา) and substitution days move every year and are announced by the cabinet:
operators add them in the admin (core → วันหยุดราชการ)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from onestop.core.models import Holiday

# (month, day, Thai name, English name)
FIXED_HOLIDAYS: tuple[tuple[int, int, str, str], ...] = (
    (1, 1, "วันขึ้นปีใหม่", "New Year's Day"),
    (4, 6, "วันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราชและวันที่ระลึกมหาจักรีบรมราชวงศ์", "Chakri Memorial Day"),
    (4, 13, "วันสงกรานต์", "Songkran Festival"),
    (4, 14, "วันสงกรานต์", "Songkran Festival"),
    (4, 15, "วันสงกรานต์", "Songkran Festival"),
    (5, 4, "วันฉัตรมงคล", "Coronation Day"),
    (6, 3, "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี", "Queen Suthida's Birthday"),
    (7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว", "King's Birthday"),
    (8, 12, "วันแม่แห่งชาติ", "Queen Mother's Birthday and Mother's Day"),
    (10, 13, "วันนวมินทรมหาราช", "King Bhumibol Memorial Day"),
    (10, 23, "วันปิยมหาราช", "Chulalongkorn Day"),
    (12, 5, "วันพ่อแห่งชาติ", "King Bhumibol's Birthday and Father's Day"),
    (12, 10, "วันรัฐธรรมนูญ", "Constitution Day"),
    (12, 31, "วันสิ้นปี", "New Year's Eve"),
)  # fmt: skip


@transaction.atomic
def holidays_load_fixed(*, year: int) -> int:
    """Add the fixed-date holidays of `year` (Common Era) that are not there yet; return how many
    were added. Dates an operator already entered are left as they are."""
    added = 0
    for month, day, name_th, name_en in FIXED_HOLIDAYS:
        _holiday, created = Holiday.objects.get_or_create(
            date=dt.date(year, month, day), defaults={"name_th": name_th, "name_en": name_en}
        )
        added += created
    return added
