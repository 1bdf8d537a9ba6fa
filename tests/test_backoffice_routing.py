"""Routing rules: a new request goes to a division by its type and, optionally, its area
(หมู่ที่), so the counter only handles the exceptions."""

from __future__ import annotations

from django.test import Client

from onestop.cases.models import RoutingRule
from onestop.core.models import AuditLog
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case, request_type

URL = "/staff/wangchao/routing/"


def _rule(org: Organisation, department: str, *, type_key: str = "", village: str = "") -> None:
    RoutingRule.objects.create(
        organisation=org, department=org.departments.get(key=department), village_no=village,
        request_type=request_type(org, type_key) if type_key else None,
    )  # fmt: skip


def test_without_rules_a_request_goes_to_its_types_division(org_a: Organisation) -> None:
    assert make_case(org_a, type_key="street-light").department.key == "engineering"  # type: ignore[union-attr]


def test_the_most_specific_rule_wins(org_a: Organisation) -> None:
    _rule(org_a, "welfare", village="4")  # every type from หมู่ 4
    _rule(org_a, "health", type_key="street-light")  # street lights anywhere
    _rule(org_a, "finance", type_key="street-light", village="4")  # street lights in หมู่ 4
    # make_case files from หมู่ที่ 4 (tests.factories.some_place)
    assert make_case(org_a, type_key="street-light").department.key == "finance"  # type: ignore[union-attr]
    assert make_case(org_a, type_key="garbage-bin").department.key == "welfare"  # type: ignore[union-attr]
    RoutingRule.objects.filter(village_no="4").delete()
    assert make_case(org_a, type_key="street-light").department.key == "health"  # type: ignore[union-attr]


def test_another_organisations_rules_never_apply(org_a: Organisation, org_b: Organisation) -> None:
    _rule(org_b, "welfare", type_key="street-light")
    assert make_case(org_a, type_key="street-light").department.key == "engineering"  # type: ignore[union-attr]


def test_the_administrator_adds_and_removes_a_rule(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.admin)
    response = client.post(URL, {
        "request_type": request_type(org_a, "road-drain").pk, "village_no": "หมู่ 4",
        "department": org_a.departments.get(key="finance").pk,
    })  # fmt: skip
    assert response.status_code == 302
    assert make_case(org_a, type_key="road-drain").department.key == "finance"  # type: ignore[union-attr]
    rule = RoutingRule.objects.get()
    client.post(URL, {"delete": rule.pk})
    assert not RoutingRule.objects.exists()


def test_an_empty_or_duplicate_rule_is_refused(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.admin)
    finance = org_a.departments.get(key="finance").pk
    empty = client.post(URL, {"department": finance})
    assert empty.status_code == 400
    client.post(URL, {"village_no": "5", "department": finance})
    again = client.post(URL, {"village_no": "5", "department": finance})
    assert again.status_code == 400
    assert RoutingRule.objects.count() == 1


def test_another_organisations_division_or_rule_cannot_be_used(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.admin)
    theirs = org_b.departments.get(key="finance").pk
    assert client.post(URL, {"village_no": "5", "department": theirs}).status_code == 400
    _rule(org_b, "welfare", village="1")
    their_rule = RoutingRule.objects.get()
    assert client.post(URL, {"delete": their_rule.pk}).status_code == 404
    assert RoutingRule.objects.filter(pk=their_rule.pk).exists()


def test_the_administrator_chooses_who_completes_and_the_choice_is_audited(
    org_a: Organisation, staff_a: Staff
) -> None:
    admin = sign_in(Client(), staff_a.admin)
    page = admin.get(URL).content.decode()
    assert 'name="officers_may_complete" value="1" checked' in page  # the default
    response = admin.post(URL, {"officers_may_complete": "0"})
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.officers_may_complete is False
    entry = AuditLog.objects.filter(object_type="organisation").latest("pk")
    assert (entry.actor, entry.details) == (staff_a.admin, {"officers_may_complete": False})
    # Nobody else may change it.
    head = sign_in(Client(), staff_a.head)
    assert head.post(URL, {"officers_may_complete": "1"}).status_code == 404
    org_a.refresh_from_db()
    assert org_a.officers_may_complete is False


def test_who_completes_is_changed_only_on_the_routing_page_by_an_administrator(
    org_a: Organisation, staff_a: Staff
) -> None:
    """The head may manage reply templates, but posting the setting there changes nothing."""
    head = sign_in(Client(), staff_a.head)
    head.post("/staff/wangchao/templates/", {"officers_may_complete": "0"})
    org_a.refresh_from_db()
    assert org_a.officers_may_complete is True
