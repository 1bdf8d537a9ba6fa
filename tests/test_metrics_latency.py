"""Request latency by view at /metrics: counted per process, summed in the database, labelled by
the URL pattern's name (never the path: no number or id becomes a label)."""

from __future__ import annotations

import re
import runpy
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings

from onestop.core import latency
from onestop.core.metrics import Family, render
from onestop.core.models import RequestLatency
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case
from tests.test_observability import TOKEN, parse, scrape, value

ROOT = Path(__file__).resolve().parent.parent
NAME = "onestop_request_duration_seconds"


@pytest.fixture(autouse=True)
def _nothing_pending() -> Iterator[None]:
    """Counts of earlier tests (in this process) are not this test's."""
    latency._pending.take(force=True)
    yield
    latency._pending.take(force=True)


def histogram_labels(text: str) -> list[dict[str, str]]:
    """The label sets of every sample of the latency histogram."""
    found = []
    for line in text.splitlines():
        if line.startswith(NAME):
            found.append(dict(re.findall(r'(\w+)="([^"]*)"', line.split("{", 1)[1])))
    return found


@pytest.mark.django_db
@override_settings(ONESTOP_METRICS_TOKEN=TOKEN)
def test_a_request_shows_up_in_the_histogram_of_its_view(
    client: Client, org_a: Organisation
) -> None:
    assert client.get(f"/{org_a.slug}/").status_code == 200
    assert client.get(f"/{org_a.slug}/no-such-page/").status_code == 404
    latency.flush(force=True)
    text, samples = scrape(client)
    assert f"# TYPE {NAME} histogram" in text
    page = {"view": "organisation", "status": "2xx"}
    assert value(samples, f"{NAME}_count", **page) == 1
    assert value(samples, f"{NAME}_bucket", **page, le="+Inf") == 1
    assert value(samples, f"{NAME}_sum", **page) > 0
    assert value(samples, f"{NAME}_count", view="unmatched", status="4xx") == 1
    # Cumulative buckets: never fewer requests under a larger bound.
    counts = [value(samples, f"{NAME}_bucket", **page, le=le) for le in latency.LE]
    assert counts == sorted(counts) and counts[-1] == 1


@pytest.mark.django_db
@override_settings(ONESTOP_METRICS_TOKEN=TOKEN)
def test_numbers_and_ids_in_the_address_never_become_labels(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    assert client.get(f"/staff/{org_a.slug}/cases/{case.number}/").status_code == 200
    assert client.get(f"/{org_a.slug}/track/?number={case.number}").status_code == 200
    client.get(f"/staff/{org_a.slug}/members/{staff_a.officer.pk}/")  # a pk (POST only: 405)
    assert client.get("/no/such/1234567/page/").status_code == 404
    latency.flush(force=True)
    text, _samples = scrape(client)
    labels = histogram_labels(text)
    assert {"view": "backoffice:case", "status": "2xx", "le": "+Inf"} in labels
    assert {"view": "tracking:check", "status": "2xx", "le": "+Inf"} in labels
    assert {key for label in labels for key in label} == {"view", "status", "le"}
    assert {label["status"] for label in labels} <= {"2xx", "3xx", "4xx", "5xx"}
    views = {label["view"] for label in labels}
    assert "unmatched" in views and "backoffice:member-edit" in views
    for secret in (case.number, org_a.slug, "1234567"):
        assert not any(secret in view for view in views), secret
    assert not any(re.search(r"\d", view) for view in views), views  # no pk, no number


@pytest.mark.django_db
@override_settings(ONESTOP_METRICS_TOKEN=TOKEN)
def test_counts_written_by_several_processes_add_up(client: Client, org_a: Organisation) -> None:
    """Each worker adds its own counts to the same rows: two writes add, never overwrite."""
    latency.record(view="organisation", status=200, seconds=0.003)
    latency.record(view="organisation", status=200, seconds=0.2)
    latency.flush(force=True)  # one worker
    latency.record(view="organisation", status=200, seconds=0.004)
    latency.record(view="organisation", status=503, seconds=12.0)
    latency.flush(force=True)  # another (or the same, later)
    _text, samples = scrape(client)
    page = {"view": "organisation", "status": "2xx"}
    assert value(samples, f"{NAME}_bucket", **page, le="0.005") == 2
    assert value(samples, f"{NAME}_bucket", **page, le="0.25") == 3
    assert value(samples, f"{NAME}_count", **page) == 3
    assert value(samples, f"{NAME}_sum", **page) == pytest.approx(0.207)
    failed = {"view": "organisation", "status": "5xx"}
    assert value(samples, f"{NAME}_bucket", **failed, le="10.0") == 0
    assert value(samples, f"{NAME}_bucket", **failed, le="+Inf") == 1


def counted(view: str) -> int:
    """Requests of `view` answered 2xx, in the database's sums (every bucket)."""
    rows = RequestLatency.objects.filter(view=view, status_class="2xx")
    return sum(rows.values_list("count", flat=True))


@pytest.mark.django_db
def test_counts_are_written_at_most_every_few_seconds_and_kept_when_the_database_fails(
    client: Client, org_a: Organisation
) -> None:
    latency._pending.written_at = time.monotonic()  # as if just written
    with override_settings(ONESTOP_LATENCY_FLUSH_SECONDS=3600):
        client.get(f"/{org_a.slug}/")
        assert not RequestLatency.objects.exists()  # not yet due: no write per request
        latency._pending.written_at -= 3601  # an hour later: the next response writes
        client.get(f"/{org_a.slug}/")
    assert counted("organisation") == 2
    client.get(f"/{org_a.slug}/")
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        latency.flush(force=True)
    assert counted("organisation") == 2
    latency.flush(force=True)
    assert counted("organisation") == 3


@pytest.mark.django_db
def test_a_gunicorn_worker_writes_its_counts_when_it_exits() -> None:
    """A recycled worker (max_requests) loses nothing it counted."""
    config = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))
    latency.flush(force=True)
    latency.record(view="tracking:status", status=200, seconds=0.02)
    config["worker_exit"](None, None)
    assert RequestLatency.objects.get(view="tracking:status", le="0.025").count == 1


def test_the_histogram_is_valid_exposition_format() -> None:
    family = Family(
        NAME, "h", kind="histogram", series=[("_bucket", {"view": "a", "le": "+Inf"}, 2)]
    )
    text = render([family])
    assert f"# TYPE {NAME} histogram" in text
    assert parse(text) == {(f"{NAME}_bucket", frozenset({("view", "a"), ("le", "+Inf")})): 2.0}
