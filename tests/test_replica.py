"""The optional read replica: the public performance page reads from it; filing, tracking,
sign-in and every write use the primary. The alias `replica` is a test mirror of the default
database (tests/settings.py), so both hold the same rows; what is checked is which connection
each page used."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from onestop.cases.models import Case
from onestop.core.replica import ReplicaRouter, stale_reads
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case

pytestmark = pytest.mark.django_db(databases=["default", "replica"])
WITH_REPLICA = override_settings(ONESTOP_READ_REPLICA="replica")


@pytest.fixture(autouse=True)
def close_the_replica_connection() -> Iterator[None]:
    # Its own connection to the test database: left open, PostgreSQL could not drop that
    # database at the end of the run.
    yield
    connections["replica"].close()


def queries_on_each(run: object) -> tuple[int, int]:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        run()  # type: ignore[operator]
    return len(primary), len(replica)


@WITH_REPLICA
def test_the_performance_page_reads_from_the_replica(client: Client, org_a: Organisation) -> None:
    primary, replica = queries_on_each(lambda: client.get("/wangchao/performance/"))
    assert replica > 0
    assert primary == 0


@WITH_REPLICA
def test_the_dashboard_and_open_figures_read_from_the_replica(
    client: Client, staff_a: Staff, org_a: Organisation
) -> None:
    sign_in(client, staff_a.executive)
    for url in ("/staff/wangchao/dashboard/", "/wangchao/performance/figures.json"):
        with CaptureQueriesContext(connections["replica"]) as replica:
            assert client.get(url).status_code == 200
        assert len(replica) > 0, url


@WITH_REPLICA
def test_tracking_reads_from_the_primary(client: Client, org_a: Organisation) -> None:
    case: Case = make_case(org_a, phone="0812345678")
    number = case.display_number

    def track() -> None:
        response = client.post("/wangchao/track/", {"number": number, "digits": "5678"})
        assert response.status_code == 302

    primary, replica = queries_on_each(track)
    assert primary > 0
    assert replica == 0


@WITH_REPLICA
def test_sign_in_and_the_back_office_read_from_the_primary(client: Client, staff_a: Staff) -> None:
    client.force_login(staff_a.officer)
    primary, replica = queries_on_each(lambda: client.get("/staff/"))
    assert primary > 0
    assert replica == 0


@WITH_REPLICA
def test_writes_go_to_the_primary_even_where_reads_may_be_stale() -> None:
    router = ReplicaRouter()
    with stale_reads():
        assert router.db_for_read(Organisation) == "replica"
        assert router.db_for_write(Organisation) == "default"
    assert router.db_for_read(Organisation) is None  # the primary outside the block


def test_without_a_replica_every_read_uses_the_primary(client: Client, org_a: Organisation) -> None:
    primary, replica = queries_on_each(lambda: client.get("/wangchao/performance/"))
    assert primary > 0
    assert replica == 0
    with stale_reads():
        assert ReplicaRouter().db_for_read(Organisation) is None


def test_migrations_run_only_on_the_primary() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate("default", "cases")
    assert not router.allow_migrate("replica", "cases")
