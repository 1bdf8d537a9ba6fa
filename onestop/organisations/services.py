"""Writes for organisations, departments and staff."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from onestop.core.errors import DomainError
from onestop.organisations.defaults import DEFAULT_DEPARTMENTS
from onestop.organisations.models import (
    RESERVED_SLUGS,
    Department,
    Membership,
    Organisation,
    Role,
)


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
    account (a person may serve several organisations)."""
    if department is not None and department.organisation_id != organisation.pk:
        raise DomainError(_("กอง/สำนักนี้ไม่ได้อยู่ในองค์กรนี้"), code="foreign_department")
    if role in {Role.OFFICER, Role.HEAD} and department is None:
        raise DomainError(_("เจ้าหน้าที่กอง/สำนักต้องระบุกอง/สำนัก"), code="department_required")
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
