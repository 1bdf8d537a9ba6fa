import datetime as dt
import zoneinfo

from django.utils import translation

from onestop.core.holidays import FIXED_HOLIDAYS, holidays_load_fixed
from onestop.core.models import Holiday
from onestop.core.thaidate import format_date, format_datetime
from onestop.core.workdays import add_working_days

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def test_thai_dates_use_the_buddhist_era_year() -> None:
    with translation.override("th"):
        assert format_date(dt.date(2026, 11, 25)) == "25 พฤศจิกายน 2569"
        assert format_date(dt.date(2026, 1, 2), short=True) == "2 ม.ค. 2569"
    with translation.override("en"):
        assert format_date(dt.date(2026, 11, 25)) == "25 November 2026"


def test_times_are_shown_in_bangkok_time() -> None:
    utc_evening = dt.datetime(2026, 11, 25, 18, 30, tzinfo=dt.UTC)  # 01:30 next day in Bangkok
    with translation.override("th"):
        assert format_datetime(utc_evening) == "26 พฤศจิกายน 2569 เวลา 01:30 น."


def test_due_dates_skip_weekends_and_holidays(db: None) -> None:
    friday = dt.date(2026, 12, 4)
    assert add_working_days(friday, 1, holidays=[]) == dt.date(2026, 12, 7)  # Monday
    Holiday.objects.create(date=dt.date(2026, 12, 7), name_th="วันหยุดชดเชยวันพ่อแห่งชาติ")
    Holiday.objects.create(date=dt.date(2026, 12, 10), name_th="วันรัฐธรรมนูญ")
    assert add_working_days(friday, 1) == dt.date(2026, 12, 8)
    assert add_working_days(friday, 4) == dt.date(2026, 12, 14)


def test_fixed_holidays_are_loaded_once_and_an_operators_entry_is_kept(db: None) -> None:
    Holiday.objects.create(date=dt.date(2026, 12, 31), name_th="วันสิ้นปี (แก้ไขโดยผู้ดูแล)")
    added = holidays_load_fixed(year=2026)
    assert added == len(FIXED_HOLIDAYS) - 1
    assert holidays_load_fixed(year=2026) == 0
    assert Holiday.objects.get(date=dt.date(2026, 12, 31)).name_th == "วันสิ้นปี (แก้ไขโดยผู้ดูแล)"
    # A request filed on Friday 4 December 2026 with a 1-day target: Monday 7th is a working day.
    assert add_working_days(dt.date(2026, 12, 4), 1) == dt.date(2026, 12, 7)
    assert add_working_days(dt.date(2026, 12, 9), 1) == dt.date(2026, 12, 11)  # skips the 10th
