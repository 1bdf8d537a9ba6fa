"""Writes for organisations, departments and staff: creating staff accounts (operators), and
the administrators' changes to their organisation's members, each audited in its transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.links import staff_invitation_url
from onestop.core.models import AuditAction
from onestop.organisations.defaults import DEFAULT_DEPARTMENTS
from onestop.organisations.models import (
    RESERVED_SLUGS,
    Department,
    Invitation,
    Membership,
    Organisation,
    Role,
)

INVITATION_DAYS = 7
# `details["confidential_access"]` of a STAFF_CHANGE entry: the grant given or taken away.
CONFIDENTIAL_GRANTED = "granted"
CONFIDENTIAL_REVOKED = "revoked"


@transaction.atomic
def organisation_create(
    *,
    code: str,
    slug: str,
    name_th: str,
    kind: str,
    province: str,
    district: str,
    name_en: str = "",
    province_code: str = "",
    district_code: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Organisation:
    """Create an organisation with the default departments (the catalogue is installed by
    `catalog.services.organisation_onboard`, which calls this)."""
    if Organisation.objects.filter(code=code).exists():
        raise DomainError(_("มีองค์กรที่ใช้รหัสนี้แล้ว"), code="duplicate_code")
    if slug.lower() in RESERVED_SLUGS:
        raise DomainError(_("ชื่อย่อนี้ระบบใช้อยู่แล้ว กรุณาเลือกชื่ออื่น"), code="reserved_slug")
    if Organisation.objects.filter(slug=slug).exists():
        raise DomainError(_("มีองค์กรที่ใช้ชื่อย่อใน URL นี้แล้ว"), code="duplicate_slug")
    organisation = Organisation.objects.create(
        code=code, slug=slug, name_th=name_th, name_en=name_en, kind=kind,
        province=province, district=district, province_code=province_code,
        district_code=district_code, address=address, phone=phone, email=email, website=website,
        latitude=latitude, longitude=longitude,
    )  # fmt: skip
    Department.objects.bulk_create(
        Department(
            organisation=organisation, key=d.key, name_th=d.name_th, name_en=d.name_en, position=i
        )
        for i, d in enumerate(DEFAULT_DEPARTMENTS, start=1)
    )
    return organisation


@transaction.atomic
def staff_create(
    *,
    organisation: Organisation,
    username: str,
    password: str,
    role: Role,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    department: Department | None = None,
    can_see_confidential: bool = False,
) -> Membership:
    """Create a staff account with its role in `organisation`, or add the role to an existing
    account (a person may serve several organisations). For operators (`create_staff`) and
    `member_add`; it writes no audit entry of its own."""
    _check_department(organisation=organisation, role=role, department=department)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        validate_password(password, user)
        user.set_password(password)
        user.save()
    membership, _created = Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={
            "role": role,
            "department": department,
            "can_see_confidential": can_see_confidential,
            "is_active": True,
        },
    )
    return membership


def _check_department(
    *, organisation: Organisation, role: str, department: Department | None
) -> None:
    if department is not None and department.organisation_id != organisation.pk:
        raise DomainError(_("กอง/สำนักนี้ไม่ได้อยู่ในองค์กรนี้"), code="foreign_department")
    if role in {Role.OFFICER, Role.HEAD} and department is None:
        raise DomainError(_("เจ้าหน้าที่กอง/สำนักต้องระบุกอง/สำนัก"), code="department_required")


def _audit_member(
    *,
    request: HttpRequest | None,
    actor: User,
    organisation: Organisation,
    user: User,
    role: str,
    active: bool,
    **details: object,
) -> None:
    audit_record(
        request=request, actor=actor, action=AuditAction.STAFF_CHANGE,
        organisation=organisation, object_type="membership", object_ref=user.get_username(),
        details={"role": role, "active": active, **details},
    )  # fmt: skip


@transaction.atomic
def member_add(
    *,
    organisation: Organisation,
    actor: User,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    department: Department | None,
    can_see_confidential: bool,
    request: HttpRequest | None = None,
) -> Membership | Invitation:
    """An administrator (`actor`; the caller checked that) gives a person a role in
    `organisation`. Returns the new Membership, or an Invitation when the person must consent.

    1. The department must be the organisation's (and given for officers and heads).
    2. An existing account must have the e-mail typed: guessing a username must not hand
       someone's account a role here. One already serving here is edited on the list instead.
    3. An existing account that serves another organisation is invited: nothing changes until
       the person accepts, signed in; the link is e-mailed after commit.
    4. Otherwise the account (a new one with a random password nobody knows: the caller sends
       the link to set one) and its membership are created.
    5. The audit entry is written in the same transaction."""
    _check_department(organisation=organisation, role=role, department=department)
    email = email.strip()
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        if existing.email.lower() != email.lower():
            raise DomainError(_("มีชื่อผู้ใช้นี้แล้วแต่อีเมลไม่ตรงกัน กรุณาตรวจสอบ"), code="username_taken")
        if Membership.objects.filter(user=existing, organisation=organisation).exists():
            raise DomainError(
                _("ผู้นี้เป็นเจ้าหน้าที่ขององค์กรนี้อยู่แล้ว แก้ไขสิทธิ์ได้ที่รายชื่อด้านบน"),
                code="already_member",
            )
        if Membership.objects.filter(user=existing).exclude(organisation=organisation).exists():
            return _invite(
                organisation=organisation, actor=actor, user=existing, role=role,
                department=department, can_see_confidential=can_see_confidential,
                request=request,
            )  # fmt: skip
    membership = staff_create(
        organisation=organisation, username=username, password=secrets.token_urlsafe(32),
        role=role, email=email, first_name=first_name.strip(), last_name=last_name.strip(),
        department=department, can_see_confidential=can_see_confidential,
    )  # fmt: skip
    confidential = {"confidential_access": CONFIDENTIAL_GRANTED} if can_see_confidential else {}
    _audit_member(
        request=request, actor=actor, organisation=organisation, user=membership.user,
        role=membership.role, active=True, added=True, **confidential,
    )  # fmt: skip
    return membership


def _invite(
    *,
    organisation: Organisation,
    actor: User,
    user: User,
    role: Role,
    department: Department | None,
    can_see_confidential: bool,
    request: HttpRequest | None,
) -> Invitation:
    """A new offer replaces an open one; the e-mail goes out only once it is committed."""
    Invitation.objects.filter(
        organisation=organisation, user=user, accepted_at__isnull=True, declined_at__isnull=True
    ).delete()
    invitation = Invitation.objects.create(
        organisation=organisation, user=user, invited_by=actor, role=role, department=department,
        can_see_confidential=can_see_confidential, token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )  # fmt: skip
    audit_record(
        request=request, actor=actor, action=AuditAction.STAFF_CHANGE, organisation=organisation,
        object_type="invitation", object_ref=user.get_username(),
        details={"invited": True, "role": role, "confidential": can_see_confidential},
    )  # fmt: skip
    invitation_pk = invitation.pk
    transaction.on_commit(lambda: invitation_email_send(invitation_pk=invitation_pk))
    return invitation


def invitation_email_send(*, invitation_pk: int) -> None:
    """E-mail the invited person the link to accept (in Thai, like all staff mail)."""
    invitation = Invitation.objects.select_related("organisation", "user", "invited_by").get(
        pk=invitation_pk
    )
    if not invitation.user.email:
        return  # they still see it on /staff/ when they next sign in
    inviter = invitation.invited_by
    with translation.override("th"):
        subject = _("คำเชิญเป็นเจ้าหน้าที่ของ %(organisation)s") % {
            "organisation": invitation.organisation.name_th
        }
        body = _(
            "%(inviter)s เชิญคุณเป็น%(role)sของ %(organisation)s ในระบบ OneStop\n\n"
            "ลงชื่อเข้าใช้ด้วยบัญชี %(username)s แล้วเปิดลิงก์นี้เพื่อตอบรับหรือปฏิเสธ "
            "(ใช้ได้ %(days)s วัน):\n%(link)s\n\n"
            "หากคุณไม่รู้จักคำเชิญนี้ ไม่ต้องทำอะไร สิทธิ์ของคุณจะไม่เปลี่ยนแปลง"
        ) % {
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "-",
            "role": invitation.get_role_display(),
            "organisation": invitation.organisation.name_th,
            "username": invitation.user.get_username(),
            "days": INVITATION_DAYS,
            "link": staff_invitation_url(invitation.token),
        }
    send_mail(subject, body, None, [invitation.user.email])


def _open_invitation(*, user: User, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            token=token,
            user=user,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
            organisation__is_active=True,
        )
        .first()
    )
    if invitation is None:
        raise DomainError(_("ไม่พบคำเชิญนี้ หรือคำเชิญหมดอายุแล้ว"), code="invitation_missing")
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, token: str, request: HttpRequest | None = None) -> Membership:
    """The invited person, signed in, accepts: the membership offered is created. Another
    person's token, an expired or an answered one changes nothing."""
    invitation = _open_invitation(user=user, token=token)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership, _created = Membership.objects.update_or_create(
        user=user,
        organisation=invitation.organisation,
        defaults={
            "role": invitation.role,
            "department": invitation.department,
            "can_see_confidential": invitation.can_see_confidential,
            "is_active": True,
        },
    )
    inviter = invitation.invited_by.get_username() if invitation.invited_by else ""
    confidential = (
        {"confidential_access": CONFIDENTIAL_GRANTED, "granted_by": inviter}
        if invitation.can_see_confidential
        else {}
    )
    _audit_member(
        request=request, actor=user, organisation=invitation.organisation, user=user,
        role=membership.role, active=True, accepted_invitation=True, invited_by=inviter,
        **confidential,
    )  # fmt: skip
    return membership


@transaction.atomic
def invitation_decline(*, user: User, token: str, request: HttpRequest | None = None) -> None:
    invitation = _open_invitation(user=user, token=token)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    audit_record(
        request=request, actor=user, action=AuditAction.STAFF_CHANGE,
        organisation=invitation.organisation, object_type="invitation",
        object_ref=user.get_username(), details={"declined": True},
    )  # fmt: skip


@transaction.atomic
def member_update(
    *,
    organisation: Organisation,
    actor: User,
    membership: Membership,
    role: Role,
    department: Department | None,
    can_see_confidential: bool,
    is_active: bool,
    request: HttpRequest | None = None,
) -> Membership:
    """An administrator (`actor`; the caller checked that) changes a member's role, department,
    confidential grant or switches them off. Nobody demotes or switches off themself, nor grants
    themself the confidential complaints: another administrator must. Audited in the same
    transaction; a grant or revoke is named in `details["confidential_access"]`."""
    member = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=membership.pk, organisation=organisation)
        .first()
    )
    if member is None:
        raise DomainError(_("คุณไม่มีสิทธิ์จัดการเจ้าหน้าที่"), code="forbidden")
    _check_department(organisation=organisation, role=role, department=department)
    yourself = member.user_id == actor.pk
    if yourself and (role != Role.ADMIN or not is_active):
        raise DomainError(_("คุณลดสิทธิ์หรือปิดบัญชีของตัวเองไม่ได้ ให้ผู้ดูแลระบบอีกคนทำแทน"), code="self")
    if yourself and can_see_confidential and not member.can_see_confidential:
        raise DomainError(
            _("คุณให้สิทธิ์เห็นเรื่องร้องเรียนที่เป็นความลับแก่ตัวเองไม่ได้ ให้ผู้ดูแลระบบอีกคนเป็นผู้ให้สิทธิ์"),
            code="self_grant",
        )
    details: dict[str, object] = {}
    if can_see_confidential != member.can_see_confidential:
        details["confidential_access"] = (
            CONFIDENTIAL_GRANTED if can_see_confidential else CONFIDENTIAL_REVOKED
        )
    member.role = role
    member.department = department
    member.can_see_confidential = can_see_confidential
    member.is_active = is_active
    member.save(update_fields=["role", "department", "can_see_confidential", "is_active"])
    _audit_member(
        request=request, actor=actor, organisation=organisation, user=member.user, role=role,
        active=is_active, department=department.key if department else "", **details,
    )  # fmt: skip
    return member


def organisation_workflow_update(
    *,
    organisation: Organisation,
    officers_may_complete: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> Organisation:
    """Whether officers complete their own work (their head is told) or hand it to the head of
    their division, who completes it. Audited in the same transaction."""
    with transaction.atomic():
        organisation.officers_may_complete = officers_may_complete
        organisation.save(update_fields=["officers_may_complete"])
        audit_record(
            request=request, actor=actor, action=AuditAction.STAFF_CHANGE,
            organisation=organisation, object_type="organisation", object_ref=organisation.slug,
            details={"officers_may_complete": officers_may_complete},
        )  # fmt: skip
    return organisation
