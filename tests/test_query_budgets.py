"""Query budgets: every staff page and every citizen page reads the database a bounded number of
times, and the same number of times however much there is to show (3 requests or 30, one file
or five): a page whose count grows with its rows has an N+1 and gets slower as an organisation
grows. Each budget is the count measured when it was set (in the comment) plus a small margin;
a change that needs more should say why in the same commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onestop.backoffice.permissions import staff_access
from onestop.backoffice.services import reply_template_create
from onestop.cases.models import Case, RoutingRule
from onestop.cases.services import By, case_assign, case_transition
from onestop.cases.workflow import Actor, Status
from onestop.catalog.models import RequestType
from onestop.core.audit import audit_record
from onestop.core.models import AuditAction
from onestop.organisations.models import Organisation, Role
from onestop.organisations.services import staff_create
from tests.backoffice_helpers import pdf_file, sign_in
from tests.conftest import PASSWORD, Staff
from tests.factories import make_case, make_organisation, request_type
from tests.uploadfiles import jpeg_bytes, upload
from tests.wizard import confirm, fill_details, fill_documents, fill_place, url

FEW, MANY = 3, 30
Grow = Callable[[Organisation, Staff, int], None]


def _count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


# --- What the staff pages list -------------------------------------------------------------------


def requests_in_tabs(organisation: Organisation, staff: Staff, n: int) -> None:
    """`n` street-light requests (engineering's), spread over the inbox's tabs: new, received and
    assigned to the head, waiting for the citizen, overdue, completed."""
    for i in range(n):
        case = make_case(organisation)
        if i % 5 == 0:
            continue  # new
        case = case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
        if i % 5 == 1:
            case_assign(
                case=case, department=organisation.departments.get(key="engineering"),
                assignee=staff.head, by=By.staff(staff.counter),
            )  # fmt: skip
        elif i % 5 == 2:
            case_transition(
                case=case, to=Status.WAITING_CITIZEN, actor_kind=Actor.STAFF, public_message="ขอรูป"
            )
        elif i % 5 == 3:
            Case.objects.filter(pk=case.pk).update(
                due_date=timezone.localdate() - dt.timedelta(days=1)
            )
        else:
            case = case_transition(case=case, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF)
            case_transition(
                case=case, to=Status.COMPLETED, actor_kind=Actor.STAFF, public_message="เสร็จแล้ว"
            )


def case_history(organisation: Organisation, staff: Staff, n: int) -> None:
    """The organisation's first request (made, with a file, if there is none) gets about `n` more
    timeline events: questions to the citizen with an internal note, and work resumed."""
    case = Case.objects.filter(organisation=organisation).order_by("pk").first()
    if case is None:
        case = make_case(organisation, files=(pdf_file(),))
        case = case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
        case = case_transition(case=case, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF)
    for i in range(n // 2):
        case = case_transition(
            case=case, to=Status.WAITING_CITIZEN, actor_kind=Actor.STAFF, actor=staff.officer,
            public_message=f"ขอข้อมูลเพิ่ม {i}", internal_note=f"บันทึก {i}",
        )  # fmt: skip
        case = case_transition(
            case=case, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF, actor=staff.officer,
            public_message=f"ดำเนินการต่อ {i}",
        )  # fmt: skip


def audit_entries(organisation: Organisation, staff: Staff, n: int) -> None:
    for i in range(n):
        audit_record(
            request=None, actor=staff.counter, action=AuditAction.CASE_VIEW,
            organisation=organisation, object_type="case", object_ref=f"69-{i:05d}",
        )  # fmt: skip


def members(organisation: Organisation, staff: Staff, n: int) -> None:
    engineering = organisation.departments.get(key="engineering")
    start = organisation.memberships.count()
    for i in range(start, start + n):
        staff_create(
            organisation=organisation, username=f"budget-{i}", password=PASSWORD, role=Role.OFFICER,
            email=f"budget-{i}@example.com", department=engineering,
        )  # fmt: skip


def request_types(organisation: Organisation, staff: Staff, n: int) -> None:
    more_request_types(organisation, n)


def more_request_types(organisation: Organisation, n: int) -> None:
    """`n` more request types, copies of the general one (the catalogue starts with 15)."""
    general = request_type(organisation)
    start = RequestType.objects.filter(organisation=organisation).count()
    for i in range(start, start + n):
        RequestType.objects.create(
            organisation=organisation, category=general.category, key=f"budget-{i}",
            name_th=f"เรื่องทดสอบ {i}", name_en=f"Test {i}", position=100 + i,
            default_department=general.default_department,
        )  # fmt: skip


def routing_rules(organisation: Organisation, staff: Staff, n: int) -> None:
    departments = list(organisation.departments.all())
    start = RoutingRule.objects.filter(organisation=organisation).count()
    for i in range(start, start + n):
        RoutingRule.objects.create(
            organisation=organisation, department=departments[i % len(departments)],
            village_no=str(i + 1),
        )  # fmt: skip


def reply_templates(organisation: Organisation, staff: Staff, n: int) -> None:
    access = staff_access(user=staff.admin, organisation=organisation)
    assert access is not None
    for i in range(n):
        reply_template_create(
            access=access, title=f"ข้อความ {i}", body="ขอบคุณที่แจ้ง",
            request_type=request_type(organisation, "street-light") if i % 2 else None,
        )  # fmt: skip


def case_path(organisation: Organisation) -> str:
    case = Case.objects.filter(organisation=organisation).order_by("pk").first()
    assert case is not None
    return f"cases/{case.number}/"


@dataclass(frozen=True)
class StaffPage:
    path: str | Callable[[Organisation], str]  # under the organisation's inbox
    persona: str  # who looks: an attribute of Staff
    grow: Grow  # adds `n` of what the page lists
    budget: int


def staff_page(name: str, *args: Any, n_plus_1: str = "") -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=n_plus_1)] if n_plus_1 else []
    return pytest.param(StaffPage(*args), id=name, marks=marks)


INBOX = "/staff/wangchao/"
# The budget is the count measured when it was set (the comment) plus 2.
# fmt: off
STAFF_PAGES = [
    # name                         path under INBOX   persona      what grows        budget
    staff_page("inbox-new",        "?tab=new",        "counter",   requests_in_tabs, 16),  # 14
    staff_page("inbox-mine",       "?tab=mine",       "head",      requests_in_tabs, 16),  # 14
    staff_page("inbox-department", "?tab=department", "head",      requests_in_tabs, 16),  # 14
    staff_page("inbox-waiting",    "?tab=waiting",    "head",      requests_in_tabs, 16),  # 14
    staff_page("inbox-overdue",    "?tab=overdue",    "head",      requests_in_tabs, 16),  # 14
    staff_page("inbox-all",        "?tab=all",        "executive", requests_in_tabs, 14),  # 12
    staff_page("inbox-closed",     "?tab=closed",     "head",      requests_in_tabs, 16),  # 14
    staff_page("case",             case_path,         "officer",   case_history,     14),  # 12
    staff_page("audit-trail",      "audit/",          "admin",     audit_entries,     8),  # 6
    staff_page("routing-rules",    "routing/",        "admin",     routing_rules,    10),  # 8
    staff_page("reply-templates",  "templates/",      "admin",     reply_templates,   9),  # 7
    staff_page("counter-entry",    "new/",            "counter",   request_types,     8),  # 6
    # Were 17 with 8 members and 44 with 35 (each row's form read the departments): now 10.
    staff_page("members",          "members/",        "admin",     members,          12),  # 10
    # Were 24 with 18 types and 51 with 45, for the same reason: now 7.
    staff_page("catalogue",        "catalogue/",      "admin",     request_types,     9),  # 7
]
# fmt: on


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_a_staff_page_reads_the_same_few_queries_whatever_it_lists(
    page: StaffPage, org_a: Organisation, staff_a: Staff, client: Client,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    page.grow(org_a, staff_a, FEW)
    path = INBOX + (page.path(org_a) if callable(page.path) else page.path)
    desk = sign_in(client, getattr(staff_a, page.persona))
    desk.get(path)  # the session's first request
    few = _count(desk, path)
    shorter = desk.get(path).content
    page.grow(org_a, staff_a, MANY - FEW)
    with django_assert_max_num_queries(page.budget) as captured:
        response = desk.get(path)
    assert response.status_code == 200
    assert len(response.content) > len(shorter)  # it does list what was added
    assert len(captured) == few, f"{FEW} rows: {few} queries, {MANY}: {len(captured)}"


# --- The citizen's pages -------------------------------------------------------------------------
# Each `prepare` brings a fresh browser to the page with `n` of what the page shows.


def organisations(client: Client, organisation: Organisation, n: int) -> str:
    for _ in range(n):
        make_organisation(province="ตาก")
    return "/?province=ตาก"


def _requests(organisation: Organisation, n: int) -> None:
    for _ in range(n):
        make_case(organisation)


def organisation_page(client: Client, organisation: Organisation, n: int) -> str:
    _requests(organisation, n)
    return f"/{organisation.slug}/"


def oss_page(client: Client, organisation: Organisation, n: int) -> str:
    _requests(organisation, n)
    return f"/{organisation.slug}/oss/"


def details_step(client: Client, organisation: Organisation, n: int) -> str:
    more_request_types(organisation, n)
    return url(organisation)


def place_step(client: Client, organisation: Organisation, n: int) -> str:
    _requests(organisation, n)
    fill_details(client, organisation)
    return url(organisation, "place")


def _photos(n: int) -> list[Any]:
    return [upload(f"รูป{i}.jpg", jpeg_bytes(), "image/jpeg") for i in range(n)]


def documents_step(client: Client, organisation: Organisation, n: int) -> str:
    fill_details(client, organisation)
    fill_place(client, organisation)
    fill_documents(client, organisation, *_photos(n))
    return url(organisation, "documents")


def review_step(client: Client, organisation: Organisation, n: int) -> str:
    documents_step(client, organisation, n)
    return url(organisation, "review")


def done_page(client: Client, organisation: Organisation, n: int) -> str:
    review_step(client, organisation, n)
    assert confirm(client, organisation).status_code == 302
    return url(organisation, "done")


def tracking_check(client: Client, organisation: Organisation, n: int) -> str:
    _requests(organisation, n)
    return f"/{organisation.slug}/track/"


def tracking_status(client: Client, organisation: Organisation, n: int) -> str:
    case = make_case(organisation, phone="0812345678", files=(pdf_file(),))
    case = case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF)
    case = case_transition(case=case, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF)
    for i in range(n // 2):
        case = case_transition(
            case=case, to=Status.WAITING_CITIZEN, actor_kind=Actor.STAFF, public_message=f"ขอ {i}"
        )
        case = case_transition(
            case=case, to=Status.IN_PROGRESS, actor_kind=Actor.STAFF, public_message=f"ต่อ {i}"
        )
    response = client.post(
        f"/{organisation.slug}/track/", {"number": case.number, "digits": "5678"}
    )
    assert response.status_code == 302
    return f"/{organisation.slug}/track/status/"


@dataclass(frozen=True)
class CitizenPage:
    prepare: Callable[[Client, Organisation, int], str]  # brings a browser there; the path
    few: int
    many: int
    budget: int
    shown: bool = True  # False: the page does not list what grows (it must not read it either)


# The budget is the count measured when it was set (the comment) plus 2.
# fmt: off
CITIZEN_PAGES = [
    # name                                     what grows  budget  shown
    pytest.param(CitizenPage(organisations,     1,   10,   4),        id="home"),              # 2
    pytest.param(CitizenPage(organisation_page, FEW, MANY, 3, False), id="organisation"),      # 1
    pytest.param(CitizenPage(oss_page,          FEW, MANY, 5, False), id="oss-centre"),        # 4
    pytest.param(CitizenPage(details_step,      FEW, MANY, 5),        id="wizard-details"),    # 3
    pytest.param(CitizenPage(place_step,        FEW, MANY, 6, False), id="wizard-place"),      # 4
    pytest.param(CitizenPage(documents_step,    1,   5,    6),        id="wizard-documents"),  # 4
    pytest.param(CitizenPage(review_step,       1,   5,    6),        id="wizard-review"),     # 4
    pytest.param(CitizenPage(done_page,         1,   5,    5, False), id="wizard-done"),       # 3
    pytest.param(CitizenPage(tracking_check,    FEW, MANY, 3, False), id="tracking-check"),    # 1
    pytest.param(CitizenPage(tracking_status,   FEW, MANY, 8),        id="tracking-status"),   # 6
]
# fmt: on


@pytest.mark.parametrize("page", CITIZEN_PAGES)
def test_a_citizen_page_reads_the_same_few_queries_whatever_it_shows(
    page: CitizenPage, org_a: Organisation, django_assert_max_num_queries: Any
) -> None:
    first = Client()
    path = page.prepare(first, org_a, page.few)
    first.get(path)  # the session's first request
    few = _count(first, path)
    shorter = first.get(path).content
    second = Client()
    path = page.prepare(second, org_a, page.many)
    second.get(path)
    with django_assert_max_num_queries(page.budget) as captured:
        response = second.get(path)
    assert response.status_code == 200
    if page.shown:  # it does show what was added
        assert len(response.content) > len(shorter)
    assert len(captured) == few, f"{page.few} rows: {few} queries, {page.many}: {len(captured)}"
