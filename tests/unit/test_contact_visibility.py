"""Who may see a beneficiary's address and phone, and until when (pure rule, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus, Role
from heurecivique_app.domain.events import DomainEvent, record, take_pending
from heurecivique_app.domain.models import Mission, Participation
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.selectors import contact_visible

START = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)


def _actor(role: Role, commune_id: int = 1, user_id: int = 7) -> Actor:
    return Actor(user_id=user_id, role=role, commune_id=commune_id, display_name="X",
                 neighbourhood_id=None, locale="fr")


def _mission(status: MissionStatus = MissionStatus.FULL) -> Mission:
    return Mission(id=1, commune_id=1, neighbourhood_id=1, category="visit", title="Visite",
                   status=status, approx_lat=0.0, approx_lon=0.0, starts_at=START,
                   duration_minutes=60, exact_address="3 rue Notre-Dame")


def _visible(actor: Actor, mission: Mission, status: ParticipationStatus | None,
             now: datetime = START) -> bool:
    participation = (
        None if status is None
        else Participation(mission_id=1, volunteer_id=actor.user_id, status=status)
    )
    return contact_visible(actor=actor, mission=mission, participation=participation,
                           now=now, hours_after=48)


def test_accepted_volunteer_sees_the_contact_until_two_days_after() -> None:
    me = _actor(Role.VOLUNTEER)
    end = START + timedelta(minutes=60)
    assert _visible(me, _mission(), ParticipationStatus.ACCEPTED)
    assert _visible(me, _mission(MissionStatus.DONE), ParticipationStatus.ACCEPTED,
                    now=end + timedelta(hours=48))
    assert not _visible(me, _mission(MissionStatus.DONE), ParticipationStatus.ACCEPTED,
                        now=end + timedelta(hours=48, seconds=1))


@pytest.mark.parametrize("status", [None, ParticipationStatus.DECLINED,
                                    ParticipationStatus.CANCELLED])
def test_volunteer_without_an_accepted_place_sees_nothing(status) -> None:
    assert not _visible(_actor(Role.VOLUNTEER), _mission(MissionStatus.OPEN), status)


@pytest.mark.parametrize("status", [MissionStatus.CANCELLED, MissionStatus.CLOSED,
                                    MissionStatus.EXPIRED])
def test_contact_disappears_when_the_mission_is_over(status: MissionStatus) -> None:
    assert not _visible(_actor(Role.VOLUNTEER), _mission(status), ParticipationStatus.ACCEPTED)


def test_staff_of_the_commune_only() -> None:
    assert _visible(_actor(Role.REFERENT), _mission(), None)
    assert _visible(_actor(Role.COMMUNE_ADMIN), _mission(MissionStatus.CLOSED), None)
    assert not _visible(_actor(Role.REFERENT, commune_id=2), _mission(), None)
    assert not _visible(_actor(Role.RELAY), _mission(), None)


def test_events_wait_on_the_session_until_taken() -> None:
    class FakeSession:
        info: dict = {}

    session = FakeSession()
    first = DomainEvent(kind="mission.accepted", commune_id=1, mission_id=1)
    second = DomainEvent(kind="mission.done", commune_id=1, mission_id=1)
    record(session, first)
    record(session, second)
    assert take_pending(session) == [first, second]
    assert take_pending(session) == []
