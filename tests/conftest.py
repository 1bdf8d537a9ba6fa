"""Shared personas: two organisations (A = Wang Chao, B = another), each with a counter officer,
a department officer, a department head, an executive and an administrator."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from onestop.catalog.models import RequestType
from onestop.core import pagecache
from onestop.organisations.models import Organisation, Role
from onestop.organisations.services import staff_create
from tests.backoffice_helpers import sign_in
from tests.factories import make_organisation

STRICT = os.environ.get("ONESTOP_STRICT") == "1"
PASSWORD = "correct-horse-battery-2569"


@pytest.fixture(autouse=True)
def _language_of_each_test_is_its_own() -> Iterator[None]:
    """A request in English leaves English active in the thread (LocaleMiddleware does not put
    it back); the next test starts in the default language, whatever ran before it."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _public_pages_of_each_test_are_its_own() -> None:
    """The page cache lives in the process; the data of a test is rolled back after it, and a
    rollback sends no signal: each test starts with no page kept (onestop.core.pagecache)."""
    pagecache.clear_local()


def require_tool(name: str) -> str:
    """The path of an external tool; skip the test without it (CI, ONESTOP_STRICT=1: fail)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package: see README, Tests)"
        if STRICT:
            pytest.fail(message)
        pytest.skip(message)
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres_only` (row locks under real concurrency) run in the PostgreSQL
    run (`make test-postgres`, and CI); elsewhere they are deselected, not skipped."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


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


# The personas are built once, when the test database is created, and committed: every database
# test starts with them (as Zulip's test database starts with its users). pytest-django wraps
# each test in a transaction that is rolled back, so a test's changes to them never leak. The
# fixtures below read them back by their natural keys (one query each), so a test gets fresh
# instances that nothing before it has touched.
#
# Tests that run outside a transaction (`transaction=True`, `transactional_db`, `live_server`)
# end by flushing the whole database, personas included. pytest-django runs those tests after
# all the others, and the fixtures rebuild a persona that a flush removed, so they work too.
# A test that needs a platform without the personas (the demo, which reuses the slug
# "wangchao") asks for `no_personas`.

PERSONAS = {
    "a": {"slug": "wangchao", "name_th": "เทศบาลตำบลวังเจ้า", "code": "TEST-A"},
    "b": {"slug": "other", "name_th": "องค์การบริหารส่วนตำบลอื่น", "code": "TEST-B"},
}
_ROLES = ("counter", "officer", "head", "executive", "admin")


def _organisation(prefix: str) -> Organisation:
    """Persona organisation `prefix` ("a" or "b"): the one in the database, or a new one."""
    fields = PERSONAS[prefix]
    found = Organisation.objects.filter(slug=fields["slug"]).first()
    return found if found is not None else make_organisation(**fields)


def _staff_of(organisation: Organisation, prefix: str) -> Staff:
    """The persona staff of `organisation`: the ones in the database, or new ones."""
    usernames = [f"{prefix}-{role}" for role in _ROLES]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    if len(users) != len(usernames):
        User.objects.filter(username__in=usernames).delete()  # a half-built set: start over
        return _staff(organisation, prefix)
    return Staff(*(users[name] for name in usernames))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Create the test database (pytest-django's fixture), then commit the personas in it."""
    with django_db_blocker.unblock():
        for prefix in PERSONAS:
            _staff_of(_organisation(prefix), prefix)


@pytest.fixture
def org_a(db: None) -> Organisation:
    return _organisation("a")


@pytest.fixture
def org_b(db: None) -> Organisation:
    return _organisation("b")


@pytest.fixture
def staff_a(org_a: Organisation) -> Staff:
    return _staff_of(org_a, "a")


@pytest.fixture
def staff_b(org_b: Organisation) -> Staff:
    return _staff_of(org_b, "b")


@pytest.fixture
def no_personas(db: None) -> None:
    """A platform without the personas: they are deleted inside this test's transaction (or,
    in a transactional test, before the flush that would delete them anyway)."""
    usernames = [f"{prefix}-{role}" for prefix in PERSONAS for role in _ROLES]
    User.objects.filter(username__in=usernames).delete()
    organisations = Organisation.objects.filter(slug__in=[f["slug"] for f in PERSONAS.values()])
    # Request types protect their category: delete them first, then the rest cascades.
    RequestType.objects.filter(organisation__in=organisations).delete()
    organisations.delete()


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    """pytest-django's `admin_client`, past the second factor the admin requires (TOTP)."""
    return sign_in(Client(), admin_user)


# Browser fixtures live in tests/browser.py; registered here so every test module can use them.
pytest_plugins = ["tests.browser", "tests.smtp"]
