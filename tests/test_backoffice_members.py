"""Organisation administrators manage their staff: add a person (who sets their own password
from an e-mailed link), change roles, departments and the confidential grant, switch off."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError
from django.test import Client

from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Membership, Organisation, Role
from onestop.organisations.services import staff_create
from tests.backoffice_helpers import sign_in
from tests.conftest import PASSWORD, Staff
from tests.factories import make_case

URL = "/staff/wangchao/members/"


def _add(client: Client, **overrides: Any) -> Any:
    data = {
        "username": "somsak", "email": "somsak@example.com", "first_name": "สมศักดิ์",
        "last_name": "รักงาน", "role": "officer", "department": "", "can_see_confidential": "",
    }  # fmt: skip
    data.update(overrides)
    return client.post(URL, data)


def test_the_administrator_sees_only_their_organisations_staff(
    staff_a: Staff, staff_b: Staff, client: Client
) -> None:
    page = sign_in(client, staff_a.admin).get(URL).content.decode()
    assert "a-officer" in page
    assert "b-officer" not in page


def test_a_new_member_sets_their_own_password_from_the_emailed_link(
    org_a: Organisation, staff_a: Staff, client: Client, mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    engineering = org_a.departments.get(key="engineering")
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends it on commit
        response = _add(sign_in(client, staff_a.admin), department=engineering.pk)
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="somsak")
    assert (membership.role, membership.department) == (Role.OFFICER, engineering)
    assert AuditLog.objects.filter(action=AuditAction.STAFF_CHANGE, object_ref="somsak").exists()
    assert len(mailoutbox) == 1
    link = re.search(r"(/staff/password/reset/\S+/)", mailoutbox[0].body)
    assert link is not None
    newcomer = Client()
    form = newcomer.get(link.group(1), follow=True)
    password = "ช่างไฟวังเจ้า-2569"
    newcomer.post(form.request["PATH_INFO"], {"new_password1": password, "new_password2": password})
    assert (
        newcomer.post("/staff/login/", {"username": "somsak", "password": password}).status_code
        == 302
    )
    assert newcomer.get("/staff/wangchao/").status_code == 200


def test_an_officer_needs_a_department(staff_a: Staff, client: Client) -> None:
    response = _add(sign_in(client, staff_a.admin))
    assert response.status_code == 400
    assert not User.objects.filter(username="somsak").exists()


def test_someone_elses_account_cannot_be_pulled_in_by_its_username(
    staff_a: Staff, staff_b: Staff, client: Client
) -> None:
    response = _add(sign_in(client, staff_a.admin), username="b-executive", role="counter")
    assert response.status_code == 400
    assert not Membership.objects.filter(
        user=staff_b.executive, organisation__slug="wangchao"
    ).exists()


def test_a_person_may_serve_two_organisations(
    staff_a: Staff,
    staff_b: Staff,
    client: Client,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _add(sign_in(client, staff_a.admin), username="b-counter", email="b-counter@example.com",
             role="counter")  # fmt: skip
    person = sign_in(Client(), staff_b.counter)
    link = re.search(r"(/staff/invitations/\S+/)", mailoutbox[-1].body)
    assert link is not None
    person.post(link.group(1), {"answer": "accept"})  # their consent first
    assert person.get("/staff/").status_code == 200  # a choice of two organisations now
    assert person.get("/staff/wangchao/").status_code == 200
    assert person.get("/staff/other/").status_code == 200


def test_granting_confidential_access_opens_the_complaints_to_that_officer(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    secret = make_case(org_a, type_key="corruption")
    officer = org_a.memberships.get(user=staff_a.officer)
    office = org_a.departments.get(key="office")
    assert (
        sign_in(Client(), staff_a.officer)
        .get(f"/staff/wangchao/cases/{secret.number}/")
        .status_code
        == 404
    )
    sign_in(client, staff_a.admin).post(f"{URL}{officer.pk}/", {
        f"m{officer.pk}-role": "officer", f"m{officer.pk}-department": office.pk,
        f"m{officer.pk}-can_see_confidential": "on", f"m{officer.pk}-is_active": "on",
    })  # fmt: skip
    assert (
        sign_in(Client(), staff_a.officer)
        .get(f"/staff/wangchao/cases/{secret.number}/")
        .status_code
        == 200
    )


def test_a_switched_off_member_loses_access(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    counter = org_a.memberships.get(user=staff_a.counter)
    sign_in(client, staff_a.admin).post(f"{URL}{counter.pk}/", {f"m{counter.pk}-role": "counter"})
    counter.refresh_from_db()
    assert not counter.is_active
    assert sign_in(Client(), staff_a.counter).get("/staff/wangchao/").status_code == 404


def test_administrators_cannot_lock_themselves_out(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    me = org_a.memberships.get(user=staff_a.admin)
    response = sign_in(client, staff_a.admin).post(
        f"{URL}{me.pk}/", {f"m{me.pk}-role": "counter", f"m{me.pk}-is_active": "on"}, follow=True
    )
    assert "คุณลดสิทธิ์หรือปิดบัญชีของตัวเองไม่ได้" in response.content.decode()
    me.refresh_from_db()
    assert me.role == Role.ADMIN


def test_another_organisations_member_cannot_be_changed(
    org_b: Organisation, staff_a: Staff, staff_b: Staff, client: Client
) -> None:
    theirs = org_b.memberships.get(user=staff_b.counter)
    response = sign_in(client, staff_a.admin).post(
        f"{URL}{theirs.pk}/", {f"m{theirs.pk}-role": "admin", f"m{theirs.pk}-is_active": "on"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.COUNTER


def test_a_member_is_not_added_when_the_audit_entry_cannot_be_written(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    engineering = org_a.departments.get(key="engineering")
    admin = sign_in(client, staff_a.admin)
    with (
        mock.patch.object(AuditLog.objects, "create", side_effect=DatabaseError("audit down")),
        pytest.raises(DatabaseError),
    ):
        _add(admin, department=engineering.pk)
    assert not User.objects.filter(username="somsak").exists()
    assert not Membership.objects.filter(user__username="somsak").exists()


def test_a_role_change_is_undone_when_the_audit_entry_cannot_be_written(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    counter = org_a.memberships.get(user=staff_a.counter)
    admin = sign_in(client, staff_a.admin)
    with (
        mock.patch.object(AuditLog.objects, "create", side_effect=DatabaseError("audit down")),
        pytest.raises(DatabaseError),
    ):
        admin.post(f"{URL}{counter.pk}/", {
            f"m{counter.pk}-role": "executive", f"m{counter.pk}-is_active": "on",
        })  # fmt: skip
    counter.refresh_from_db()
    assert counter.role == Role.COUNTER


def _second_admin(org: Organisation) -> User:
    return staff_create(
        organisation=org, username="a-admin2", password=PASSWORD, role=Role.ADMIN,
        email="a-admin2@example.com",
    ).user  # fmt: skip


def _edit(member: Membership, **values: str) -> dict[str, str]:
    data = {"role": member.role, "department": str(member.department_id or ""), "is_active": "on"}
    data.update(values)
    return {f"m{member.pk}-{k}": v for k, v in data.items() if v}


def test_an_administrator_cannot_grant_themself_confidential_access(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    me = org_a.memberships.get(user=staff_a.admin)
    response = sign_in(client, staff_a.admin).post(
        f"{URL}{me.pk}/", _edit(me, can_see_confidential="on"), follow=True
    )
    assert "ให้สิทธิ์เห็นเรื่องร้องเรียนที่เป็นความลับแก่ตัวเองไม่ได้" in response.content.decode()
    me.refresh_from_db()
    assert not me.can_see_confidential


def test_an_administrator_cannot_grant_themself_by_adding_themself_again(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    response = _add(
        sign_in(client, staff_a.admin), username="a-admin", email="a-admin@example.com",
        role="admin", can_see_confidential="on",
    )  # fmt: skip
    assert response.status_code == 400
    assert not org_a.memberships.get(user=staff_a.admin).can_see_confidential


def test_every_administrator_sees_who_granted_confidential_access_to_whom(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    second = _second_admin(org_a)
    me = org_a.memberships.get(user=staff_a.admin)
    sign_in(Client(), second).post(f"{URL}{me.pk}/", _edit(me, can_see_confidential="on"))
    me.refresh_from_db()
    assert me.can_see_confidential
    entry = AuditLog.objects.filter(action=AuditAction.STAFF_CHANGE, object_ref="a-admin").first()
    assert entry is not None
    assert (entry.actor, entry.details["confidential_access"]) == (second, "granted")

    page = sign_in(client, staff_a.admin).get(URL).content.decode()
    assert "a-admin2 ให้สิทธิ์แก่ a-admin" in page

    officer = org_a.memberships.get(user=staff_a.officer)
    sign_in(Client(), staff_a.admin).post(
        f"{URL}{officer.pk}/", _edit(officer, can_see_confidential="on")
    )
    sign_in(Client(), staff_a.admin).post(f"{URL}{officer.pk}/", _edit(officer))
    page = sign_in(Client(), second).get(URL).content.decode()
    assert "a-admin ให้สิทธิ์แก่ a-officer" in page
    assert "a-admin ยกเลิกสิทธิ์ของ a-officer" in page
    assert "a-admin2 ให้สิทธิ์แก่ a-admin" in page


def test_the_settings_pages_warn_when_nobody_granted_can_act_on_confidential_complaints(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.admin)
    # The executive is granted but only reads; nobody in the Office may act on complaints.
    for page in (URL, "/staff/wangchao/catalogue/"):
        html = client.get(page).content.decode()
        assert "เรื่องลับที่ยังไม่มีผู้ดำเนินการได้" in html, page
        assert "แจ้งการทุจริตของเจ้าหน้าที่/พนักงาน" in html
    office = org_a.departments.get(key="office")
    staff_create(
        organisation=org_a, username="palad", password=PASSWORD, role=Role.HEAD,
        email="palad@example.com", department=office, can_see_confidential=True,
    )  # fmt: skip
    for page in (URL, "/staff/wangchao/catalogue/"):
        assert "เรื่องลับที่ยังไม่มีผู้ดำเนินการได้" not in client.get(page).content.decode()


def test_a_granted_head_of_another_division_does_not_silence_the_warning(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    Membership.objects.filter(user=staff_a.head).update(can_see_confidential=True)  # engineering
    html = sign_in(client, staff_a.admin).get(URL).content.decode()
    assert "เรื่องลับที่ยังไม่มีผู้ดำเนินการได้" in html
    Membership.objects.filter(organisation=org_a, can_see_confidential=True).update(is_active=False)
    office = org_a.departments.get(key="office")
    Membership.objects.filter(user=staff_a.officer).update(
        department=office, can_see_confidential=True, is_active=False
    )
    assert "เรื่องลับที่ยังไม่มีผู้ดำเนินการได้" in client.get(URL).content.decode()


def test_the_warning_is_for_administrators_only(staff_a: Staff, client: Client) -> None:
    assert sign_in(client, staff_a.counter).get(URL).status_code == 404
