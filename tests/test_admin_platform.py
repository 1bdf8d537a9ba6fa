"""The platform operators' admin (`/admin/`): the second factor for every operator, and no
confidential complaint shown to them (they are no member of the organisation with the grant)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from onestop.cases.models import Attachment, CaseEvent
from onestop.cases.services import case_transition
from onestop.cases.workflow import Actor, Status
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import pdf_file, sign_in
from tests.conftest import PASSWORD, Staff
from tests.factories import make_case


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("operator", "op@example.com", PASSWORD)


def test_a_superuser_without_a_second_factor_is_sent_to_set_it_up(
    superuser: User, client: Client
) -> None:
    client.force_login(superuser)  # the password only

    for url in ("/admin/", "/admin/cases/case/"):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith("/staff/2fa/?next=")
        assert "secret" in response.context  # the authenticator set-up (QR code and secret)


def test_the_password_form_of_the_admin_leads_to_the_one_time_code(
    superuser: User, client: Client
) -> None:
    response = client.post(
        "/admin/login/?next=/admin/cases/case/",
        {"username": "operator", "password": PASSWORD, "next": "/admin/cases/case/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/staff/2fa/?next=%2Fadmin%2Fcases%2Fcase%2F"
    assert client.get("/admin/cases/case/").status_code == 302


def test_a_superuser_past_the_second_factor_gets_in(superuser: User, client: Client) -> None:
    assert sign_in(client, superuser).get("/admin/cases/case/").status_code == 200


def test_the_admin_does_not_show_confidential_complaints(
    org_a: Organisation, superuser: User, client: Client
) -> None:
    ordinary = make_case(org_a, subject="ไฟถนนดับหน้าโรงเรียน")
    secret = make_case(org_a, type_key="corruption", subject="ร้องเรียนการจัดซื้อ", files=(pdf_file(),))
    operator = sign_in(client, superuser)

    cases = operator.get("/admin/cases/case/").content.decode()
    assert ordinary.subject in cases
    assert secret.subject not in cases
    page = operator.get(f"/admin/cases/case/{secret.pk}/change/", follow=True)
    assert secret.subject not in page.content.decode()
    assert page.redirect_chain[-1][0] == "/admin/"  # as for a request that does not exist

    event = CaseEvent.objects.filter(case=secret).first()
    attachment = Attachment.objects.get(case=secret)
    assert event is not None
    events = operator.get("/admin/cases/caseevent/").content.decode()
    assert f"/admin/cases/caseevent/{event.pk}/change/" not in events
    assert operator.get(f"/admin/cases/caseevent/{event.pk}/change/").status_code == 302
    files = operator.get("/admin/cases/attachment/").content.decode()
    assert attachment.original_name not in files
    assert operator.get(f"/admin/cases/attachment/{attachment.pk}/change/").status_code == 302


def test_the_admin_audit_trail_leaves_out_entries_about_confidential_complaints(
    org_a: Organisation, staff_a: Staff, superuser: User, client: Client
) -> None:
    ordinary, secret = make_case(org_a), make_case(org_a, type_key="corruption")
    for case in (ordinary, secret):
        case_transition(case=case, to=Status.RECEIVED, actor_kind=Actor.STAFF,
                        actor=staff_a.executive)  # fmt: skip
    trail = sign_in(client, superuser).get("/admin/core/auditlog/").content.decode()
    assert ordinary.number in trail
    assert secret.number not in trail
