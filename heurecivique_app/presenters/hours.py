"""A volunteer's hour (« mon heure »), as their home and board show it. No reflex."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from babel.dates import format_date

from heurecivique_app.domain.hours import MonthlyHour
from heurecivique_app.i18n import format_duration, translate


class MonthRow(TypedDict):
    """One past month of the volunteer's history."""

    month: str  # "avril 2026"
    given: str  # the time given, formatted
    met: str  # "1" when the pledged hour was given, else ""


def hour_label(minutes: int, locale: str) -> str:
    """« 45 min given this month out of your hour », translated."""
    return translate("{given} given this month out of your hour", locale,
                     given=format_duration(minutes, locale))


def streak_label(months: int, locale: str) -> str:
    """How many months in a row the volunteer gave their hour, translated."""
    return translate("{count} month(s) in a row with your hour given", locale, count=months)


def month_row(hour: MonthlyHour, locale: str) -> MonthRow:
    """A month of the history (``hour.month`` is "YYYY-MM")."""
    first_day = date(int(hour.month[:4]), int(hour.month[5:]), 1)
    return MonthRow(month=format_date(first_day, "LLLL yyyy", locale=locale),
                    given=format_duration(hour.minutes, locale),
                    met="1" if hour.pledge_met else "")
