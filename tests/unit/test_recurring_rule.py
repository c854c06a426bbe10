"""The scheme is for one-off help: three needs of a kind in 90 days flag the beneficiary."""

from datetime import UTC, datetime, timedelta

from heurecivique_app.domain.followup import recurring_flag

NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)


def days(*offsets: int, category: str = "shopping") -> list[tuple[str, datetime]]:
    return [(category, NOW + timedelta(days=d)) for d in offsets]


def test_three_needs_of_one_category_within_90_days_are_flagged():
    flag = recurring_flag(days(-80, -30, 0), category="shopping", now=NOW)
    assert flag is not None and (flag.count, flag.days) == (3, 90)


def test_two_needs_or_old_ones_or_other_categories_are_not():
    assert recurring_flag(days(-30, 0), category="shopping", now=NOW) is None
    assert recurring_flag(days(-200, -120, 0), category="shopping", now=NOW) is None
    mixed = days(-30, 0) + days(-10, category="visit")
    assert recurring_flag(mixed, category="shopping", now=NOW) is None


def test_planned_duplicates_count_as_much_as_past_needs():
    assert recurring_flag(days(0, 7, 14), category="visit", now=NOW) is None
    assert recurring_flag(days(0, 7, 14, category="visit"), category="visit", now=NOW)
