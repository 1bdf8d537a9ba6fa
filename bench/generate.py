"""Fill a PostgreSQL database with a national-scale platform: 8,000 organisations and N requests.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/onestop_bench DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/generate.py --requests 1000000

About a third of the requests go to the demo organisation `wangchao` (its staff log in with the
demo accounts), the rest to the other organisations with a long tail (a few big ones, many small).
Each organisation gets the demo organisation's categories, request types and departments.
Requests have Thai subjects and details, a pool of requesters (encrypted national IDs, as
`case_submit` stores them), statuses that fit their age, and the timeline events that led there
(the workflow's own moves, in order); a third have an attachment's metadata (the files themselves
are not written: downloading one is a 404). Rows are written with COPY; the report rollups are then
rebuilt from the event log (`--rollups rebuild`, the default; `--rollups skip` to leave them).

Run it again to add more requests (numbers and ids continue). Prints rows per second per table."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import damm  # noqa: E402

from onestop.cases.models import Case, CaseEvent  # noqa: E402
from onestop.core.models import Holiday  # noqa: E402
from onestop.reports.models import (  # noqa: E402
    DAILY_FIELDS,
    CaseState,
    DailyCount,
    Distribution,
    MonthlyCount,
    MonthlyDistribution,
    OpenCount,
)
from onestop.reports.rollups import (  # noqa: E402
    KEY_NAMES,
    MONTH_KEY_NAMES,
    OPEN_KEY_NAMES,
    Tally,
    _by_month,
    _merge,
    replay,
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


def _add_working_days(start: dt.date, days: int) -> dt.date:
    """Weekends skipped (holidays ignored: close enough for a benchmark)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608 (constant)
        return int(cursor.fetchone()[0])


def _number(serial: int, year_be: int) -> str:
    """Unique for every serial below 10**10: an affine bijection modulo 10**10."""
    body = f"{year_be % 100:02d}{(serial * 7_777_777_777 + 1_234_567_891) % 10**10:010d}"
    return body + str(damm.calc_check_digit(body))


def _path(rng: random.Random, age_days: float) -> tuple[str, list[str]]:
    recent = age_days < 30
    names = list(PATHS)
    weights = [PATHS[name][2] if recent else PATHS[name][1] for name in names]
    status = rng.choices(names, weights)[0]
    return status, PATHS[status][0]


def requests_fill(  # noqa: PLR0915 (one generator, read top to bottom)
    total: int, *, seed: int, rollups: bool
) -> tuple[int, int, int]:
    """`total` requests with their events and attachments, by COPY. Returns the row counts."""
    rng = random.Random(seed)
    types = _types_by_organisation()
    departments = _departments_by_organisation()
    staff = _staff_by_organisation()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM organisations_organisation WHERE slug = %s", [TEMPLATE])
        template = cursor.fetchone()[0]
    others = [org for org in types if org != template]
    # A long tail: the k-th organisation is filed with about 1/(k+20) as often as the first.
    tail = [1 / (k + 20) for k in range(len(others))]
    people = _requesters(rng)
    now = timezone.now()
    span = YEARS * 365 * 24 * 3600
    first_id = _next_id("cases_case")
    event_ids = iter(range(_next_id("cases_caseevent"), 2**62))
    serial_base = first_id
    cases = events = attachments = 0
    raw = connection.connection

    def rows() -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]], tuple[Any, ...] | None]]:
        organisation_picks: Iterator[int] = iter(())
        for i in range(total):
            if i % 10_000 == 0:
                organisation_picks = iter(rng.choices(others, tail, k=10_000))
            organisation = template if rng.random() < 1 / 3 else next(organisation_picks)
            kind = rng.choice(types[organisation])
            case_id = first_id + i
            # Newer requests are more frequent (the platform grows): skewed towards now.
            age = span * (rng.random() ** 1.6)
            submitted = now - dt.timedelta(seconds=age)
            local = timezone.localtime(submitted)
            age_days = age / 86400
            status, moves = _path(rng, age_days)
            person = rng.choice(people)
            department = kind.department_id
            if department is None and departments.get(organisation):
                department = rng.choice(departments[organisation])
            members = staff.get(organisation, [])
            assignee = rng.choice(members) if members and moves and rng.random() < 0.4 else None
            subject = rng.choice(SUBJECTS.get(kind.key, DEFAULT_SUBJECTS))
            details = (
                "".join(rng.sample(DETAILS, 3))
                .format(n=rng.randrange(1, 300), m=rng.randrange(1, 15), d=rng.randrange(1, 20))
                .strip()
            )
            due = _add_working_days(local.date(), kind.sla_days)
            first_due = _add_working_days(local.date(), min(3, kind.sla_days))
            at = submitted
            channel = rng.choice(CHANNELS)
            timeline: list[tuple[Any, ...]] = [(
                next(event_ids), case_id, at, "status", "submit", "citizen", None, "",
                "submitted", "", "", "", f'{{"channel": "{channel}"}}',
            )]  # fmt: skip
            current = "submitted"
            received_at = completed_at = None
            for move in moves:
                at = min(at + dt.timedelta(hours=rng.expovariate(1 / 30)), now)
                target = TARGET[move]
                citizen = move in CITIZEN_MOVES
                timeline.append((
                    next(event_ids), case_id, at, "status", move, "citizen" if citizen else "staff",
                    None if citizen else assignee, current, target, MESSAGES.get(move, ""),
                    CITIZEN_MESSAGES.get(move, ""), "", "{}",
                ))  # fmt: skip
                if target == "received":
                    received_at = at
                if target == "completed":
                    completed_at = at
                current = target
            village_no = str(rng.randrange(1, 15))
            case = (
                case_id, _number(serial_base + i, local.year + 543), subject, details,
                person.title, person.first, person.last, person.encrypted, person.hash,
                person.masked, person.phone, "", str(rng.randrange(1, 300)), village_no, "",
                "", "", "", "", "", "", "", "", channel, status,
                rng.choices([1, 2, 3, 4], [1, 6, 2, 1])[0], due, submitted, received_at,
                completed_at, at, 1 + len(moves), assignee, department, organisation, kind.id,
                first_due,
            )  # fmt: skip
            attachment = None
            if rng.random() < 1 / 3:
                digest = hashlib.sha256(str(case_id).encode()).hexdigest()
                attachment = (
                    case_id, "document", f"cases/{organisation}/bench-{digest[:24]}.jpg",
                    "รูปถ่ายจุดเกิดเหตุ.jpg", "image/jpeg", rng.randrange(80_000, 3_000_000),
                    digest, False, submitted,
                )  # fmt: skip
            yield case, timeline, attachment

    started = time.perf_counter()
    pending_events: list[tuple[Any, ...]] = []
    pending_attachments: list[tuple[Any, ...]] = []
    tally = Tally() if rollups else None
    states: list[CaseState] = []
    batch: list[Case] = []
    holidays = set(Holiday.objects.values_list("date", flat=True))
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY cases_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
            for case, timeline, attachment in rows():
                copy.write_row(case)
                pending_events.extend(timeline)
                if attachment is not None:
                    pending_attachments.append(attachment)
                if tally is not None:
                    batch.append(_as_model(case, timeline))
                    if len(batch) == 5000:
                        part, done = replay(batch, holidays=holidays)
                        _merge(tally, part)
                        states.extend(done)
                        batch = []
                cases += 1
                if cases % 100_000 == 0:
                    rate = cases / (time.perf_counter() - started)
                    log(f"  {cases} requests generated ({rate:,.0f}/s)")
        if tally is not None and batch:
            part, done = replay(batch, holidays=holidays)
            _merge(tally, part)
            states.extend(done)
        case_seconds = time.perf_counter() - started
        log(
            f"cases_case: {cases} rows in {case_seconds:.1f} s ({cases / case_seconds:,.0f} rows/s)"
        )
        t0 = time.perf_counter()
        with cursor.copy(f"COPY cases_caseevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
            for event in pending_events:
                copy.write_row(event)
        events = len(pending_events)
        seconds = time.perf_counter() - t0
        log(f"cases_caseevent: {events} rows in {seconds:.1f} s ({events / seconds:,.0f} rows/s)")
        t0 = time.perf_counter()
        with cursor.copy(
            f"COPY cases_attachment ({', '.join(ATTACHMENT_COLUMNS)}) FROM STDIN"
        ) as copy:
            for attachment in pending_attachments:
                copy.write_row(attachment)
        attachments = len(pending_attachments)
        seconds = time.perf_counter() - t0
        log(f"cases_attachment: {attachments} rows in {seconds:.1f} s"
            f" ({attachments / max(seconds, 1e-9):,.0f} rows/s)")  # fmt: skip
        if tally is not None:
            t0 = time.perf_counter()
            rollups_add(tally, states, cursor)
            log(f"reports rollups (counted by the app's own replay of the generated events):"
                f" {len(states)} requests in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        for table in ("cases_case", "cases_caseevent", "cases_attachment"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
    return cases, events, attachments


CASE_FIELDS = {name: name for name in CASE_COLUMNS}


def _as_model(row: tuple[Any, ...], timeline: list[tuple[Any, ...]]) -> Case:
    """The request and its events as unsaved model objects, for `reports.rollups.replay`."""
    case = Case(**dict(zip(CASE_COLUMNS, row, strict=True)))
    events = []
    for values in timeline:
        fields = dict(zip(EVENT_COLUMNS, values, strict=True))
        data = fields.pop("data")
        events.append(CaseEvent(**fields, data=json.loads(data)))
    case._prefetched_objects_cache = {"events": events}  # type: ignore[attr-defined]
    return case


def rollups_add(tally: Tally, states: list[CaseState], cursor: Any) -> None:
    """Add the generated requests' counts to the rollups (`tally_apply`: increments, so that
    what was there, the demo's requests, stays counted) and their states by COPY."""
    t0 = time.perf_counter()
    _write_added(tally)
    log(f"  rollup rows added in {time.perf_counter() - t0:.1f} s")
    columns = ("case_id", "channel", "status", "submitted_on", "due_date", "first_response_due",
               "completed_at", "changed_at", "department_id", "organisation_id",
               "request_type_id")  # fmt: skip
    with cursor.copy(f"COPY reports_casestate ({', '.join(columns)}) FROM STDIN") as copy:
        for state in states:
            copy.write_row(tuple(getattr(state, name) for name in columns))


def _rows(model: type[Any]) -> Iterator[dict[str, Any]]:
    yield from model._default_manager.values()


def _write_added(tally: Tally) -> None:
    """Write the rollups of the generated requests plus what the tables already held (the demo's
    requests): the existing rows are read into the tally, deleted and written again with it
    (one bulk write instead of an increment per key)."""
    for row in _rows(DailyCount):
        key = tuple(row[name] for name in (*KEY_NAMES, "day"))
        tally.daily[key].update({name: row[name] for name in DAILY_FIELDS})
    for row in _rows(Distribution):
        tally.distribution[tuple(row[n] for n in (*KEY_NAMES, "day", "measure", "value"))] += row[
            "count"
        ]
    for row in _rows(OpenCount):
        tally.open[tuple(row[name] for name in OPEN_KEY_NAMES)] += row["count"]
    for model in (DailyCount, Distribution, MonthlyCount, MonthlyDistribution, OpenCount):
        model._default_manager.all().delete()
    _copy_tally(tally)


def _copy_tally(tally: Tally) -> None:
    """`reports.rollups._write` (the rebuild's writer) by COPY: the same rows, 20× faster."""
    monthly, monthly_distribution = _by_month(tally)
    tables: list[tuple[type[Any], tuple[str, ...], Iterator[tuple[Any, ...]]]] = [
        (DailyCount, (*KEY_NAMES, "day", *DAILY_FIELDS),
         ((*k, *(c[n] for n in DAILY_FIELDS)) for k, c in tally.daily.items() if any(c.values()))),
        (Distribution, (*KEY_NAMES, "day", "measure", "value", "count"),
         ((*k, n) for k, n in tally.distribution.items() if n)),
        (OpenCount, (*OPEN_KEY_NAMES, "count"), ((*k, n) for k, n in tally.open.items() if n)),
        (MonthlyCount, (*MONTH_KEY_NAMES, *DAILY_FIELDS),
         ((*k, *(c[n] for n in DAILY_FIELDS)) for k, c in monthly.items() if any(c.values()))),
        (MonthlyDistribution, (*MONTH_KEY_NAMES, "measure", "value", "count"),
         ((*k, n) for k, n in monthly_distribution.items() if n)),
    ]  # fmt: skip
    with connection.connection.cursor() as cursor:
        for model, columns, rows in tables:
            table = model._meta.db_table
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def indexes_drop() -> list[str]:
    """Drop the requests' and events' secondary indexes (not those behind constraints) before a
    big COPY and return their definitions: building them once afterwards is several times
    faster than keeping them up to date row by row (what pg_restore does)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename IN"
            " ('cases_case', 'cases_caseevent', 'cases_attachment') AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def indexes_create(definitions: list[str]) -> None:
    if not definitions:
        return
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        # The foreign keys' checks of the rows copied in this transaction run now: PostgreSQL
        # builds no index on a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)
    log(f"{len(definitions)} indexes rebuilt in {time.perf_counter() - t0:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1, help="change it to add another batch")
    parser.add_argument(
        "--rollups",
        choices=["replay", "rebuild", "skip"],
        default="replay",
        help="replay: count the generated events with the app's own replay as they are written"
        " (fast); rebuild: `reports_rebuild` afterwards (slow: about 300 requests/s here)",
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/generate.py fills PostgreSQL only: set DATABASE_URL")
    started = time.perf_counter()
    with transaction.atomic():
        organisations_fill()
        dropped = indexes_drop() if options.requests >= 50_000 else []
        cases, events, attachments = requests_fill(
            options.requests, seed=options.seed, rollups=options.rollups == "replay"
        )
        indexes_create(dropped)
    rows = cases + events + attachments
    seconds = time.perf_counter() - started
    log(f"requests, events, attachments: {rows} rows in {seconds:.1f} s"
        f" ({rows / seconds:,.0f} rows/s overall)")  # fmt: skip
    if options.rollups == "rebuild":  # the app's own command, for comparison
        from onestop.reports.rollups import rollups_rebuild  # noqa: PLC0415

        t0 = time.perf_counter()
        counted = rollups_rebuild()
        seconds = time.perf_counter() - t0
        log(f"reports rollups rebuilt from the event log: {counted} requests in {seconds:.1f} s"
            f" ({counted / seconds:,.0f} requests/s)")  # fmt: skip
    t0 = time.perf_counter()
    _execute("ANALYZE")
    log(f"ANALYZE in {time.perf_counter() - t0:.1f} s; total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
