"""The JSON form of Open311 GeoReport v2 as an OpenAPI 3.1 description, generated from the
pydantic models below (django-ninja). The endpoints themselves are the plain views in
`views.py` (they also speak XML and the spec's error format, which OpenAPI tools handle
poorly); the operations here only describe them, and `tests/test_api_schema.py` holds the
views to this description with schemathesis. Served at /api/open311/openapi.json."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Form, NinjaAPI, Path, Query, Schema

description = NinjaAPI(
    title="OneStop Open311 GeoReport v2 (JSON)",
    version="v2",
    description=(
        "Open311 GeoReport v2 for each organisation (`slug`): reading needs no key; "
        "`POST requests` needs an API key of the organisation (`Authorization: Bearer os_…` "
        "or `api_key`). Every resource also exists in XML (`.xml`). Errors are the spec's "
        "list of `{code, description}`; messages are Thai, or English with `locale=en`."
    ),
    urls_namespace="open311-description",
    docs_url=None,
    openapi_url=None,
)


class Error(Schema):
    code: int
    description: str


class Endpoint(Schema):
    specification: str
    url: str
    changeset: str
    type: Literal["production", "test"]
    formats: list[str]


class Discovery(Schema):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[Endpoint]


class Service(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: Literal["realtime", "batch", "blackbox"]
    keywords: str
    group: str


class Attribute(Schema):
    variable: bool
    code: str
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool
    datatype_description: str | None
    order: int
    description: str


class Definition(Schema):
    service_code: str
    attributes: list[Attribute]


class ServiceRequest(Schema):
    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str | None
    service_name: str
    service_code: str
    description: None
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str | None
    address: str | None
    address_id: None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class Filed(Schema):
    service_request_id: str
    token: str
    service_notice: str
    account_id: None


class Token(Schema):
    service_request_id: str
    token: str


class RequestsQuery(Schema):
    service_request_id: str | None = None
    service_code: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    status: str | None = None
    page: int | None = None
    page_size: int | None = None
    locale: str | None = None


class Filing(Schema):
    service_code: str
    description: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    api_key: str = ""
    idempotency_key: str = ""


# What the URL patterns accept (`urls.py`); anything else is not an Open311 resource.
Slug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$")]
Code = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$")]
Number = Annotated[str, Path(pattern=r"^[^/]+$")]

_ERRORS: dict[int, Any] = {400: list[Error], 404: list[Error]}
_KEYED: dict[int, Any] = {401: list[Error], 403: list[Error], 429: list[Error]}


def _described(request: HttpRequest) -> HttpResponse:  # pragma: no cover (never routed)
    raise NotImplementedError


@description.get("/{slug}/open311/discovery.json", response={200: Discovery, **_ERRORS})
def discovery(request: HttpRequest, slug: Slug) -> HttpResponse:
    return _described(request)


@description.get("/{slug}/open311/v2/services.json", response={200: list[Service], **_ERRORS})
def services(request: HttpRequest, slug: Slug) -> HttpResponse:
    return _described(request)


@description.get("/{slug}/open311/v2/services/{code}.json", response={200: Definition, **_ERRORS})
def service_definition(request: HttpRequest, slug: Slug, code: Code) -> HttpResponse:
    return _described(request)


@description.get(
    "/{slug}/open311/v2/requests.json", response={200: list[ServiceRequest], **_ERRORS}
)
def requests(request: HttpRequest, slug: Slug, query: Query[RequestsQuery]) -> HttpResponse:
    return _described(request)


@description.post(
    "/{slug}/open311/v2/requests.json",
    response={200: list[Filed], 201: list[Filed], **_ERRORS, **_KEYED},
)
def requests_post(request: HttpRequest, slug: Slug, filing: Form[Filing]) -> HttpResponse:
    return _described(request)


@description.get(
    "/{slug}/open311/v2/requests/{number}.json", response={200: list[ServiceRequest], **_ERRORS}
)
def request_detail(request: HttpRequest, slug: Slug, number: Number) -> HttpResponse:
    return _described(request)


@description.get("/{slug}/open311/v2/tokens/{token}.json", response={200: list[Token], **_ERRORS})
def token(request: HttpRequest, slug: Slug, token: Code) -> HttpResponse:
    return _described(request)


def openapi(request: HttpRequest) -> JsonResponse:
    """The description, for tools (GET /api/open311/openapi.json)."""
    return JsonResponse(description.get_openapi_schema(path_prefix=""))
