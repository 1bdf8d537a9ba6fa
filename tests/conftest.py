"""Shared personas: two organisations (A = Wang Chao, B = another), each with a counter officer,
a department officer, a department head, an executive and an administrator."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from onestop.organisations.models import Organisation, Role
from onestop.organisations.services import staff_create
from tests.backoffice_helpers import sign_in
from tests.factories import make_organisation

STRICT = os.environ.get("ONESTOP_STRICT") == "1"
PASSWORD = "correct-horse-battery-2569"


def require_tool(name: str) -> str:
    """The path of an external tool; skip the test without it (CI, ONESTOP_STRICT=1: fail)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package: see README, Tests)"
        if STRICT:
            pytest.fail(message)
        pytest.skip(message)
    return path


@dataclass
class Staff:
    counter: User
    officer: User
    head: User
    executive: User
    admin: User


def _staff(organisation: Organisation, prefix: str) -> Staff:
    engineering = organisation.departments.get(key="engineering")

    def make(suffix: str, role: Role, **extra: object) -> User:
        membership = staff_create(
            organisation=organisation,
            username=f"{prefix}-{suffix}",
            password=PASSWORD,
            role=role,
            email=f"{prefix}-{suffix}@example.com",
            **extra,  # type: ignore[arg-type]
        )
        return membership.user

    return Staff(
        counter=make("counter", Role.COUNTER),
        officer=make("officer", Role.OFFICER, department=engineering),
        head=make("head", Role.HEAD, department=engineering),
        executive=make("executive", Role.EXECUTIVE, can_see_confidential=True),
        admin=make("admin", Role.ADMIN),
    )


@pytest.fixture
def org_a(db: None) -> Organisation:
    return make_organisation(slug="wangchao", name_th="เทศบาลตำบลวังเจ้า", code="TEST-A")


@pytest.fixture
def org_b(db: None) -> Organisation:
    return make_organisation(slug="other", name_th="องค์การบริหารส่วนตำบลอื่น", code="TEST-B")


@pytest.fixture
def staff_a(org_a: Organisation) -> Staff:
    return _staff(org_a, "a")


@pytest.fixture
def staff_b(org_b: Organisation) -> Staff:
    return _staff(org_b, "b")


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    """pytest-django's `admin_client`, past the second factor the admin requires (TOTP)."""
    return sign_in(Client(), admin_user)


# Browser fixtures live in tests/browser.py; registered here so every test module can use them.
pytest_plugins = ["tests.browser", "tests.smtp"]
