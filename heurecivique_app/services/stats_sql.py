"""SQL shared by the evaluation figures' raw reads (``stats.py``) and their summaries' upkeep."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session

from heurecivique_app.domain.enums import MissionStatus

DONE_STATUSES = (MissionStatus.DONE.value, MissionStatus.CLOSED.value)
FILLED_STATUSES = (MissionStatus.FULL.value, *DONE_STATUSES)


def hours_between(session: Session, later: ColumnElement[Any], earlier: ColumnElement[Any]
                  ) -> ColumnElement[float]:
    """``later - earlier`` in hours, computed by the database (either dialect)."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 24.0
    return func.extract("epoch", later - earlier) / 3600.0


@dataclass(frozen=True)
class Givers:
    """How many gave at least the pledged hour: each month, to each commune, in all."""

    per_month: dict[str, int]
    per_commune: dict[int, int]
    total: int

    @classmethod
    def of(cls, active: Mapping[str, set[int]], active_in: Mapping[int, set[int]]) -> Givers:
        """From who gave it each month, and to each commune's missions."""
        return cls({month: len(people) for month, people in active.items()},
                   {commune: len(people) for commune, people in active_in.items()},
                   len(set().union(*active.values())))
