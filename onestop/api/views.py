"""Open311 GeoReport v2, read side, per organisation: /<slug>/open311/discovery.<fmt> and
/<slug>/open311/v2/{services,services/<code>,requests,requests/<id>}.<fmt>. Thin: parse the
query (open311), read (selectors), render (formats)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from onestop.api import filing, keys, open311, selectors
from onestop.api.formats import error, keyed_endpoint, public_endpoint, render
from onestop.api.models import ApiKey
from onestop.organisations.models import Organisation
from onestop.organisations.selectors import organisation_get_public


def _organisation(slug: str) -> Organisation:
    try:
        return organisation_get_public(slug=slug)
    except Http404:
        raise open311.Open311Error(404, _("ไม่พบหน่วยงาน “%(slug)s”") % {"slug": slug}) from None


def _answer(fmt: str, produce: Callable[[], HttpResponse]) -> HttpResponse:
    try:
        return produce()
    except open311.Open311Error as failure:
        response = error(fmt, failure.status, failure.description)
        if failure.retry_after is not None:
            response["Retry-After"] = str(failure.retry_after)
        return response


@csrf_exempt  # nothing here writes; a POST gets the API's own 405, not a CSRF page
@public_endpoint
def discovery(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    def produce() -> HttpResponse:
        organisation = _organisation(slug)
        changeset = selectors.open311_changeset(organisation=organisation)
        return render("discovery", open311.discovery_record(organisation, changeset=changeset), fmt)

    return _answer(fmt, produce)


@csrf_exempt
@public_endpoint
def services(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    def produce() -> HttpResponse:
        organisation = _organisation(slug)
        types = selectors.open311_services(organisation=organisation)
        return render("services", [open311.service_record(t) for t in types], fmt)

    return _answer(fmt, produce)


@csrf_exempt
@public_endpoint
def service_definition(request: HttpRequest, slug: str, code: str, fmt: str) -> HttpResponse:
    def produce() -> HttpResponse:
        organisation = _organisation(slug)
        try:
            found = selectors.open311_service_get(organisation=organisation, code=code)
        except Http404:
            raise open311.Open311Error(
                404, _("ไม่พบประเภทคำร้องรหัส “%(code)s”") % {"code": code}
            ) from None
        return render("service_definition", open311.definition_record(found), fmt)

    return _answer(fmt, produce)


@csrf_exempt  # another system's call with an API key: no session, no CSRF token
def requests_endpoint(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """GET: the public list (CORS); POST: file a request with an API key."""
    if request.method == "POST":
        return requests_post(request, slug=slug, fmt=fmt)
    response = requests(request, slug=slug, fmt=fmt)
    if response.status_code == 405:
        response["Allow"] = "GET, HEAD, OPTIONS, POST"
    return response


@keyed_endpoint
def requests_post(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    def produce() -> HttpResponse:
        organisation = _organisation(slug)
        key = _key(request, organisation, write=True)
        code = request.POST.get("service_code", "").strip()
        if not code:
            raise open311.Open311Error(400, _("กรุณาระบุ service_code (รหัสประเภทคำร้อง)"))
        try:
            request_type = selectors.open311_service_get(organisation=organisation, code=code)
        except Http404:
            raise open311.Open311Error(
                400, _("ไม่พบประเภทคำร้องรหัส “%(code)s”") % {"code": code}
            ) from None
        try:
            filed = filing.open311_file(request=request, key=key, request_type=request_type)
        except filing.FilingRefused as refused:
            return error(fmt, refused.status, refused.errors)
        notice = _("รับคำร้องแล้ว ตรวจสอบผลได้ด้วยเลขคำร้องและเบอร์โทรศัพท์ 4 ตัวท้าย")
        record = {
            "service_request_id": filed.case.display_number, "token": filed.token,
            "service_notice": notice, "account_id": None,
        }  # fmt: skip
        return render("service_requests", [record], fmt, status=201 if filed.created else 200)

    return _answer(fmt, produce)


def _key(request: HttpRequest, organisation: Organisation, *, write: bool) -> ApiKey:
    try:
        return keys.api_key_authenticate(request=request, organisation=organisation, write=write)
    except keys.KeyRefused as refused:
        raise open311.Open311Error(
            refused.status, refused.description, retry_after=refused.retry_after
        ) from None


@csrf_exempt
@public_endpoint
def token(request: HttpRequest, slug: str, token: str, fmt: str) -> HttpResponse:
    """tokens/<token>: the number of the request filed with that token."""

    def produce() -> HttpResponse:
        organisation = _organisation(slug)
        found = filing.open311_token_get(organisation_id=organisation.pk, token=token)
        if found is None:
            raise open311.Open311Error(404, _("ไม่พบโทเคน “%(token)s”") % {"token": token[:40]})
        record = {"service_request_id": found.case.display_number, "token": found.token}
        return render("service_requests", [record], fmt)

    return _answer(fmt, produce)


@public_endpoint
def requests(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    def produce() -> HttpResponse:
        organisation = _organisation(slug)
        filters = _filters(request, organisation)
        page, size = open311.parse_paging(request.GET)
        cases = selectors.open311_requests(organisation=organisation, filters=filters)
        rows = cases[(page - 1) * size : page * size]
        return render("service_requests", [open311.request_record(c) for c in rows], fmt)

    return _answer(fmt, produce)


def _filters(request: HttpRequest, organisation: Organisation) -> selectors.RequestFilters:
    query = request.GET
    numbers_text = query.get("service_request_id", "").strip()
    if numbers_text:  # the spec: it overrides all other arguments
        return selectors.RequestFilters(numbers=open311.parse_numbers(numbers_text))
    codes = open311.parse_codes(query.get("service_code", ""))
    unknown = set(codes) - selectors.open311_known_codes(organisation=organisation, codes=codes)
    if unknown:
        raise open311.Open311Error(
            400, _("ไม่พบประเภทคำร้องรหัส “%(code)s”") % {"code": ", ".join(sorted(unknown))}
        )
    start, end = open311.parse_dates(query, now=timezone.now())
    return selectors.RequestFilters(
        codes=codes, start=start, end=end,
        statuses=open311.parse_statuses(query.get("status", "")),
    )  # fmt: skip


@csrf_exempt
@public_endpoint
def request_detail(request: HttpRequest, slug: str, number: str, fmt: str) -> HttpResponse:
    def produce() -> HttpResponse:
        organisation = _organisation(slug)
        try:
            case = selectors.open311_request_get(organisation=organisation, number=number)
        except Http404:
            raise open311.Open311Error(
                404, _("ไม่พบคำร้องเลขที่ “%(number)s”") % {"number": number}
            ) from None
        return render("service_requests", [open311.request_record(case)], fmt)

    return _answer(fmt, produce)


@csrf_exempt
@public_endpoint
def unknown(request: HttpRequest, slug: str, rest: str, fmt: str) -> HttpResponse:
    """Anything else under /<slug>/open311/: a 404 in the spec's format, not an HTML page."""
    return error(fmt, 404, _("ไม่พบบริการนี้ใน Open311 GeoReport v2"))
