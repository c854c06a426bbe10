"""The places-and-status UPDATE: the database applies the domain's open/full rule."""

from __future__ import annotations

import factories as f
import pytest
from sqlalchemy.engine import Engine

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.lifecycle import status_after_acceptance
from heurecivique_app.domain.models import Mission
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services.missions.places import change_places


def _mission(engine: Engine, *, capacity: int, taken: int, status: MissionStatus) -> int:
    with session_scope(engine) as s:
        mission = f.world(s, capacity=capacity, status=status, accepted_count=taken).mission
        return mission.id


def _step(engine: Engine, mission_id: int, step: int) -> tuple[bool, Mission]:
    with session_scope(engine) as s:
        changed = change_places(s, mission_id=mission_id, step=step, now=utcnow())
    with session_scope(engine) as s:
        return changed, s.get(Mission, mission_id)


@pytest.mark.parametrize(("capacity", "taken", "status", "step"), [
    (3, 0, MissionStatus.OPEN, 1),
    (3, 2, MissionStatus.OPEN, 1),
    (1, 0, MissionStatus.OPEN, 1),
    (3, 3, MissionStatus.FULL, -1),
    (3, 2, MissionStatus.OPEN, -1),
    (2, 2, MissionStatus.FULL, 0),
])
def test_the_count_and_status_follow_the_domain_rule(
    db_engine: Engine, capacity: int, taken: int, status: MissionStatus, step: int,
) -> None:
    mission_id = _mission(db_engine, capacity=capacity, taken=taken, status=status)
    changed, after = _step(db_engine, mission_id, step)
    assert changed
    assert after.accepted_count == taken + step
    assert after.status == status_after_acceptance(taken + step, capacity)


@pytest.mark.parametrize(("taken", "status", "step"), [
    (2, MissionStatus.FULL, 1),       # no place left
    (1, MissionStatus.FULL, 1),       # full by status: only an open mission gives a place
    (1, MissionStatus.DONE, -1),      # done: places are history
    (0, MissionStatus.CANCELLED, 0),
    (0, MissionStatus.DRAFT, 1),
])
def test_a_mission_that_moved_on_is_left_alone(
    db_engine: Engine, taken: int, status: MissionStatus, step: int,
) -> None:
    mission_id = _mission(db_engine, capacity=2, taken=taken, status=status)
    changed, after = _step(db_engine, mission_id, step)
    assert not changed
    assert (after.accepted_count, after.status) == (taken, status)


def test_more_than_one_place_at_a_time_is_refused(db_engine: Engine) -> None:
    mission_id = _mission(db_engine, capacity=5, taken=0, status=MissionStatus.OPEN)
    with pytest.raises(ValueError, match="one place at a time"), \
            session_scope(db_engine) as s:
        change_places(s, mission_id=mission_id, step=2, now=utcnow())
