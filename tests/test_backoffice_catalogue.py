"""Organisation administrators adapt their catalogue: open or close a type, rename it, route it
to a division, set its completion target and what citizens must give."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from onestop.catalog.selectors import catalogue_for_citizens
from onestop.core.models import AuditAction, AuditLog
from onestop.core.workdays import add_working_days
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case, request_type

URL = "/staff/wangchao/catalogue/"


def _data(org: Organisation, key: str, **overrides: Any) -> dict[str, Any]:
    t = request_type(org, key)
    prefix = f"t{t.pk}"
    values: dict[str, Any] = {
        "name_th": t.name_th, "name_en": t.name_en, "description_th": t.description_th,
        "is_active": "on", "default_department": t.default_department_id or "",
        "sla_days": t.sla_days, "location": t.location,
    }  # fmt: skip
    values.update(overrides)
    data = {f"{prefix}-{k}": v for k, v in values.items() if v is not None}
    data["type"] = t.pk
    return data


def test_closing_a_type_removes_it_from_the_citizens_catalogue(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    response = sign_in(client, staff_a.admin).post(URL, _data(org_a, "cctv", is_active=None))
    assert response.status_code == 302
    offered = [t.key for c in catalogue_for_citizens(organisation=org_a) for t in c.active_types]  # type: ignore[attr-defined]
    assert "cctv" not in offered
    assert AuditLog.objects.filter(action=AuditAction.CATALOGUE_CHANGE, object_ref="cctv").exists()


def test_a_new_target_and_division_apply_to_new_requests(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    welfare = org_a.departments.get(key="welfare")
    changes = {"sla_days": 3, "default_department": welfare.pk, "name_th": "ไฟฟ้าสาธารณะดับ"}
    sign_in(client, staff_a.admin).post(URL, _data(org_a, "street-light", **changes))
    case = make_case(org_a, type_key="street-light")
    assert case.department == welfare
    assert case.request_type.name_th == "ไฟฟ้าสาธารณะดับ"
    # Due 3 Thai working days after the day it was filed (in Bangkok, whatever the UTC date).
    filed_on = timezone.localdate(case.submitted_at)
    assert case.due_date == add_working_days(filed_on, 3)


def test_a_wrong_target_is_refused_and_shown_on_the_type(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    response = sign_in(client, staff_a.admin).post(URL, _data(org_a, "general", sla_days=0))
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert request_type(org_a, "general").sla_days == 15


def test_another_organisations_type_cannot_be_changed(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    theirs = _data(org_b, "general", is_active=None)
    response = sign_in(client, staff_a.admin).post(URL, theirs)
    assert response.status_code == 404
    assert request_type(org_b, "general").is_active


def test_the_confidential_flag_is_not_offered(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.admin).post(URL, _data(org_a, "corruption", is_confidential=None))
    assert request_type(org_a, "corruption").is_confidential


def test_a_change_is_undone_when_its_audit_entry_cannot_be_written(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    before = request_type(org_a, "cctv")
    admin = sign_in(client, staff_a.admin)
    with (
        mock.patch.object(AuditLog.objects, "create", side_effect=DatabaseError("audit down")),
        pytest.raises(DatabaseError),
    ):
        admin.post(URL, _data(org_a, "cctv", is_active=None, sla_days=3))
    cctv = request_type(org_a, "cctv")
    assert (cctv.is_active, cctv.sla_days) == (True, before.sla_days)
