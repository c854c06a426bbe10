"""The places taken on a mission and its open/full status, changed in one statement.

Every change of the count is one conditional, relative UPDATE: the database
decides any race (on SQLite the write lock serialises writers, on PostgreSQL the
row lock makes a later updater re-check the condition), and a stale read of the
mission never overwrites a place another volunteer took meanwhile. The status it
writes is :func:`domain.lifecycle.status_after_acceptance`, evaluated by the
database on the row it updates.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.lifecycle import status_after_acceptance
from heurecivique_app.domain.models import Mission

# FOR NO KEY UPDATE on PostgreSQL: it serialises the writers of the mission row but,
# unlike FOR UPDATE, not the inserts of participations (their foreign key takes a
# KEY SHARE lock on it), which would deadlock two volunteers joining at once.
ROW_LOCK = {"key_share": True}

# status_after_acceptance(taken, capacity) for every row at once: FULL from the
# first count that reaches the capacity, OPEN below it.
_FULL = status_after_acceptance(1, 1).value
_OPEN = status_after_acceptance(0, 1).value


def status_for(taken: ColumnElement[int]) -> ColumnElement[str]:
    """SQL for the status once ``taken`` places are taken (the domain rule, row by row)."""
    return case((taken >= Mission.capacity, _FULL), else_=_OPEN)


def change_places(session: Session, *, mission_id: int, step: int, now: datetime) -> bool:
    """Take or give back one place, and set the status that follows.

    Take (``step=1``) or give back (``-1``) one place; ``0`` keeps the count (a freed
    place went straight to the waiting list) but still re-checks the status.

    A place is taken only while the mission is open with one left; one is given
    back only while it is open or full (not once done or cancelled).

    Returns:
        Whether the mission row matched (False: no place left, or its status moved on).
    """
    if step not in (-1, 0, 1):
        raise ValueError(f"one place at a time, not {step}")
    where = [Mission.id == mission_id]
    if step == 1:
        where += [Mission.status == MissionStatus.OPEN, Mission.accepted_count < Mission.capacity]
    else:
        where.append(col(Mission.status).in_([MissionStatus.OPEN.value,
                                              MissionStatus.FULL.value]))
    taken = Mission.accepted_count + step
    changed = session.execute(
        update(Mission)
        .where(*where)
        .values(accepted_count=taken, status=status_for(taken), updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return changed.rowcount == 1
