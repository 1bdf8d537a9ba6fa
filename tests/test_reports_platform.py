"""The platform view (ผลการดำเนินงานทุกองค์กร): operators only, figures from the rollups, shares
with Wilson intervals checked against published values, the rule that a small organisation is
never ranked above a larger one, sorting and paging by query parameters, a constant query count."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onestop.organisations.models import Organisation
from onestop.reports.figures import Histogram
from onestop.reports.platform import MIN_RANKED, OrganisationRow, rank, wilson_interval
from tests import reports_data
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_organisation
from tests.reports_data import TODAY, History

URL = "/admin/platform/performance/"


@pytest.fixture(autouse=True)
def on_30_january_2026() -> Any:
    with mock.patch("onestop.reports.views_platform.today", return_value=TODAY):
        yield


# --- Wilson's interval ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion", table I.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # 0 of 10: the upper bound is z² / (n + z²) = 3.8415 / 13.8415.
        (0, 10, 0.0, 0.2775),
    ],
)
def test_wilson_interval_matches_published_values(
    successes: int, n: int, low: float, high: float
) -> None:
    interval = wilson_interval(successes, n)
    assert interval is not None
    assert interval.low == pytest.approx(low, abs=5e-5)
    assert interval.high == pytest.approx(high, abs=5e-5)


def test_wilson_interval_without_requests_is_none_and_impossible_counts_are_refused() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="between 0 and n"):
        wilson_interval(4, 3)


# --- The ranking rule ----------------------------------------------------------------------------


def _row(name: str, on_time: int, completed: int) -> OrganisationRow:
    return OrganisationRow(
        Organisation(name_th=name, slug=name), completed=completed, completed_on_time=on_time
    )


def test_small_organisations_are_never_ranked_above_larger_ones() -> None:
    perfect_but_small = _row("small", 29, 29)  # interval from 0.883: better than everyone's
    tiny = _row("tiny", 3, 3)
    good = _row("good", 90, 100)  # from 0.826
    fair = _row("fair", 30, 40)  # from 0.598
    ordered = rank([tiny, fair, perfect_but_small, good], "on_time")
    assert [r.organisation.slug for r in ordered] == ["good", "fair", "small", "tiny"]
    assert MIN_RANKED == 30


def test_the_lower_bound_not_the_share_decides() -> None:
    # 95 of 100 (0.95, from 0.888) ranks above 40 of 40 (1.00, from 0.912)? No: 40/40 has the
    # higher lower bound. And 30 of 30 (from 0.886) ranks below 95 of 100 (from 0.888).
    a, b, c = _row("a", 95, 100), _row("b", 40, 40), _row("c", 30, 30)
    assert [r.organisation.slug for r in rank([a, b, c], "on_time")] == ["b", "a", "c"]


def test_reopened_shares_rank_by_the_upper_bound_lowest_first() -> None:
    few = OrganisationRow(Organisation(name_th="few", slug="few"), completed=200,
                          reopened_by_citizen=2)  # fmt: skip
    many = OrganisationRow(Organisation(name_th="many", slug="many"), completed=200,
                           reopened_by_citizen=30)  # fmt: skip
    small = OrganisationRow(Organisation(name_th="small", slug="small"), completed=10)
    ordered = rank([small, many, few], "reopened")
    assert [r.organisation.slug for r in ordered] == ["few", "many", "small"]


def test_satisfaction_needs_30_ratings_to_be_ranked() -> None:
    five = OrganisationRow(Organisation(name_th="five", slug="five"), ratings=Histogram())
    five.ratings.counts[5] = 3
    fours = OrganisationRow(Organisation(name_th="fours", slug="fours"), ratings=Histogram())
    fours.ratings.counts[4] = 40
    assert [r.organisation.slug for r in rank([five, fours], "satisfaction")] == ["fours", "five"]


# --- The page -------------------------------------------------------------------------------------


def test_only_platform_operators_see_it(client: Client, staff_a: Staff, admin_user: User) -> None:
    sign_in(client, staff_a.executive)  # an organisation's executive is no platform operator
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    operator = sign_in(Client(), admin_user, second_factor=False)
    response = operator.get(URL)
    assert response.status_code == 302  # the second factor first
    assert sign_in(Client(), admin_user).get(URL).status_code == 200


def _line(html: str, name: str) -> list[str]:
    """The rank cell, then the first word of every figure cell, of organisation `name`."""
    pattern = rf'<tr>\s*<td>(.*?)</td>\s*<th scope="row"><a [^>]*>{name}</a></th>(.*?)</tr>'
    match = re.search(pattern, html, re.S)
    assert match, name
    figures = re.findall(r"<td>(.*?)</td>", match.group(2), re.S)
    return [match.group(1), *(re.sub(r"<[^>]+>", " ", c).split()[0] for c in figures)]


def test_figures_come_from_the_rollups(
    admin_client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    history: History = reports_data.build(org_a, staff_a.head)
    assert history.cases
    html = admin_client.get(URL).content.decode()
    # FY 2569: 8 received, 2 open now (1 overdue), 5 completed, 4 on time, 1 reopened, 4.5.
    line = _line(html, org_a.name)
    assert line[1:] == ["8", "2", "1", "5", "80.0%", "20.0%", "4.50"]
    assert "37.6–96.4%" in html  # Wilson for 4 of 5
    assert "ไม่จัดอันดับ" in line[0]  # 5 completions: fewer than 30
    assert "30" in html  # the rule is stated on the page
    assert f'href="/{org_a.slug}/performance/"' in html


def test_sorting_and_paging_by_query_parameters(
    admin_client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    html = admin_client.get(URL, {"sort": "name"}).content.decode()
    names = sorted([org_a.name, org_b.name])
    assert html.index(names[0]) < html.index(names[1])
    assert 'aria-sort="descending"' in html or 'aria-current="true"' in html
    with mock.patch("onestop.reports.views_platform.PER_PAGE", 1):
        first = admin_client.get(URL, {"sort": "name"}).content.decode()
        second = admin_client.get(URL, {"sort": "name", "page": "2"}).content.decode()
    assert names[0] in first and names[1] not in first.split("<tbody>")[1]
    assert names[1] in second.split("<tbody>")[1]
    assert 'rel="next"' in first


@pytest.mark.parametrize(
    "params",
    [{"sort": "<script>x</script>"}, {"page": "-1"}, {"page": "abc"}, {"year": "1900"},
     {"page": "9" * 500}],
)  # fmt: skip
def test_invalid_parameters_are_explained_and_defaults_used(
    admin_client: Client, params: dict[str, str]
) -> None:
    response = admin_client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert "<script>x" not in html
    english = admin_client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "Select a valid choice" in english
        or "Enter a whole number" in english
        or ("greater than or equal" in english or "less than or equal" in english)
    )


def test_the_number_of_queries_does_not_grow_with_organisations(admin_client: Client) -> None:
    admin_client.get(URL)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(URL).status_code == 200
        return len(captured)

    before = queries()
    for _index in range(3):
        make_organisation()
    assert queries() == before
