"""The staff JSON API, /api/v1/<org>/…, for an organisation's own systems (with an API key of
that organisation; `keys.api_key_authenticate`). It is the back office over HTTP: the inbox's
selector (filters, tabs, keyset pages), the case page's selector and timeline, and the action
table's `staff_case_perform` with the version check, all with the permissions of the key's
role (`backoffice.permissions.StaffAccess`, never the confidential grant) and the same audit
trail, under the key's own account (`ApiKey.user`, named after the key).

Built with django-ninja: the request and answer shapes are pydantic models from which the
OpenAPI 3.1 description is generated (/api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from onestop.api import keys
from onestop.api.models import ApiKey
from onestop.backoffice import actions, case_selectors, selectors
from onestop.backoffice.permissions import Action, StaffAccess
from onestop.cases.models import Case, CaseEvent
from onestop.cases.workflow import Status
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.masking import mask_phone
from onestop.core.models import AuditAction
from onestop.organisations.models import Membership, Organisation
from onestop.organisations.selectors import organisation_get_public

PAGE_SIZE_MAX = 100
# The workflow actions offered here (the back office's table has them all; result photos and
# duplicates need a file or a second request and stay on the case page for now).
ApiAction = Literal["receive", "start", "assign", "note", "ask", "complete", "reject", "forward",
                    "reopen"]  # fmt: skip
API_ACTIONS = frozenset(get_args(ApiAction))
_STATUS = {"stale": 409, "illegal_transition": 409, "forbidden": 403, "forbidden_department": 403}


class Problem(Schema):
    """An error: a message for people (Thai, or English with Accept-Language: en), a code for
    programs and, for invalid input, the messages per field."""

    detail: str
    code: str
    errors: dict[str, list[str]] | None = None


class ApiFailure(Exception):
    def __init__(
        self, status: int, detail: str, code: str, *, errors: dict[str, list[str]] | None = None,
        retry_after: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__(detail)
        self.status, self.detail, self.code = status, detail, code
        self.errors, self.retry_after = errors, retry_after


class KeyAuth(HttpBearer):
    """`Authorization: Bearer os_…`: a key of the organisation in the path, rate-limited."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        slug = str(request.resolver_match.kwargs.get("org", "")) if request.resolver_match else ""
        organisation = _organisation(slug)
        try:
            return keys.api_key_authenticate(request=request, organisation=organisation)
        except keys.KeyRefused as refused:
            code = {401: "unauthorized", 403: "forbidden", 429: "rate_limited"}[refused.status]
            raise ApiFailure(
                refused.status, refused.description, code, retry_after=refused.retry_after
            ) from None


api = NinjaAPI(
    title="OneStop staff API",
    version="1",
    description=(
        "The back office of one organisation over HTTP, for its own systems. Every call needs "
        "an API key of that organisation (`Authorization: Bearer os_…`), issued by its "
        "administrators under /staff/<org>/api-keys/. A key acts with the permissions of its "
        "role and never sees confidential request types. Errors are `{detail, code, errors}`; "
        "429 answers carry `Retry-After`. Messages are Thai, or English with "
        "`Accept-Language: en`."
    ),
    urls_namespace="staff-api",
    auth=KeyAuth(),
)


@api.exception_handler(ApiFailure)
def _failure(request: HttpRequest, failure: ApiFailure) -> HttpResponse:
    body = Problem(detail=failure.detail, code=failure.code, errors=failure.errors)
    response = api.create_response(request, body.model_dump(), status=failure.status)
    if failure.retry_after is not None:
        response["Retry-After"] = str(failure.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def _no_key(request: HttpRequest, failure: AuthenticationError) -> HttpResponse:
    message = _("ต้องใช้กุญแจ API ขององค์กรนี้ (Authorization: Bearer <กุญแจ>)")
    return _failure(request, ApiFailure(401, message, "unauthorized"))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, failure: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in failure.errors:
        where = ".".join(str(p) for p in item.get("loc", ())[1:]) or "body"
        errors.setdefault(where, []).append(str(item.get("msg", "")))
    return _failure(request, ApiFailure(422, _("ข้อมูลไม่ถูกต้อง"), "invalid", errors=errors))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, failure: HttpError) -> HttpResponse:
    """django-ninja's own refusals (a body that is not JSON) in the same shape as ours."""
    if failure.status_code == 400:
        message = _("อ่านข้อมูลที่ส่งมาไม่ได้ กรุณาส่งเป็น JSON (Content-Type: application/json)")
        return _failure(request, ApiFailure(400, message, "unreadable"))
    return _failure(request, ApiFailure(failure.status_code, str(failure), "refused"))


def _organisation(slug: str) -> Organisation:
    try:
        return organisation_get_public(slug=slug)
    except Http404:
        raise ApiFailure(404, _("ไม่พบหน่วยงาน “%(slug)s”") % {"slug": slug}, "not_found") from None


def _access(request: HttpRequest, org: str, *, write: bool = False) -> StaffAccess:
    """The key's standing in the organisation: a member with its role and division, without
    the confidential grant (a membership that is never saved)."""
    key = request.auth  # type: ignore[attr-defined]
    assert isinstance(key, ApiKey)
    if key.organisation.slug != org:
        raise ApiFailure(401, _("กุญแจ API ไม่ถูกต้อง ถูกยกเลิกแล้ว หรือไม่ใช่ของหน่วยงานนี้"), "unauthorized")
    if write and key.read_only:
        raise ApiFailure(403, _("กุญแจนี้ใช้อ่านข้อมูลได้อย่างเดียว"), "read_only")
    membership = Membership(
        user=key.user, organisation=key.organisation, role=key.role,
        department=key.department, can_see_confidential=False, is_active=True,
    )  # fmt: skip
    return StaffAccess(user=key.user, organisation=key.organisation, membership=membership)


# --- Shapes ------------------------------------------------------------------------------------


class CaseSummary(Schema):
    number: str
    display_number: str
    status: Status
    status_label: str
    subject: str
    service_code: str
    service_name: str
    department: str | None
    assignee: str | None
    channel: str
    priority: int
    submitted_at: dt.datetime
    due_date: dt.date | None
    version: int


class InboxOut(Schema):
    items: list[CaseSummary]
    counts: dict[str, int]
    next_cursor: str | None


class Requester(Schema):
    title: str
    first_name: str
    last_name: str
    national_id_masked: str
    phone_masked: str
    email: str


class Event(Schema):
    at: dt.datetime
    kind: str
    move: str
    actor_kind: str
    actor: str | None
    from_status: str
    to_status: str
    public_message: str
    citizen_message: str
    internal_note: str


class CaseDetail(CaseSummary):
    details: str
    requester: Requester
    address: str
    latitude: float | None
    longitude: float | None
    actions: list[str]
    timeline: list[Event]


class ActionIn(Schema):
    version: int
    public_message: str = ""
    internal_note: str = ""
    agency: str = ""  # forward
    letter_number: str = ""  # forward
    department: int | None = None  # assign
    assignee: int | None = None  # assign (a user id)


def _name(user: User | None) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


def _summary(case: Case) -> dict[str, Any]:
    return {
        "number": case.number, "display_number": case.display_number,
        "status": case.status, "status_label": str(Status(case.status).label),
        "subject": case.subject, "service_code": case.request_type.key,
        "service_name": case.request_type.name,
        "department": case.department.name if case.department else None,
        "assignee": _name(case.assignee), "channel": case.channel, "priority": case.priority,
        "submitted_at": case.submitted_at, "due_date": case.due_date, "version": case.version,
    }  # fmt: skip


def _event(event: CaseEvent) -> dict[str, Any]:
    return {
        "at": event.created_at, "kind": event.kind, "move": event.move,
        "actor_kind": event.actor_kind, "actor": _name(event.actor),
        "from_status": event.from_status, "to_status": event.to_status,
        "public_message": event.public_message, "citizen_message": event.citizen_message,
        "internal_note": event.internal_note,
    }  # fmt: skip


def _detail(case: Case, access: StaffAccess) -> dict[str, Any]:
    place = ", ".join(
        p for p in (case.house_no, case.village_no and f"หมู่ {case.village_no}", case.village,
                    case.soi, case.road, case.subdistrict, case.district, case.province,
                    case.postcode, case.landmark) if p
    )  # fmt: skip
    return {
        **_summary(case), "details": case.details,
        "requester": {
            "title": case.requester_title, "first_name": case.requester_first_name,
            "last_name": case.requester_last_name,
            "national_id_masked": case.national_id_masked,
            "phone_masked": mask_phone(case.phone), "email": case.email,
        },
        "address": place,
        "latitude": float(case.latitude) if case.latitude is not None else None,
        "longitude": float(case.longitude) if case.longitude is not None else None,
        "actions": [
            str(a.key) for a in actions.available_actions(access=access, case=case)
            if a.key in API_ACTIONS
        ],
        "timeline": [_event(e) for e in case_selectors.case_timeline(case=case)],
    }  # fmt: skip


class InboxFilters(Schema):
    tab: Literal["new", "mine", "department", "waiting", "overdue", "all", "closed"] = "all"
    status: Status | None = None
    category: int | None = None
    request_type: int | None = None
    department: int | None = None
    assignee: int | None = None
    channel: Literal["web", "counter", "phone", "api"] | None = None
    overdue: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    sort: Literal["-submitted", "submitted", "due", "-priority"] = "-submitted"
    after: str = ""
    page_size: int = 50


# --- Endpoints ---------------------------------------------------------------------------------

ERRORS: dict[int, type[Problem]] = {
    401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem,
}  # fmt: skip


@api.get("/{org}/requests", response={200: InboxOut, **ERRORS}, summary="The inbox, one page")
def inbox(request: HttpRequest, org: str, filters: Query[InboxFilters]) -> dict[str, Any]:
    """The requests the key's role sees, with the inbox's filters, tabs and counts; newest
    first by default; `next_cursor` gives the next page (keyset paging: pass it as `after`)."""
    access = _access(request, org)
    query = selectors.InboxQuery(
        tab=filters.tab, status=filters.status or "", category=filters.category,
        request_type=filters.request_type, department=filters.department,
        assignee=filters.assignee, channel=filters.channel or "", overdue=filters.overdue,
        date_from=filters.date_from, date_to=filters.date_to, q=filters.q[:200],
        sort=filters.sort, after=filters.after[:100],
    )  # fmt: skip
    page = selectors.case_list_for_staff(
        user=access.user, organisation=access.organisation, query=query, access=access,
        page_size=max(1, min(filters.page_size, PAGE_SIZE_MAX)),
    )  # fmt: skip
    audit_record(
        request=request, actor=access.user, action=AuditAction.LIST_VIEW,
        organisation=access.organisation, object_type="inbox", object_ref=query.tab,
        details={"numbers": [c.display_number for c in page.cases], "api": True,
                 "filters": request.GET.urlencode()[:500]},
    )  # fmt: skip
    return {
        "items": [_summary(c) for c in page.cases], "counts": page.counts,
        "next_cursor": page.next_cursor or None,
    }  # fmt: skip


def _case(access: StaffAccess, number: str) -> Case:
    try:
        return case_selectors.case_get_for_staff(
            user=access.user, organisation=access.organisation, number=number, access=access
        )
    except Http404:
        raise ApiFailure(
            404, _("ไม่พบคำร้องเลขที่ “%(number)s”") % {"number": number[:40]}, "not_found"
        ) from None


@api.get("/{org}/requests/{number}", response={200: CaseDetail, **ERRORS}, summary="One request")
def request_detail(request: HttpRequest, org: str, number: str) -> dict[str, Any]:
    """One request with its timeline and the actions the key's role may take on it now."""
    access = _access(request, org)
    case = _case(access, number)
    audit_record(
        request=request, actor=access.user, action=AuditAction.CASE_VIEW,
        organisation=access.organisation, object_type="case", object_ref=case.number,
        details={"api": True}, confidential=case.request_type.is_confidential,
    )  # fmt: skip
    return _detail(case, access)


@api.post(
    "/{org}/requests/{number}/actions/{action}",
    response={200: CaseDetail, 400: Problem, 409: Problem, **ERRORS},
    summary="Act on a request",
)
def request_act(
    request: HttpRequest, org: str, number: str, action: ApiAction, body: ActionIn
) -> dict[str, Any]:
    """Perform a workflow action through the back office's action table, with its checks:
    the role may do it, the status allows it, and `version` is the request's current version
    (409 when someone changed it since it was read: read it again)."""
    access = _access(request, org, write=True)
    case = _case(access, number)
    chosen = Action(action)
    if not access.may(chosen, case):
        raise ApiFailure(403, _("คุณไม่มีสิทธิ์ดำเนินการนี้กับคำร้องนี้"), "forbidden")
    prefix = str(chosen)
    data = {f"{prefix}-{name}": "" if value is None else str(value)
            for name, value in body.model_dump().items()}  # fmt: skip
    form = actions.action_form(chosen, access, data=data)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        raise ApiFailure(400, _("ข้อมูลไม่ถูกต้อง"), "invalid", errors=errors)
    try:
        actions.staff_case_perform(
            access=access, case=case, action=chosen, data=form.cleaned_data, request=request
        )
    except DomainError as error:
        raise ApiFailure(_STATUS.get(error.code, 400), error.message, error.code) from None
    return _detail(_case(access, number), access)
