"""A person who already serves another organisation joins this one only by accepting an
invitation, signed in as themself: their username and e-mail are not enough."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Invitation, Membership, Organisation, Role
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff

MEMBERS_B = "/staff/other/members/"


def _invite_a_officer(
    org_b: Organisation, staff_b: Staff, capture: Any, *, role: str = "officer"
) -> Any:
    engineering = org_b.departments.get(key="engineering")
    with capture(execute=True):
        return sign_in(Client(), staff_b.admin).post(MEMBERS_B, {
            "username": "a-officer", "email": "a-officer@example.com", "first_name": "สมชาย",
            "last_name": "ใจดี", "role": role, "department": engineering.pk,
        })  # fmt: skip


def _link(mail: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/staff/invitations/\S+/)", mail.body)
    assert found is not None
    return found.group(1)


def test_the_admin_of_b_cannot_make_a_officer_a_member_without_acceptance(
    org_b: Organisation,
    staff_a: Staff,
    staff_b: Staff,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = _invite_a_officer(org_b, staff_b, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert not Membership.objects.filter(user=staff_a.officer, organisation=org_b).exists()
    assert sign_in(Client(), staff_a.officer).get("/staff/other/").status_code == 404
    [mail] = mailoutbox
    assert mail.to == ["a-officer@example.com"]
    assert org_b.name_th in mail.subject
    assert "/staff/invitations/" in mail.body
    page = sign_in(Client(), staff_b.admin).get(MEMBERS_B).content.decode()
    waiting = page.split("คำเชิญที่รอการตอบรับ")[1].split("</ul>")[0]
    assert "a-officer" in waiting


def test_accepting_the_invitation_creates_the_membership(
    org_b: Organisation,
    staff_a: Staff,
    staff_b: Staff,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _invite_a_officer(org_b, staff_b, django_capture_on_commit_callbacks)
    person = sign_in(Client(), staff_a.officer)
    link = _link(mailoutbox[0])

    page = person.get(link)
    assert page.status_code == 200
    assert org_b.name_th in page.content.decode()
    response = person.post(link, {"answer": "accept"})

    assert response.status_code == 302
    membership = Membership.objects.get(user=staff_a.officer, organisation=org_b)
    assert (membership.role, membership.department.key) == (Role.OFFICER, "engineering")  # type: ignore[union-attr]
    assert person.get("/staff/other/").status_code == 200
    assert person.get("/staff/wangchao/").status_code == 200  # still serves A
    assert AuditLog.objects.filter(
        action=AuditAction.STAFF_CHANGE, organisation=org_b, actor=staff_a.officer,
        object_ref="a-officer",
    ).exists()  # fmt: skip
    assert person.post(link, {"answer": "accept"}).status_code == 404  # used up


def test_pending_invitations_are_shown_on_the_staff_start_page(
    org_b: Organisation,
    staff_a: Staff,
    staff_b: Staff,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _invite_a_officer(org_b, staff_b, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(user=staff_a.officer)

    page = sign_in(Client(), staff_a.officer).get("/staff/", follow=True).content.decode()

    assert org_b.name_th in page
    assert f"/staff/invitations/{invitation.token}/" in page


def test_another_users_token_does_nothing(
    org_b: Organisation,
    staff_a: Staff,
    staff_b: Staff,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _invite_a_officer(org_b, staff_b, django_capture_on_commit_callbacks)
    link = _link(mailoutbox[0])
    someone_else = sign_in(Client(), staff_a.counter)

    assert someone_else.get(link).status_code == 404
    assert someone_else.post(link, {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(organisation=org_b, user=staff_a.counter).exists()
    assert not Membership.objects.filter(organisation=org_b, user=staff_a.officer).exists()


def test_an_expired_invitation_does_nothing(
    org_b: Organisation,
    staff_a: Staff,
    staff_b: Staff,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _invite_a_officer(org_b, staff_b, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    person = sign_in(Client(), staff_a.officer)

    assert person.post(_link(mailoutbox[0]), {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(organisation=org_b, user=staff_a.officer).exists()
    assert org_b.name_th not in person.get("/staff/", follow=True).content.decode()


def test_declining_ends_the_invitation(
    org_b: Organisation,
    staff_a: Staff,
    staff_b: Staff,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _invite_a_officer(org_b, staff_b, django_capture_on_commit_callbacks)
    person = sign_in(Client(), staff_a.officer)
    link = _link(mailoutbox[0])

    assert person.post(link, {"answer": "decline"}).status_code == 302
    assert person.post(link, {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(organisation=org_b, user=staff_a.officer).exists()


def test_signing_in_from_the_emailed_link_comes_back_to_the_invitation(
    org_b: Organisation,
    staff_a: Staff,
    staff_b: Staff,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _invite_a_officer(org_b, staff_b, django_capture_on_commit_callbacks)
    link = _link(mailoutbox[0])

    response = Client().get(link)

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=/staff/invitations/")
