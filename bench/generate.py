"""Fill a PostgreSQL database with a national-scale platform: 8,000 organisations and N requests.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py createcachetable
    .venv/bin/python manage.py load_demo
    .venv/bin/python bench/generate.py --requests 1000000 --check
    # 10 million: copy a generated database, then multiply its requests in SQL
    createdb -S file_copy -T onestop_bench onestop_bench10m
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench10m
    .venv/bin/python bench/generate.py --multiply 10 --jobs 3 --check

About a third of the requests go to the demo organisation `wangchao` (its staff log in with the
demo accounts; `--wangchao-share`), the rest to the other organisations with a long tail (a few
big ones, many small). Each organisation gets the demo organisation's categories, request types
and departments. Requests have Thai subjects and details, a pool of requesters (encrypted national
IDs, as `case_submit` stores them), statuses that fit their age, and the timeline events that led
there (the workflow's own moves, in order); a third have an attachment's metadata (the files
themselves are not written: downloading one is a 404).

How it is fast (1,000,000 requests: 33 min on this 2-core machine at load average 13-22, where
the first version would have taken about 2 hours; Python's own share is about 100 µs a request):
- Rows go by COPY in chunks of 50,000 requests, formatted as COPY text in one string per chunk.
- The report rollups and each request's `CaseState` are counted as the rows are made, by the
  rules of `reports.rollups.count_event` specialised to the generated paths, with working days
  from cumulative counts (O(1); checked at start against the app's `working_days_between` and
  `add_working_days`). `--check` proves the result: it recounts a few organisations with the
  app's own `rollups_rebuild(organisation=…)` in a rolled-back transaction and compares every
  rollup and state row, and compares platform totals (received = requests, open = open).
  `--rollups rebuild` runs the app's rebuild instead (about 300 requests/s).
- No foreign-key trigger per row (`session_replication_role = replica`: the rows are valid by
  construction); secondary indexes and unique constraints of the filled tables are dropped and
  built once at the end (what pg_restore does); `--jobs N` builds them after the commit in N
  connections at once (the trigram GIN index takes most of the time: ~12 min at 1M here).
- `--multiply K` copies the generated requests K-1 times in SQL (INSERT … SELECT: new ids,
  valid unique numbers from the same formula, events, attachments and states with them) and
  counts the rollups K times (the copies keep every key the rollups count by); alone, on a
  database generated earlier, it scales the stored rollups by K less K-1 times the demo's own
  requests (replayed by the app's `reports.rollups.replay`).

Run it again to add more requests (numbers and ids continue)."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import damm  # noqa: E402

from onestop.cases.workflow import OPEN_STATUSES  # noqa: E402
from onestop.core.models import Holiday  # noqa: E402
from onestop.reports.models import (  # noqa: E402
    DAILY_FIELDS,
    HISTOGRAM_LAST,
    CaseState,
    DailyCount,
    Distribution,
    Measure,
    MonthlyCount,
    MonthlyDistribution,
    MonthlyKeyCount,
    MonthlyKeyDistribution,
    OpenCount,
)
from onestop.reports.rollups import (  # noqa: E402
    _STATUS_COUNTERS,
    KEY_NAMES,
    MONTH_KEY_NAMES,
    OPEN_KEY_NAMES,
    Tally,
    _by_month,
    _by_month_keyed,
)

ORGANISATIONS = 8000
TEMPLATE = "wangchao"
PREFIX = "bench-"
YEARS = 3

PLACES = [
    "บ้านใหม่", "หนองบัว", "ดอนแก้ว", "ท่าช้าง", "โพธิ์ทอง", "นาดี", "สันทราย", "บางกรวย", "คลองสาม",
    "เวียงพร้าว", "ห้วยขวาง", "หัวหิน", "ปากน้ำ", "วังน้อย", "ทุ่งสง", "บ่อพลอย", "ศรีสำโรง", "เชียงคาน",
]  # fmt: skip
KINDS = [("subdistrict_municipality", "เทศบาลตำบล"), ("sao", "องค์การบริหารส่วนตำบล"),
         ("town_municipality", "เทศบาลเมือง")]  # fmt: skip
PROVINCES = ["เชียงใหม่", "ขอนแก่น", "นครราชสีมา", "สงขลา", "ชลบุรี", "อุดรธานี", "พิษณุโลก", "ลำปาง"]
SUBJECTS = {
    "street-light": ["ไฟฟ้าส่องสว่างดับ", "ไฟกิ่งดับหลายดวง", "ขอติดตั้งไฟส่องสว่างเพิ่ม"],
    "road-drain": ["ถนนชำรุดเป็นหลุมบ่อ", "ท่อระบายน้ำอุดตัน", "ฝาท่อระบายน้ำแตก"],
    "garbage-bin": ["ขอถังขยะใหม่", "ขยะไม่ได้รับการจัดเก็บ", "ถังขยะชำรุด"],
    "flood": ["น้ำท่วมขังหน้าบ้าน", "น้ำท่วมถนนสัญจรไม่ได้"],
    "tree-cutting": ["ต้นไม้ล้มขวางถนน", "ขอตัดแต่งกิ่งไม้ใกล้สายไฟ"],
    "wastewater": ["น้ำเสียส่งกลิ่นเหม็น", "ร้านค้าปล่อยน้ำเสียลงคลอง"],
    "loudspeaker": ["เสียงตามสายไม่ได้ยิน", "หอกระจายข่าวชำรุด"],
    "cctv": ["ขอภาพกล้องวงจรปิด", "กล้องวงจรปิดไม่ทำงาน"],
}
DEFAULT_SUBJECTS = ["ขอความช่วยเหลือ", "แจ้งเรื่องร้องเรียน", "สอบถามข้อมูล", "ขอรับบริการ"]
DETAILS = [
    "บริเวณหน้าบ้านเลขที่ {n} หมู่ {m} เกิดปัญหามาประมาณ {d} วันแล้ว ",
    "ชาวบ้านในซอยได้รับความเดือดร้อน ขอให้เจ้าหน้าที่มาตรวจสอบโดยเร็ว ",
    "เคยแจ้งผู้ใหญ่บ้านแล้วแต่ยังไม่ได้รับการแก้ไข ",
    "ใกล้โรงเรียนและวัด มีเด็กและผู้สูงอายุสัญจรไปมาเป็นประจำ ",
    "ช่วงกลางคืนมืดมากและเสี่ยงต่อการเกิดอุบัติเหตุ ",
]
FIRST = ["สมชาย", "สมหญิง", "วิชัย", "มาลี", "ประเสริฐ", "สุดา", "อนันต์", "นภา", "ธนพล", "กาญจนา"]
LAST = ["ใจดี", "ศรีสุข", "แก้วมณี", "บุญมา", "ทองคำ", "สายสุวรรณ", "พรหมมา", "จันทร์เพ็ญ"]
CHANNELS = ["web"] * 6 + ["counter"] * 3 + ["phone"]

# Paths through the workflow (moves in order) and how likely each is for an old request and a
# recent one (under 30 days).
PATHS: dict[str, tuple[list[str], float, float]] = {
    "submitted": ([], 0.0, 0.25),
    "received": (["receive"], 0.01, 0.15),
    "in_progress": (["receive", "start"], 0.04, 0.30),
    "waiting_citizen": (["receive", "ask"], 0.01, 0.05),
    "completed": (["receive", "start", "complete"], 0.78, 0.17),
    "rejected": (["reject"], 0.07, 0.03),
    "cancelled": (["cancel"], 0.05, 0.03),
    "forwarded": (["forward"], 0.04, 0.02),
}
TARGET = {"submit": "submitted", "receive": "received", "start": "in_progress",
          "ask": "waiting_citizen", "complete": "completed", "reject": "rejected",
          "cancel": "cancelled", "forward": "forwarded"}  # fmt: skip
CITIZEN_MOVES = {"cancel"}
MESSAGES = {"ask": "กรุณาส่งรูปถ่ายจุดที่เกิดเหตุเพิ่มเติม", "complete": "ดำเนินการแก้ไขเรียบร้อยแล้ว",
            "reject": "ไม่อยู่ในอำนาจหน้าที่ขององค์กร", "forward": "ส่งต่อการไฟฟ้าส่วนภูมิภาค"}  # fmt: skip
CITIZEN_MESSAGES = {"cancel": "แก้ไขได้เองแล้ว ขอยกเลิกคำร้อง"}

CASE_COLUMNS = (
    "id", "number", "subject", "details", "requester_title", "requester_first_name",
    "requester_last_name", "national_id_encrypted", "national_id_hash", "national_id_masked",
    "phone", "email", "house_no", "village_no", "village", "soi", "road", "subdistrict",
    "district", "province", "postcode", "subdistrict_code", "landmark", "channel", "status",
    "priority", "due_date", "submitted_at", "received_at", "completed_at", "updated_at", "version",
    "assignee_id", "department_id", "organisation_id", "request_type_id", "first_response_due",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "case_id", "created_at", "kind", "move", "actor_kind", "actor_id", "from_status",
    "to_status", "public_message", "citizen_message", "internal_note", "data",
)  # fmt: skip
ATTACHMENT_COLUMNS = (
    "case_id", "kind", "file", "original_name", "content_type", "size", "sha256", "is_public",
    "uploaded_at",
)  # fmt: skip


@dataclass(frozen=True)
class TypeInfo:
    id: int
    key: str
    sla_days: int
    department_id: int | None


@dataclass(frozen=True)
class Requester:
    title: str
    first: str
    last: str
    encrypted: str
    hash: str
    masked: str
    phone: str


def log(text: str) -> None:
    print(text, flush=True)


def _execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def organisations_fill() -> None:
    """Up to ORGANISATIONS organisations, each with the template's catalogue and departments."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM organisations_organisation")
        have = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM organisations_organisation WHERE slug = %s", [TEMPLATE])
        row = cursor.fetchone()
    if row is None:
        raise SystemExit(f"run `manage.py load_demo` first (no organisation {TEMPLATE!r})")
    template = row[0]
    missing = ORGANISATIONS - have
    started = time.perf_counter()
    if missing > 0:
        rng = random.Random(7)
        raw = connection.connection
        with (
            raw.cursor() as cursor,
            cursor.copy(
                "COPY organisations_organisation (code, slug, name_th, name_en, kind, province,"
                " district, province_code, district_code, address, phone, email, website, logo,"
                " is_active, created_at, officers_may_complete) FROM STDIN"
            ) as copy,
        ):
            for i in range(missing):
                kind, kind_th = rng.choice(KINDS)
                place = f"{rng.choice(PLACES)}{i % 997 + 1}"
                province = rng.choice(PROVINCES)
                copy.write_row((
                    f"B{have + i:07d}", f"{PREFIX}{have + i:05d}", f"{kind_th}{place}",
                    f"{place} ({i})", kind, province, f"เมือง{province}", "", "",
                    f"ที่ทำการ{kind_th}{place} จังหวัด{province}", "053-000-000", "", "", "",
                    True, timezone.now(), True,
                ))  # fmt: skip
    # The template's catalogue and departments, for every organisation without any (fresh
    # statistics first: without them the planner nests loops over 8,000 × 8,000 rows).
    like = PREFIX + "%"
    _execute("ANALYZE organisations_organisation")
    _execute(
        "INSERT INTO organisations_department (key, name_th, name_en, position, is_active,"
        " organisation_id) SELECT d.key, d.name_th, d.name_en, d.position, d.is_active, o.id"
        " FROM organisations_department d, organisations_organisation o"
        " WHERE d.organisation_id = %s AND o.slug LIKE %s AND NOT EXISTS"
        " (SELECT 1 FROM organisations_department x WHERE x.organisation_id = o.id)",
        [template, like],
    )
    _execute(
        "INSERT INTO catalog_category (key, name_th, name_en, description_th, description_en,"
        " position, is_active, organisation_id) SELECT c.key, c.name_th, c.name_en,"
        " c.description_th, c.description_en, c.position, c.is_active, o.id"
        " FROM catalog_category c, organisations_organisation o"
        " WHERE c.organisation_id = %s AND o.slug LIKE %s AND NOT EXISTS"
        " (SELECT 1 FROM catalog_category x WHERE x.organisation_id = o.id)",
        [template, like],
    )
    _execute("ANALYZE organisations_department, catalog_category")
    _execute(
        "INSERT INTO catalog_requesttype (key, name_th, name_en, description_th, description_en,"
        " position, is_active, sla_days, location, id_card_required, is_confidential,"
        " category_id, default_department_id, organisation_id)"
        " SELECT t.key, t.name_th, t.name_en, t.description_th, t.description_en, t.position,"
        " t.is_active, t.sla_days, t.location, t.id_card_required, t.is_confidential, c.id, d.id,"
        " o.id FROM catalog_requesttype t"
        " JOIN catalog_category tc ON tc.id = t.category_id"
        " LEFT JOIN organisations_department td ON td.id = t.default_department_id"
        " CROSS JOIN organisations_organisation o"
        " JOIN catalog_category c ON c.organisation_id = o.id AND c.key = tc.key"
        " LEFT JOIN organisations_department d ON d.organisation_id = o.id AND d.key = td.key"
        " WHERE t.organisation_id = %s AND o.slug LIKE %s AND NOT EXISTS"
        " (SELECT 1 FROM catalog_requesttype x WHERE x.organisation_id = o.id)",
        [template, like],
    )
    log(f"organisations: {max(missing, 0)} added with their catalogue and departments"
        f" in {time.perf_counter() - started:.1f} s")  # fmt: skip


def _types_by_organisation() -> dict[int, list[TypeInfo]]:
    found: dict[int, list[TypeInfo]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT organisation_id, id, key, sla_days, default_department_id"
            " FROM catalog_requesttype WHERE is_active ORDER BY organisation_id, id"
        )
        for org, pk, key, sla, department in cursor.fetchall():
            found.setdefault(org, []).append(TypeInfo(pk, key, sla, department))
    return found


def _departments_by_organisation() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT organisation_id, id FROM organisations_department ORDER BY id")
        for org, pk in cursor.fetchall():
            found.setdefault(org, []).append(pk)
    return found


def _staff_by_organisation() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT organisation_id, user_id FROM organisations_membership")
        for org, user in cursor.fetchall():
            found.setdefault(org, []).append(user)
    return found


def _requesters(rng: random.Random, count: int = 2000) -> list[Requester]:
    """A pool of citizens, their national IDs stored exactly as `case_submit` stores them."""
    from onestop.core import crypto  # noqa: PLC0415
    from onestop.core.masking import mask_national_id  # noqa: PLC0415

    people = []
    for _ in range(count):
        body = f"{rng.randrange(1, 9)}{rng.randrange(10**11):011d}"
        check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10
        national_id = body + str(check)
        title = rng.choice(["นาย", "นาง", "นางสาว"])
        people.append(
            Requester(
                title, rng.choice(FIRST), rng.choice(LAST), crypto.encrypt(national_id),
                crypto.lookup_hash(national_id), mask_national_id(national_id),
                f"+668{rng.randrange(10**8):08d}",
            )
        )  # fmt: skip
    return people


class Workdays:
    """Thai working days (Monday to Friday less the Holiday table) over the generated span, as
    cumulative counts: `between` is `reports.workdays.working_days_between` and `add` is
    `core.workdays.add_working_days` in O(1) (checked against them in `_workdays_check`)."""

    def __init__(self, first: dt.date, last: dt.date, holidays: set[dt.date]) -> None:
        self.first = first
        self.cumulative: list[int] = []
        self.working: list[dt.date] = []
        count = 0
        day = first
        while day <= last:
            if day.weekday() < 5 and day not in holidays:
                count += 1
                self.working.append(day)
            self.cumulative.append(count)
            day += dt.timedelta(days=1)

    def between(self, start: dt.date, end: dt.date) -> int:
        if end <= start:
            return 0
        return self.cumulative[(end - self.first).days] - self.cumulative[(start - self.first).days]

    def add(self, start: dt.date, days: int) -> dt.date:
        if days <= 0:
            return start
        # working[k] is the (k+1)-th working day since `first`: cumulative[start] of them are
        # on or before `start`.
        return self.working[self.cumulative[(start - self.first).days] + days - 1]


def _workdays_check(workdays: Workdays, rng: random.Random, holidays: set[dt.date]) -> None:
    """The fast working-day arithmetic gives what the app's own functions give."""
    from onestop.core.workdays import add_working_days  # noqa: PLC0415
    from onestop.reports.workdays import working_days_between  # noqa: PLC0415

    span = (timezone.localdate() - workdays.first).days
    for _ in range(2000):
        start = workdays.first + dt.timedelta(days=rng.randrange(span))
        end = start + dt.timedelta(days=rng.randrange(-5, 120))
        days = rng.randrange(0, 40)
        assert workdays.between(start, end) == working_days_between(start, end, holidays=holidays)
        assert workdays.add(start, days) == add_working_days(start, days, holidays=holidays)


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608 (constant)
        return int(cursor.fetchone()[0])


def _number(serial: int, year_be: int) -> str:
    """Unique for every serial below 10**10: an affine bijection modulo 10**10."""
    body = f"{year_be % 100:02d}{(serial * 7_777_777_777 + 1_234_567_891) % 10**10:010d}"
    return body + str(damm.calc_check_digit(body))


PATH_NAMES = list(PATHS)
PATH_WEIGHTS_OLD = list(accumulate(PATHS[name][1] for name in PATH_NAMES))
PATH_WEIGHTS_RECENT = list(accumulate(PATHS[name][2] for name in PATH_NAMES))
OPEN = {str(status) for status in OPEN_STATUSES}
STATUS_COUNTERS = {str(move): name for move, name in _STATUS_COUNTERS.items()}
CHUNK = 50_000
STATE_COLUMNS = (
    "case_id", "channel", "status", "submitted_on", "due_date", "first_response_due",
    "completed_at", "changed_at", "department_id", "organisation_id", "request_type_id",
    "assignee_id", "completed_on_time",
)  # fmt: skip


def _details_pool(rng: random.Random, count: int = 5000) -> list[str]:
    return [
        "".join(rng.sample(DETAILS, 3))
        .format(n=rng.randrange(1, 300), m=rng.randrange(1, 15), d=rng.randrange(1, 20))
        .strip()
        for _ in range(count)
    ]


@dataclass(frozen=True)
class Generated:
    first_case: int
    cases: int
    first_event: int
    events: int
    attachments: int


def requests_fill(  # noqa: PLR0912, PLR0915 (one generator, read top to bottom)
    total: int, *, seed: int, rollups: bool, wangchao_share: float = 1 / 3, factor: int = 1
) -> Generated:
    """`total` requests with their events, attachments and report states, by COPY in chunks,
    counting the rollups as it goes (`reports.rollups.count_event`'s rules, specialised to the
    generated paths and checked against the app's replay by `--check`). Returns the counts."""
    rng = random.Random(seed)
    types = _types_by_organisation()
    departments = _departments_by_organisation()
    staff = _staff_by_organisation()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM organisations_organisation WHERE slug = %s", [TEMPLATE])
        template = cursor.fetchone()[0]
    others = [org for org in types if org != template]
    # A long tail: the k-th organisation is filed with about 1/(k+20) as often as the first.
    tail = list(accumulate(1 / (k + 20) for k in range(len(others))))
    people = _requesters(rng)
    details_pool = _details_pool(rng)
    _plain(details_pool)
    _plain(text for person in people for text in vars(person).values())
    _plain(t for subjects in SUBJECTS.values() for t in subjects)
    _plain([*MESSAGES.values(), *CITIZEN_MESSAGES.values()])
    now = timezone.now()
    zone = timezone.get_current_timezone()
    span = YEARS * 365 * 24 * 3600
    holidays = set(Holiday.objects.values_list("date", flat=True))
    today = timezone.localdate(now)
    workdays = Workdays(
        timezone.localdate(now - dt.timedelta(seconds=span)) - dt.timedelta(days=7),
        today + dt.timedelta(days=800),
        holidays,
    )
    _workdays_check(workdays, random.Random(seed), holidays)
    first_id = _next_id("cases_case")
    event_id = first_event = _next_id("cases_caseevent")
    tally = Tally()
    daily = tally.daily
    distribution = tally.distribution
    open_counts = tally.open
    first_response = Measure.FIRST_RESPONSE.value
    completion = Measure.COMPLETION.value
    cases = events = attachments = 0
    raw = connection.connection
    started = time.perf_counter()
    random_ = rng.random
    choice = rng.choice
    randrange = rng.randrange
    expovariate = rng.expovariate
    hour = dt.timedelta(hours=1)
    for chunk_start in range(0, total, CHUNK):
        size = min(CHUNK, total - chunk_start)
        case_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        attachment_rows: list[tuple[Any, ...]] = []
        state_rows: list[tuple[Any, ...]] = []
        picks = rng.choices(others, cum_weights=tail, k=size)
        for i in range(size):
            serial = chunk_start + i
            organisation = template if random_() < wangchao_share else picks[i]
            kind = choice(types[organisation])
            case_id = first_id + serial
            # Newer requests are more frequent (the platform grows): skewed towards now.
            age = span * (random_() ** 1.6)
            submitted = now - dt.timedelta(seconds=age)
            submitted_on = submitted.astimezone(zone).date()
            status = rng.choices(
                PATH_NAMES,
                cum_weights=PATH_WEIGHTS_RECENT if age < 30 * 86400 else PATH_WEIGHTS_OLD,
            )[0]
            moves = PATHS[status][0]
            person = choice(people)
            department = kind.department_id
            if department is None and departments.get(organisation):
                department = choice(departments[organisation])
            members = staff.get(organisation)
            assignee = choice(members) if members and moves and random_() < 0.4 else None
            subject = choice(SUBJECTS.get(kind.key, DEFAULT_SUBJECTS))
            due = workdays.add(submitted_on, kind.sla_days)
            first_due = workdays.add(submitted_on, min(3, kind.sla_days))
            channel = choice(CHANNELS)
            key = (organisation, kind.id, department, channel)
            event_rows.append((
                event_id, case_id, submitted, "status", "submit", "citizen", None, "",
                "submitted", "", "", "", f'{{"channel": "{channel}"}}',
            ))  # fmt: skip
            event_id += 1
            if rollups:
                daily[(*key, submitted_on)]["received"] += 1
            at = submitted
            current = "submitted"
            received_at = completed_at = None
            on_time: bool | None = None
            for move in moves:
                at = min(at + hour * expovariate(1 / 30), now)
                target = TARGET[move]
                citizen = move in CITIZEN_MOVES
                event_rows.append((
                    event_id, case_id, at, "status", move, "citizen" if citizen else "staff",
                    None if citizen else assignee, current, target, MESSAGES.get(move, ""),
                    CITIZEN_MESSAGES.get(move, ""), "", "{}",
                ))  # fmt: skip
                event_id += 1
                if target == "received":
                    received_at = at
                if target == "completed":
                    completed_at = at
                if rollups:
                    day = at.astimezone(zone).date()
                    counts = daily[(*key, day)]
                    if current == "submitted" and not citizen:
                        counts["first_responded"] += 1
                        days = min(workdays.between(submitted_on, day), HISTOGRAM_LAST)
                        distribution[(*key, day, first_response, days)] += 1
                    counter = STATUS_COUNTERS.get(move)
                    if counter is not None:
                        counts[counter] += 1
                    if move == "complete":
                        days = min(workdays.between(submitted_on, day), HISTOGRAM_LAST)
                        distribution[(*key, day, completion, days)] += 1
                        on_time = workdays.between(due, day) == 0
                        if on_time:
                            counts["completed_on_time"] += 1
                current = target
            if rollups:
                if status in OPEN:
                    open_counts[(*key, status, submitted_on, due, first_due)] += 1
                state_rows.append((
                    case_id, channel, status, submitted_on, due, first_due, completed_at, at,
                    department, organisation, kind.id, assignee,
                    on_time if status == "completed" else None,
                ))  # fmt: skip
            village_no = str(randrange(1, 15))
            case_rows.append((
                case_id, _number(first_id + serial, submitted.astimezone(zone).year + 543),
                subject, choice(details_pool), person.title, person.first, person.last,
                person.encrypted, person.hash, person.masked, person.phone, "",
                str(randrange(1, 300)), village_no, "", "", "", "", "", "", "", "", "", channel,
                status, rng.choices(PRIORITIES, cum_weights=PRIORITY_WEIGHTS)[0], due, submitted,
                received_at, completed_at, at, 1 + len(moves), assignee, department,
                organisation, kind.id, first_due,
            ))  # fmt: skip
            if random_() < 1 / 3:
                digest = hashlib.sha256(str(case_id).encode()).hexdigest()
                attachment_rows.append((
                    case_id, "document", f"cases/{organisation}/bench-{digest[:24]}.jpg",
                    "รูปถ่ายจุดเกิดเหตุ.jpg", "image/jpeg", randrange(80_000, 3_000_000),
                    digest, False, submitted,
                ))  # fmt: skip
        with raw.cursor() as cursor:
            for table, columns, rows in (
                ("cases_case", CASE_COLUMNS, case_rows),
                ("cases_caseevent", EVENT_COLUMNS, event_rows),
                ("cases_attachment", ATTACHMENT_COLUMNS, attachment_rows),
                ("reports_casestate", STATE_COLUMNS, state_rows),
            ):
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    copy.write(_copy_text(rows))
        cases += len(case_rows)
        events += len(event_rows)
        attachments += len(attachment_rows)
        if cases % 200_000 == 0 or cases == total:
            seconds = time.perf_counter() - started
            log(f"  {cases} requests, {events} events, {attachments} attachments written"
                f" in {seconds:.0f} s ({cases / seconds:,.0f} requests/s)")  # fmt: skip
    seconds = time.perf_counter() - started
    log(f"requests: {cases} in {seconds:.1f} s ({cases / seconds:,.0f} requests/s,"
        f" {(cases + events + attachments) / seconds:,.0f} rows/s)")  # fmt: skip
    if rollups:
        t0 = time.perf_counter()
        _write_added(tally, factor)
        log(f"reports rollups written in {time.perf_counter() - t0:.1f} s")
    sequences_reset()
    return Generated(first_id, cases, first_event, events, attachments)


def _copy_text(rows: list[tuple[Any, ...]]) -> str:
    """Rows in COPY's text format, 8× faster than `write_row` one by one: the generated text
    never holds a tab, a newline or a backslash (`_plain` checks the pools)."""
    return "".join(
        "\t".join([
            "\\N" if v is None else "t" if v is True else "f" if v is False else str(v)
            for v in row
        ]) + "\n"
        for row in rows
    )  # fmt: skip


def _plain(texts: Iterable[str]) -> None:
    for text in texts:
        if any(c in text for c in "\t\n\r\\"):
            raise ValueError(f"not plain COPY text: {text!r}")


PRIORITIES = [1, 2, 3, 4]
PRIORITY_WEIGHTS = list(accumulate([1, 6, 2, 1]))


def sequences_reset() -> None:
    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_caseevent", "cases_attachment"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )


ROLLUP_TABLES: tuple[tuple[type[Any], tuple[str, ...], tuple[str, ...]], ...] = (
    # model, key columns, count columns
    (DailyCount, (*KEY_NAMES, "day"), DAILY_FIELDS),
    (Distribution, (*KEY_NAMES, "day", "measure", "value"), ("count",)),
    (OpenCount, OPEN_KEY_NAMES, ("count",)),
    (MonthlyCount, MONTH_KEY_NAMES, DAILY_FIELDS),
    (MonthlyDistribution, (*MONTH_KEY_NAMES, "measure", "value"), ("count",)),
    (MonthlyKeyCount, (*KEY_NAMES, "month"), DAILY_FIELDS),
    (MonthlyKeyDistribution, (*KEY_NAMES, "month", "measure", "value"), ("count",)),
)


def _rollup_rows(source: dict[Any, Any], fields: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The non-empty rows of one part of a tally: counters by key, or one count by key."""
    if fields == ("count",):
        return [(*key, n) for key, n in source.items() if n]
    return [
        (*key, *(counts[name] for name in fields))
        for key, counts in source.items()
        if any(counts.values())
    ]


def _tally_scale(tally: Tally, factor: int) -> None:
    if factor != 1:
        for counts in tally.daily.values():
            for name in counts:
                counts[name] *= factor
        for counter in (tally.distribution, tally.open):
            for key in counter:
                counter[key] *= factor


def _write_added(tally: Tally, factor: int = 1) -> None:
    """Write the rollups of the generated requests plus what the tables already held (the demo's
    requests, an earlier batch): the existing daily, distribution and open rows are read into
    the tally, every rollup table is emptied and written again from it by COPY, the monthly
    ones summed from the daily ones by the app's own `_by_month` and `_by_month_keyed` (what
    `reports.rollups._write`, the rebuild's writer, does, 20× faster). With `factor`, the
    generated requests count `factor` times (they are copied `factor - 1` times)."""
    _tally_scale(tally, factor)
    for row in DailyCount.objects.values_list(*KEY_NAMES, "day", *DAILY_FIELDS):
        tally.daily[row[:5]].update(dict(zip(DAILY_FIELDS, row[5:], strict=True)))
    for *key, count in Distribution.objects.values_list(
        *KEY_NAMES, "day", "measure", "value", "count"
    ):
        tally.distribution[tuple(key)] += count
    for *key, count in OpenCount.objects.values_list(*OPEN_KEY_NAMES, "count"):
        tally.open[tuple(key)] += count
    monthly, monthly_distribution = _by_month(tally)
    keyed, keyed_distribution = _by_month_keyed(tally)
    sources: list[Any] = [
        tally.daily, tally.distribution, tally.open, monthly, monthly_distribution, keyed,
        keyed_distribution,
    ]  # fmt: skip
    with connection.connection.cursor() as cursor:
        for (model, keys, fields), source in zip(ROLLUP_TABLES, sources, strict=True):
            table = model._meta.db_table
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's table)
            with cursor.copy(f"COPY {table} ({', '.join((*keys, *fields))}) FROM STDIN") as copy:
                copy.write(_copy_text(_rollup_rows(source, fields)))


DAMM = damm._operation_table  # the same table as the app's numbers
NUMBER_SQL = (
    "left(number, 2) || lpad(mod(%(id)s::numeric * 7777777777 + 1234567891, 10000000000)::text,"
    " 10, '0')"
)


def _damm_function() -> str:
    table = ",".join(str(digit) for row in DAMM for digit in row)
    return (
        "CREATE FUNCTION pg_temp.damm(body text) RETURNS text LANGUAGE plpgsql IMMUTABLE"
        f" AS $$ DECLARE t int[] := '{{{table}}}'; i int := 0; k int; BEGIN"
        " FOR k IN 1..length(body) LOOP i := t[i * 10 + ascii(substr(body, k, 1)) - 47];"
        " END LOOP; RETURN body || i::text; END $$"
    )


def requests_multiply(generated: Generated, factor: int, *, jobs: int = 1) -> Generated:
    """Copy the generated requests (with their events, attachments and report states)
    `factor - 1` times in SQL, each copy with new ids and a new unique number (`_number` of its
    id, same year); the copies keep every key the rollups count by, so the rollups of the
    originals, counted `factor` times (`requests_fill(factor=…)`), equal a recount.

    With `jobs` > 1 (after the generated rows are committed) the copies run in that many
    connections at once, each copy in its own transaction."""
    first, count = generated.first_case, generated.cases
    last_event = generated.first_event + generated.events - 1
    with connection.cursor() as cursor:
        cursor.execute(_damm_function())
        cursor.execute(
            "SELECT number = pg_temp.damm(left(number, 12)), number = pg_temp.damm("
            + NUMBER_SQL % {"id": "id"}
            + ") FROM cases_case WHERE id = %s",
            [first],
        )
        if cursor.fetchone() != (True, True):
            raise SystemExit("the SQL request number differs from _number: not copying")
        cursor.execute("DROP FUNCTION pg_temp.damm(text)")
    case_columns = _all_columns("cases_case")
    event_columns = _all_columns("cases_caseevent")
    attachment_columns = [c for c in _all_columns("cases_attachment") if c != "id"]
    state_columns = _all_columns("reports_casestate")

    def select(columns: list[str], replaced: dict[str, str]) -> str:
        return ", ".join(replaced.get(column, column) for column in columns)

    def statements(copy: int) -> list[tuple[str, list[int]]]:
        shift = copy * count
        new_id = f"id + {shift}"
        cases = [first, first + count - 1]
        return [
            (
                f"INSERT INTO cases_case ({', '.join(case_columns)}) SELECT "  # noqa: S608
                + select(
                    case_columns,
                    {
                        "id": new_id,
                        "number": "pg_temp.damm(" + NUMBER_SQL % {"id": f"({new_id})"} + ")",
                    },
                )
                + " FROM cases_case WHERE id BETWEEN %s AND %s",
                cases,
            ),
            (
                f"INSERT INTO cases_caseevent ({', '.join(event_columns)}) SELECT "  # noqa: S608
                + select(
                    event_columns,
                    {"id": f"id + {copy * generated.events}", "case_id": f"case_id + {shift}"},
                )
                + " FROM cases_caseevent WHERE id BETWEEN %s AND %s",
                [generated.first_event, last_event],
            ),
            (
                f"INSERT INTO cases_attachment ({', '.join(attachment_columns)}) SELECT "  # noqa: S608
                + select(attachment_columns, {"case_id": f"case_id + {shift}"})
                + " FROM cases_attachment WHERE case_id BETWEEN %s AND %s ORDER BY id",
                cases,
            ),
            (
                f"INSERT INTO reports_casestate ({', '.join(state_columns)}) SELECT "  # noqa: S608
                + select(state_columns, {"case_id": f"case_id + {shift}"})
                + " FROM reports_casestate WHERE case_id BETWEEN %s AND %s",
                cases,
            ),
        ]

    def run(copy: int) -> None:
        t0 = time.perf_counter()
        if jobs == 1:
            with connection.cursor() as cursor:
                cursor.execute(_damm_function() if copy == 1 else "SELECT 1")
                for sql, params in statements(copy):
                    cursor.execute(sql, params)
        else:
            with _connect() as conn, conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                conn.execute("SET LOCAL synchronous_commit = off")
                conn.execute(_damm_function())
                for sql, params in statements(copy):
                    conn.execute(sql, params)
        log(f"  copy {copy}/{factor - 1}: {count} requests and their rows in"
            f" {time.perf_counter() - t0:.1f} s")  # fmt: skip

    if jobs == 1:
        for copy in range(1, factor):
            run(copy)
    else:
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(run, range(1, factor)))
    sequences_reset()
    return Generated(
        first, count * factor, generated.first_event, generated.events * factor,
        generated.attachments * factor,
    )  # fmt: skip


GENERATED_SQL = "substr(number, 3, 10) = " + NUMBER_SQL.removeprefix("left(number, 2) || ") % {
    "id": "id"
}


def generated_existing() -> Generated:
    """The requests this script wrote earlier: those whose number is `_number` of their id
    (a request filed through the app has a random number), which must be the newest ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(id), max(id), count(*) FROM cases_case WHERE {GENERATED_SQL}"  # noqa: S608
        )
        first, last, count = cursor.fetchone()
        cursor.execute("SELECT max(id) FROM cases_case")
        newest = cursor.fetchone()[0]
        if not count or last - first + 1 != count or last != newest:
            raise SystemExit(f"generated requests not one range of the newest ids: {first}..{last}"
                             f" ({count}), newest {newest}")  # fmt: skip
        cursor.execute(
            "SELECT min(id), max(id), count(*) FROM cases_caseevent WHERE case_id >= %s", [first]
        )
        first_event, last_event, events = cursor.fetchone()
        if last_event - first_event + 1 != events:
            raise SystemExit("the generated requests' events are not one range of ids")
        cursor.execute("SELECT count(*) FROM cases_attachment WHERE case_id >= %s", [first])
        attachments = cursor.fetchone()[0]
    return Generated(first, count, first_event, events, attachments)


def rollups_scale(factor: int, first_generated: int) -> None:
    """Rollups for the generated requests counted `factor` times and the others (the demo's)
    once: every count times `factor`, less `factor - 1` times what the app's own replay
    (`reports.rollups.replay`) counts for the requests filed before `first_generated`."""
    from onestop.cases.models import Case  # noqa: PLC0415
    from onestop.reports.rollups import replay  # noqa: PLC0415

    holidays = set(Holiday.objects.values_list("date", flat=True))
    before = (
        Case.objects.filter(pk__lt=first_generated)
        .select_related("organisation", "request_type")
        .prefetch_related("events")
        .order_by("pk")
    )
    demo, _states = replay(before, holidays=holidays)
    monthly, monthly_distribution = _by_month(demo)
    keyed, keyed_distribution = _by_month_keyed(demo)
    sources: list[Any] = [
        demo.daily, demo.distribution, demo.open, monthly, monthly_distribution, keyed,
        keyed_distribution,
    ]  # fmt: skip
    with connection.connection.cursor() as cursor:
        for (model, keys, fields), source in zip(ROLLUP_TABLES, sources, strict=True):
            table = model._meta.db_table
            sets = ", ".join(f"{name} = {name} * {factor}" for name in fields)
            cursor.execute(f"UPDATE {table} SET {sets}")  # noqa: S608 (a model's table)
            cursor.execute(
                f"CREATE TEMP TABLE demo_{table} ON COMMIT DROP AS SELECT"  # noqa: S608
                f" {', '.join((*keys, *fields))} FROM {table} WITH NO DATA"
            )
            with cursor.copy(
                f"COPY demo_{table} ({', '.join((*keys, *fields))}) FROM STDIN"
            ) as copy:
                copy.write(_copy_text(_rollup_rows(source, fields)))
            less = ", ".join(f"{name} = t.{name} - {factor - 1} * d.{name}" for name in fields)
            match = " AND ".join(f"t.{name} IS NOT DISTINCT FROM d.{name}" for name in keys)
            cursor.execute(
                f"UPDATE {table} t SET {less} FROM demo_{table} d WHERE {match}"  # noqa: S608
            )
    log(f"rollups scaled ×{factor}, the demo's {len(_states)} requests counted once")


def _all_columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
            " AND NOT attisdropped ORDER BY attnum",
            [table],
        )
        return [name for (name,) in cursor.fetchall()]


def rollups_check(slugs: list[str]) -> bool:
    """Whether the rollups and report states of each organisation equal a recount by the app's
    own `reports.rollups.rollups_rebuild(organisation=…)` (run and rolled back), and whether
    the platform-wide totals match the requests (received = requests, open = open requests,
    one state per request)."""
    from onestop.organisations.models import Organisation  # noqa: PLC0415
    from onestop.reports.rollups import rollups_rebuild  # noqa: PLC0415

    models: list[tuple[type[Any], tuple[str, ...]]] = [
        (model, (*keys, *fields)) for model, keys, fields in ROLLUP_TABLES
    ]
    models.append((CaseState, STATE_COLUMNS))
    good = True
    for slug in slugs:
        organisation = Organisation.objects.get(slug=slug)

        def snapshot(
            organisation: Organisation = organisation,
        ) -> dict[str, Counter[tuple[Any, ...]]]:
            return {
                model._meta.db_table: Counter(
                    model.objects.filter(organisation=organisation).values_list(*names)
                )
                for model, names in models
            }

        stored = snapshot()
        t0 = time.perf_counter()
        with transaction.atomic():
            counted = rollups_rebuild(organisation=organisation)
            recounted = snapshot()
            transaction.set_rollback(True)
        rows = sum(sum(c.values()) for c in stored.values())
        seconds = time.perf_counter() - t0
        log(f"check {slug}: {counted} requests recounted by reports.rollups.rollups_rebuild"
            f" in {seconds:.1f} s; {rows} rollup and state rows compared")  # fmt: skip
        for table, rows_stored in stored.items():
            if rows_stored != recounted[table]:
                good = False
                missing = recounted[table] - rows_stored
                extra = rows_stored - recounted[table]
                log(f"  MISMATCH {table}: {sum(missing.values())} rows missing,"
                    f" {sum(extra.values())} extra; e.g. {list(missing)[:2]}"
                    f" / {list(extra)[:2]}")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM cases_case), (SELECT coalesce(sum(received), 0)"
            " FROM reports_dailycount), (SELECT coalesce(sum(received), 0) FROM"
            " reports_monthlycount), (SELECT count(*) FROM reports_casestate),"
            " (SELECT count(*) FROM cases_case WHERE status = ANY(%s)),"
            " (SELECT coalesce(sum(count), 0) FROM reports_opencount)",
            [sorted(OPEN)],
        )
        requests, received, monthly, states, open_now, open_counted = cursor.fetchone()
    totals = (requests == received == monthly == states) and open_now == open_counted
    good = good and totals
    log(f"check platform: {requests} requests, {received} received by day, {monthly} by month,"
        f" {states} states; {open_now} open, {open_counted} counted open:"
        f" {'ok' if totals else 'MISMATCH'}")  # fmt: skip
    return good


def _check_sample() -> list[str]:
    """A few organisations to recount: small, middling and bigger (by their requests)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT o.slug, count(*) FROM cases_case c JOIN organisations_organisation o"
            " ON o.id = c.organisation_id WHERE o.slug LIKE %s GROUP BY o.slug"
            " HAVING count(*) BETWEEN 5 AND 3000 ORDER BY count(*), o.slug",
            [PREFIX + "%"],
        )
        found = [slug for slug, _n in cursor.fetchall()]
    return [found[i] for i in sorted({0, len(found) // 2, len(found) - 1})] if found else []


def indexes_drop() -> list[str]:
    """Drop the secondary indexes and unique constraints (not the primary keys) of the tables
    filled here before a big COPY and return what rebuilds them: building them once afterwards
    is several times faster than keeping them up to date row by row (what pg_restore does)."""
    tables = ["cases_case", "cases_caseevent", "cases_attachment", "reports_casestate"] + [
        model._meta.db_table for model, _keys, _fields in ROLLUP_TABLES
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM"
            " pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype = 'u'",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in constraints
    ]


def indexes_create(definitions: list[str]) -> None:
    if not definitions:
        return
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for definition in definitions:
            t1 = time.perf_counter()
            cursor.execute(definition)
            log(f"  {time.perf_counter() - t1:6.1f} s {definition[:110]}")
    log(f"{len(definitions)} indexes rebuilt in {time.perf_counter() - t0:.1f} s")


def _connect() -> Any:
    import psycopg  # noqa: PLC0415

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
        host=settings["HOST"], port=settings["PORT"] or None, autocommit=True,
    )  # fmt: skip


def _table_of(definition: str) -> str:
    found = re.match(
        r"ALTER TABLE (\S+)|CREATE (?:UNIQUE )?INDEX \S+ ON (?:public\.)?(\S+)", definition
    )
    if found is None:
        raise ValueError(definition)
    return found.group(1) or found.group(2)


def indexes_create_parallel(definitions: list[str], jobs: int) -> None:
    """The indexes built after the data is committed, by `jobs` connections at once (CREATE
    INDEX only share-locks its table; the biggest, the trigram GIN, first), each table then
    vacuumed and analysed as soon as its last index is built (visibility map for index-only
    scans, hint bits, statistics), the others after."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415
    from threading import Lock  # noqa: PLC0415

    def run(statement: str) -> None:
        with _connect() as conn:
            conn.execute("SET maintenance_work_mem = '1GB'")
            t1 = time.perf_counter()
            conn.execute(statement)
            log(f"  {time.perf_counter() - t1:6.1f} s {statement[:110]}")

    left = Counter(_table_of(d) for d in definitions)
    lock = Lock()
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace ="
            " 'public'::regnamespace ORDER BY pg_relation_size(oid) DESC"
        )
        tables = [name for (name,) in cursor.fetchall()]
    with ThreadPoolExecutor(jobs) as pool:

        def build(definition: str) -> None:
            run(definition)
            table = _table_of(definition)
            with lock:
                left[table] -= 1
                last = left[table] == 0
            if last:
                futures.append(pool.submit(run, f'VACUUM (ANALYZE) "{table}"'))

        # Unique constraints first: ADD CONSTRAINT locks its table exclusively, so behind a
        # running index build it would wait, and block every reader, for as long as that build.
        ordered = sorted(definitions, key=lambda d: ("ADD " not in d, " gin " not in d.lower()))
        futures = [pool.submit(build, definition) for definition in ordered]
        futures += [
            pool.submit(run, f'VACUUM (ANALYZE) "{table}"') for table in tables if table not in left
        ]
        done = 0
        while done < len(futures):  # a build's last index adds its table's VACUUM
            futures[done].result()
            done += 1
    log(f"{len(definitions)} indexes built, VACUUM ANALYZE done in"
        f" {time.perf_counter() - t0:.1f} s by {jobs} jobs")  # fmt: skip


def main() -> None:  # noqa: PLR0912, PLR0915 (the options, in order)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1, help="change it to add another batch")
    parser.add_argument(
        "--wangchao-share", type=float, default=1 / 3, help="share of requests in wangchao"
    )
    parser.add_argument(
        "--multiply", type=int, default=1, metavar="K",
        help="then copy the generated requests K-1 times in SQL and scale the rollups",
    )  # fmt: skip
    parser.add_argument(
        "--rollups",
        choices=["count", "rebuild", "skip"],
        default="count",
        help="count: the rollups as the requests are generated (fast); rebuild: the app's"
        " `reports_rebuild` afterwards (slow: about 300 requests/s here)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1,
        help="build the indexes (dropped for big runs) after the commit with this many"
        " connections at once, then VACUUM ANALYZE table by table",
    )  # fmt: skip
    parser.add_argument(
        "--check", nargs="*", metavar="SLUG",
        help="after generating (or alone): recount these organisations (default: three small"
        " ones) with the app's rollups_rebuild, rolled back, and compare; exit 1 on a mismatch",
    )  # fmt: skip
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/generate.py fills PostgreSQL only: set DATABASE_URL")
    started = time.perf_counter()
    if options.requests or options.multiply > 1:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Rows are valid by construction: no foreign-key trigger per row (pg_restore
                # does the same); nothing waits for the WAL flush.
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL synchronous_commit = off")
            if options.requests:
                organisations_fill()
                big = options.requests * options.multiply >= 50_000
                dropped = indexes_drop() if big else []
                generated = requests_fill(
                    options.requests, seed=options.seed, rollups=options.rollups == "count",
                    wangchao_share=options.wangchao_share, factor=options.multiply,
                )  # fmt: skip
            else:  # the requests generated earlier, copied
                generated = generated_existing()
                log(f"multiplying the {generated.cases} generated requests"
                    f" (ids {generated.first_case}..) ×{options.multiply}")  # fmt: skip
                dropped = indexes_drop()
                rollups_scale(options.multiply, generated.first_case)
            if options.multiply > 1 and options.jobs == 1:
                generated = requests_multiply(generated, options.multiply)
            if options.jobs == 1:
                indexes_create(dropped)
            else:
                name = connection.settings_dict["NAME"]
                saved = Path(tempfile.gettempdir()) / f"generate-indexes-{name}.sql"
                saved.write_text("".join(f"{d};\n" for d in dropped))
                log(f"indexes to build after the commit saved in {saved}")
        if options.multiply > 1 and options.jobs > 1:
            generated = requests_multiply(generated, options.multiply, jobs=options.jobs)
        if options.jobs > 1:
            indexes_create_parallel(dropped, options.jobs)
        rows = generated.cases + generated.events + generated.attachments
        seconds = time.perf_counter() - started
        log(f"requests, events, attachments: {rows} rows in {seconds:.1f} s"
            f" ({rows / seconds:,.0f} rows/s overall)")  # fmt: skip
        if options.rollups == "rebuild":  # the app's own command, for comparison
            from onestop.reports.rollups import rollups_rebuild  # noqa: PLC0415

            t0 = time.perf_counter()
            counted = rollups_rebuild()
            seconds = time.perf_counter() - t0
            log(f"reports rollups rebuilt from the event log: {counted} requests in"
                f" {seconds:.1f} s ({counted / seconds:,.0f} requests/s)")  # fmt: skip
        if options.jobs == 1:
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            log(f"VACUUM ANALYZE in {time.perf_counter() - t0:.1f} s")
        log(f"total {time.perf_counter() - started:.1f} s")
    if options.check is not None:
        slugs = options.check or _check_sample()
        if not rollups_check(slugs):
            raise SystemExit(1)


if __name__ == "__main__":
    main()
