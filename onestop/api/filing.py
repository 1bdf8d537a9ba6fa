"""Open311 `POST requests`: a request filed by another system with an API key of the
organisation, through `cases.services.case_submit` with the wizard's own forms (the same
fields, limits, normalisation and messages as a citizen typing them in), channel API.

Parameters (form-encoded, as the spec says): `service_code`, `description` (the details),
`first_name`, `last_name`, `phone`, `email`, `lat`, `long`, `address_string`, and the
attributes of `services/<code>`: `attribute[subject]`, `attribute[title]`,
`attribute[national_id]`, `attribute[house_no]` … (see `open311.attributes`). The requester's
consent to the privacy notice is the calling system's to collect (the terms of its key).

Idempotency: an `Idempotency-Key` header (or the `idempotency_key` parameter) makes a retry
return the same request and token instead of filing a second one; it is scoped to the key."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from onestop.api.models import ApiKey, Open311Token
from onestop.cases.models import Case, Channel
from onestop.cases.services import case_submit
from onestop.catalog.models import RequestType
from onestop.catalog.selectors import catalogue_for_citizens
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction
from onestop.eservice.forms import DetailsForm, PlaceForm

IDEMPOTENCY_MAX = 200
# The wizard's field → the Open311 parameter it comes from.
_DETAILS_PARAMETERS = {
    "subject": "attribute[subject]", "details": "description", "title": "attribute[title]",
    "first_name": "first_name", "last_name": "last_name", "national_id": "attribute[national_id]",
    "phone": "phone", "email": "email",
}  # fmt: skip
_PLACE_PARAMETERS = {
    **{name: f"attribute[{name}]" for name in (
        "house_no", "village_no", "village", "soi", "road", "subdistrict", "district",
        "province", "postcode", "landmark",
    )},
    "latitude": "lat", "longitude": "long",
}  # fmt: skip


class FilingRefused(Exception):
    """The request cannot be filed: each (parameter, message) pair is one error of the answer."""

    def __init__(self, errors: list[str], status: int = 400) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors
        self.status = status


@dataclass(frozen=True)
class Filed:
    case: Case
    token: str
    created: bool


def idempotency_key(request: HttpRequest) -> str:
    value = str(
        request.META.get("HTTP_IDEMPOTENCY_KEY") or request.POST.get("idempotency_key") or ""
    ).strip()
    if len(value) > IDEMPOTENCY_MAX:
        raise FilingRefused([_("Idempotency-Key ยาวได้ไม่เกิน 200 ตัวอักษร")])
    return value


def _form_errors(form: DetailsForm | PlaceForm, parameters: dict[str, str]) -> list[str]:
    return [
        f"{parameters.get(field, field)}: {message}" if field != "__all__" else str(message)
        for field, messages in form.errors.items()
        for message in messages
    ]


def _details_data(post: QueryDict, request_type: RequestType) -> dict[str, Any]:
    data: dict[str, Any] = {
        field: post.get(parameter, "") for field, parameter in _DETAILS_PARAMETERS.items()
    }
    data["request_type"] = str(request_type.pk)
    data["privacy"] = "on"  # collected by the calling system (module docstring)
    return data


def _place_data(post: QueryDict) -> dict[str, Any]:
    data: dict[str, Any] = {
        field: post.get(parameter, "") for field, parameter in _PLACE_PARAMETERS.items()
    }
    if not data["landmark"] and post.get("address_string"):
        data["landmark"] = post.get("address_string", "")
    return data


def open311_file(*, request: HttpRequest, key: ApiKey, request_type: RequestType) -> Filed:
    """1. Validate the parameters with the wizard's forms (every error at once).
    2. With an idempotency key already used with this API key, answer that request.
    3. Otherwise file it through `case_submit` (channel API), give it a token and record
       the key as who filed it in the audit trail, in one transaction."""
    post = request.POST
    organisation = key.organisation
    idempotency = idempotency_key(request)
    details = DetailsForm(
        _details_data(post, request_type),
        catalogue=list(catalogue_for_citizens(organisation=organisation)),
    )
    place = PlaceForm(_place_data(post), request_type=request_type)
    errors = []
    if not details.is_valid():
        errors += _form_errors(details, {**_DETAILS_PARAMETERS, "request_type": "service_code"})
    if not place.is_valid():
        errors += _form_errors(place, _PLACE_PARAMETERS)
    if errors:
        raise FilingRefused(errors)
    submission_key = (
        hashlib.sha256(f"api:{key.pk}:{idempotency}".encode()).hexdigest() if idempotency else None
    )
    existing = (
        Case.objects.filter(organisation=organisation, submission_key=submission_key).first()
        if submission_key
        else None
    )
    if existing is not None:
        return Filed(case=existing, token=_token_for(existing), created=False)
    data = details.cleaned_data
    try:
        with transaction.atomic():
            case = case_submit(
                organisation=organisation, request_type=request_type,
                subject=data["subject"], details=data["details"],
                requester=details.requester(), place=PlaceForm.place(place.cleaned_data),
                channel=Channel.API, submission_key=submission_key,
            )  # fmt: skip
            token = _token_for(case)
            audit_record(
                request=request, actor=key.user, action=AuditAction.CASE_CREATE,
                organisation=organisation, object_type="case", object_ref=case.number,
                details={"channel": str(Channel.API), "type": request_type.key,
                         "api_key": key.prefix},
                confidential=request_type.is_confidential,
            )  # fmt: skip
    except DomainError as error:
        raise FilingRefused([error.message]) from None
    return Filed(case=case, token=token, created=True)


def _token_for(case: Case) -> str:
    found, _created = Open311Token.objects.get_or_create(
        case=case,
        defaults={"organisation_id": case.organisation_id, "token": secrets.token_urlsafe(18)},
    )
    return found.token


def open311_token_get(*, organisation_id: int, token: str) -> Open311Token | None:
    return (
        Open311Token.objects.filter(organisation_id=organisation_id, token=token)
        .select_related("case")
        .first()
    )
