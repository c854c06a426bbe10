"""Evaluation arithmetic (domain/stats.py) and the small-count rule (presenters/stats.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.domain.stats import (
    Period,
    active_by_month,
    add_months,
    distribution,
    percentile,
    period_of,
    pledge_share,
    retention,
    summarise,
)
from heurecivique_app.presenters.stats import count_text, hours_text, rate_text
from heurecivique_app.services.stats import StatsFilter, parse_query


def test_periods():
    assert period_of("month", anchor=date(2025, 12, 9)) == Period(date(2025, 12, 1),
                                                                   date(2026, 1, 1))
    assert period_of("quarter", anchor=date(2025, 11, 9)) == Period(date(2025, 10, 1),
                                                                     date(2026, 1, 1))
    assert period_of("year", anchor=date(2025, 3, 1)).months()[::11] == ["2025-01", "2025-12"]
    custom = period_of("custom", anchor=date(2025, 1, 1), start=date(2025, 1, 30),
                       end=date(2025, 3, 2))
    assert custom.months() == ["2025-01", "2025-02", "2025-03"]
    assert custom.end == date(2025, 3, 3)
    # Local midnight in Paris, as UTC.
    assert custom.bounds("Europe/Paris")[0] == datetime(2025, 1, 29, 23, tzinfo=UTC)


@pytest.mark.parametrize("kwargs", [
    {"kind": "week"}, {"kind": "custom"},
    {"kind": "custom", "start": date(2025, 3, 1), "end": date(2025, 2, 1)},
    {"kind": "custom", "start": date(2020, 1, 1), "end": date(2025, 2, 1)}])
def test_bad_periods_are_refused(kwargs):
    with pytest.raises(DomainError, match="Choose a period"):
        period_of(anchor=date(2025, 1, 1), **kwargs)


def test_add_months():
    assert add_months("2025-11", 3) == "2026-02"
    assert add_months("2025-01", -1) == "2024-12"


def test_percentiles_interpolate():
    assert percentile([], 50) is None
    assert percentile([4, 24], 50) == 14
    assert percentile([2, 4, 6, 24], 90) == pytest.approx(18.6)
    summary = summarise([3.0])
    assert (summary.count, summary.median, summary.p90) == (1, 3.0, 3.0)


def test_distribution():
    d = distribution({3: 1, 4: 1, 5: 1, 9: 4})
    assert d.counts == (0, 0, 1, 1, 1) and d.mean == 4 and d.total == 3
    assert distribution({}).mean is None


def test_pledge_and_activity():
    active = active_by_month({(1, "2025-01"): 60, (2, "2025-01"): 59, (2, "2025-02"): 90})
    assert active == {"2025-01": {1}, "2025-02": {2}}
    assert pledge_share(active, {"2025-01": 2, "2025-02": 4}, ["2025-01", "2025-02"]) == 2 / 6
    assert pledge_share(active, {}, ["2025-01"]) is None


def test_retention_leaves_months_not_over_unknown():
    rows = retention({1: "2025-01", 2: "2025-01"}, {1: {"2025-02", "2025-07"}},
                     current_month="2025-07")
    assert rows[0].signed_up == 2
    assert rows[0].shares == (0.5, 0.0, None)


@pytest.mark.parametrize(("count", "own_staff", "fr", "en"), [
    (0, False, "moins de 5", "fewer than 5"),
    (4, False, "moins de 5", "fewer than 5"),
    (5, False, "5", "5"),
    (4, True, "4", "4"),
    (0, True, "0", "0"),
    (12345, False, "12\u202f345", "12,345"),
])
def test_small_counts_outside_the_communes_staff(count, own_staff, fr, en):
    assert count_text(count, own_staff=own_staff, locale="fr") == fr
    assert count_text(count, own_staff=own_staff, locale="en") == en


def test_rates_over_small_counts_are_hidden_outside_the_staff():
    assert rate_text(2, 4, own_staff=False, locale="fr") == "moins de 5"
    assert rate_text(2, 4, own_staff=True, locale="fr") == "50 %"
    assert rate_text(3, 6, own_staff=False, locale="en") == "50 %"
    assert rate_text(0, 0, own_staff=True, locale="en") == "—"


def test_hours_are_not_counts_of_anyone():
    assert hours_text(90, "fr") == "1,5"
    assert hours_text(90, "en") == "1.5"


def test_month_ends_are_local_midnights():
    ends = period_of("quarter", anchor=date(2025, 2, 1)).month_ends("Europe/Paris")
    assert [m for m, _ in ends] == ["2025-01", "2025-02", "2025-03"]
    # The end of March is midnight in Paris, summer time already (UTC+2).
    assert ends[-1][1] == datetime(2025, 3, 31, 22, tzinfo=UTC)


def test_a_dashboards_query_is_checked_and_given_back():
    query = parse_query({"scope": "departement", "period": "month", "anchor": "2025-02-14",
                         "n": "3", "category": "visit"}, today=date(2026, 1, 1))
    assert query.departement and query.commune_id is None
    assert query.filters == StatsFilter(Period(date(2025, 2, 1), date(2025, 3, 1)), 3, "visit")
    assert parse_query(query.as_query(), today=date(2026, 1, 1)) == query
    # By default: this year, the actor's own commune.
    default = parse_query({}, today=date(2026, 5, 5))
    assert default.filters.period == Period(date(2026, 1, 1), date(2027, 1, 1))
    assert not default.departement


@pytest.mark.parametrize("data", [{"period": "week"}, {"start": "2025-13-01", "end": "x"},
                                  {"period": "custom", "start": "2025-02-01"}])
def test_a_bad_period_is_refused(data):
    with pytest.raises(DomainError, match="Choose a period"):
        parse_query(data, today=date(2026, 1, 1))


def test_an_id_that_cannot_be_one_is_not_found():
    with pytest.raises(NotFound):
        parse_query({"n": "abc"}, today=date(2026, 1, 1))
