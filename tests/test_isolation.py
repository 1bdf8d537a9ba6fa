"""Organisation A's reads and writes never reach organisation B's rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from onestop.cases.selectors import (
    case_get_for_organisation,
    case_list_by_national_id,
    case_list_for_organisation,
)
from onestop.cases.services import By, Requester, case_assign, case_submit
from onestop.catalog.selectors import catalogue_for_citizens, request_type_get
from onestop.core.errors import DomainError
from onestop.organisations.models import Organisation, validate_slug_not_reserved
from tests.conftest import Staff
from tests.factories import make_case, make_organisation, request_type, valid_national_id


def test_an_organisations_list_never_contains_another_organisations_requests(
    org_a: Organisation, org_b: Organisation
) -> None:
    mine = make_case(org_a)
    theirs = make_case(org_b)
    listed = list(case_list_for_organisation(organisation=org_a, include_confidential=True))
    assert listed == [mine]
    assert theirs not in listed


def test_another_organisations_number_is_not_found(
    org_a: Organisation, org_b: Organisation
) -> None:
    theirs = make_case(org_b)
    with pytest.raises(Http404):
        case_get_for_organisation(
            organisation=org_a, number=theirs.number, include_confidential=True
        )
    assert case_get_for_organisation(organisation=org_b, number=theirs.number) == theirs


def test_the_same_citizen_in_two_organisations_is_found_only_where_asked(
    org_a: Organisation, org_b: Organisation
) -> None:
    national_id = valid_national_id()
    mine = make_case(org_a, national_id=national_id)
    make_case(org_b, national_id=national_id)
    assert list(case_list_by_national_id(organisation=org_a, national_id=national_id)) == [mine]


def test_another_organisations_request_type_cannot_be_used_or_read(
    org_a: Organisation, org_b: Organisation
) -> None:
    their_type = request_type(org_b, "general")
    with pytest.raises(Http404):
        request_type_get(organisation=org_a, pk=their_type.pk)
    with pytest.raises(DomainError):
        case_submit(
            organisation=org_a, request_type=their_type, subject="ทดสอบ", details="ทดสอบ",
            requester=Requester("นาย", "สมชาย", "ใจดี", valid_national_id(), "0812345678"),
        )  # fmt: skip
    categories = catalogue_for_citizens(organisation=org_a)
    types = [t for c in categories for t in c.active_types]  # type: ignore[attr-defined]
    assert types and all(t.organisation_id == org_a.pk for t in types)


def test_a_request_cannot_be_routed_to_another_organisations_department_or_staff(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, staff_b: Staff
) -> None:
    case = make_case(org_a)
    with pytest.raises(DomainError):
        case_assign(
            case=case,
            department=org_b.departments.get(key="office"),
            assignee=None,
            by=By.staff(staff_a.head),
        )
    with pytest.raises(DomainError):
        case_assign(
            case=case, department=org_a.departments.get(key="engineering"),
            assignee=staff_b.officer, by=By.staff(staff_a.head),
        )  # fmt: skip


def test_confidential_requests_are_left_out_unless_granted(org_a: Organisation) -> None:
    ordinary = make_case(org_a)
    secret = make_case(org_a, type_key="corruption", subject="แจ้งการเรียกรับเงิน")
    assert list(case_list_for_organisation(organisation=org_a)) == [ordinary]
    with pytest.raises(Http404):
        case_get_for_organisation(organisation=org_a, number=secret.number)
    assert secret in case_list_for_organisation(organisation=org_a, include_confidential=True)


@pytest.mark.parametrize(
    "slug", ["staff", "admin", "i18n", "Static", "login", "2fa", "password", "invitations"]
)
def test_an_organisation_cannot_take_a_path_the_platform_uses(db: None, slug: str) -> None:
    with pytest.raises(DomainError) as error:
        make_organisation(slug=slug)
    assert error.value.code == "reserved_slug"


def test_the_admin_refuses_a_reserved_slug_too(db: None) -> None:
    with pytest.raises(ValidationError):
        validate_slug_not_reserved("staff")
