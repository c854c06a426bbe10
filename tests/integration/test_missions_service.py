"""Accepting, seeing the address, withdrawing and marking a mission done."""

from __future__ import annotations

from datetime import UTC, datetime

import factories as f
import pytest
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import (
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import (
    AlreadyTaken,
    DomainError,
    InvalidTransition,
    NotAllowed,
    NotFound,
)
from heurecivique_app.domain.models import HourEntry, Mission, Participation
from heurecivique_app.presenters.pool import skills_text
from heurecivique_app.services import selectors
from heurecivique_app.services.missions import control, lifecycle, participation

TZ = "Europe/Paris"
HOURS_AFTER = 48


def detail(engine: Engine, actor, mission_id: int) -> selectors.MissionDetail:
    with session_scope(engine) as s:
        return selectors.mission_detail(s, actor=actor, mission_id=mission_id,
                                        contact_hours_after=HOURS_AFTER)


def accept(engine: Engine, actor, mission_id: int) -> Mission:
    with session_scope(engine) as s:
        return participation.accept_mission(s, actor=actor, mission_id=mission_id)


@pytest.fixture
def world(db_engine: Engine) -> f.World:
    with session_scope(db_engine) as s:
        return f.world(s)


def test_address_is_visible_only_after_acceptance_and_only_to_the_helper(
    db_engine: Engine, world: f.World
) -> None:
    with session_scope(db_engine) as s:
        other = f.actor(f.volunteer(s, neighbourhood_=world.neighbourhood))
    me = world.volunteer_actor
    mission_id = world.mission.id

    before = detail(db_engine, me, mission_id)
    assert before.contact is None and before.my_participation is None
    assert before.card.places_left == 1

    accepted = accept(db_engine, me, mission_id)
    assert accepted.status == MissionStatus.FULL and accepted.accepted_count == 1

    mine = detail(db_engine, me, mission_id)
    assert mine.my_participation == ParticipationStatus.ACCEPTED
    assert mine.contact is not None
    assert mine.contact.address == world.mission.exact_address
    assert mine.contact.phone == world.beneficiary.phone
    assert mine.contact.beneficiary_name == world.beneficiary.full_name

    theirs = detail(db_engine, other, mission_id)
    assert theirs.contact is None and theirs.my_participation is None
    assert theirs.card.places_left == 0 and theirs.card.status == MissionStatus.FULL
    # Staff of the commune always see the contact.
    assert detail(db_engine, world.referent_actor, mission_id).contact is not None


def test_the_public_card_carries_no_private_field() -> None:
    fields = set(selectors.MissionCard.__dataclass_fields__)
    assert not fields & {"exact_address", "address", "phone", "beneficiary_name",
                         "beneficiary_id", "access_notes"}


def test_second_volunteer_finds_it_taken(db_engine: Engine, world: f.World) -> None:
    with session_scope(db_engine) as s:
        other = f.actor(f.volunteer(s, neighbourhood_=world.neighbourhood))
    accept(db_engine, world.volunteer_actor, world.mission.id)
    before = row_counts(db_engine)
    with pytest.raises(AlreadyTaken) as info:
        accept(db_engine, other, world.mission.id)
    assert "Already taken" in info.value.message
    assert row_counts(db_engine) == before


def test_accepting_twice_is_refused(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s, kind=MissionKind.COLLECTIVE, capacity=3)
    accept(db_engine, w.volunteer_actor, w.mission.id)
    with pytest.raises(DomainError, match="already accepted"):
        accept(db_engine, w.volunteer_actor, w.mission.id)
    with session_scope(db_engine) as s:
        assert s.get(Mission, w.mission.id).accepted_count == 1


def test_pending_volunteer_is_refused_for_individual_missions(
    db_engine: Engine, world: f.World
) -> None:
    with session_scope(db_engine) as s:
        pending = f.actor(f.volunteer(s, neighbourhood_=world.neighbourhood,
                                      status=VolunteerStatus.PENDING))
        collective = f.mission(s, neighbourhood_=world.neighbourhood,
                               kind=MissionKind.COLLECTIVE, capacity=10)
    before = row_counts(db_engine)
    with pytest.raises(DomainError, match="referent must meet you") as info:
        accept(db_engine, pending, world.mission.id)
    assert not isinstance(info.value, AlreadyTaken)
    assert row_counts(db_engine) == before
    with session_scope(db_engine) as s:
        mission = s.get(Mission, world.mission.id)
        assert (mission.status, mission.accepted_count) == (MissionStatus.OPEN, 0)
    assert detail(db_engine, pending, world.mission.id).contact is None

    # A collective action is open to volunteers not yet met.
    joined = accept(db_engine, pending, collective.id)
    assert joined.accepted_count == 1 and joined.status == MissionStatus.OPEN


def test_a_collective_actions_wanted_skills_reach_its_page_translated(
    db_engine: Engine, world: f.World
) -> None:
    with session_scope(db_engine) as s:
        action = f.mission(s, neighbourhood_=world.neighbourhood, kind=MissionKind.COLLECTIVE,
                           capacity=10, skills_wanted=["gardening", "cleanup"])
    seen = detail(db_engine, world.volunteer_actor, action.id)
    assert seen.skills_wanted == ("gardening", "cleanup")
    assert skills_text(list(seen.skills_wanted), "fr") == (
        "Petit jardinage, Nettoyage de l’espace public")
    assert skills_text(list(seen.skills_wanted), "en") == (
        "Light gardening, Cleaning public space")
    assert detail(db_engine, world.volunteer_actor, world.mission.id).skills_wanted == ()


def test_paused_volunteer_and_referent_cannot_accept(db_engine: Engine, world: f.World) -> None:
    with session_scope(db_engine) as s:
        paused = f.actor(f.volunteer(s, neighbourhood_=world.neighbourhood,
                                     status=VolunteerStatus.PAUSED))
    with pytest.raises(DomainError, match="paused"):
        accept(db_engine, paused, world.mission.id)
    with pytest.raises(NotAllowed, match="You are not allowed to do this"):
        accept(db_engine, world.referent_actor, world.mission.id)


def test_volunteer_of_another_commune_does_not_see_the_mission(
    db_engine: Engine, world: f.World
) -> None:
    with session_scope(db_engine) as s:
        stranger = f.actor(f.volunteer(s))
    with pytest.raises(NotFound, match="This item no longer exists"):
        accept(db_engine, stranger, world.mission.id)
    with pytest.raises(NotFound, match="This item no longer exists"):
        detail(db_engine, stranger, world.mission.id)


# (A draft answers like a missing id: see test_volunteer_app's draft test.)
@pytest.mark.parametrize("status", [MissionStatus.CANCELLED, MissionStatus.DONE])
def test_mission_not_open_cannot_be_accepted(db_engine: Engine, status: MissionStatus) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s, status=status)
    with pytest.raises(DomainError, match="This mission is no longer open to") as info:
        accept(db_engine, w.volunteer_actor, w.mission.id)
    assert not isinstance(info.value, AlreadyTaken)
    with session_scope(db_engine) as s:
        assert s.exec(select(Participation)).all() == []


def test_withdrawing_reopens_the_place_and_hides_the_address(
    db_engine: Engine, world: f.World
) -> None:
    me = world.volunteer_actor
    accept(db_engine, me, world.mission.id)
    with session_scope(db_engine) as s:
        participation.decline_mission(s, actor=me, mission_id=world.mission.id, reason="Malade")
    with session_scope(db_engine) as s:
        mission = s.get(Mission, world.mission.id)
        assert (mission.status, mission.accepted_count) == (MissionStatus.OPEN, 0)
    after = detail(db_engine, me, world.mission.id)
    assert after.my_participation == ParticipationStatus.CANCELLED and after.contact is None
    # The place can be taken again, by the same volunteer too.
    assert accept(db_engine, me, world.mission.id).status == MissionStatus.FULL


def test_mark_done_credits_the_hour(db_engine: Engine, world: f.World) -> None:
    me = world.volunteer_actor
    accept(db_engine, me, world.mission.id)
    assert _monthly(db_engine, me.user_id).minutes == 0
    with session_scope(db_engine) as s:
        done = lifecycle.mark_done(s, actor=world.referent_actor, mission_id=world.mission.id,
                                  timezone=TZ, minutes=75)
    assert done.status == MissionStatus.DONE
    with session_scope(db_engine) as s:
        (entry,) = s.exec(select(HourEntry)).all()
    assert (entry.volunteer_id, entry.mission_id, entry.minutes) == (
        me.user_id, world.mission.id, 75)
    hour = _monthly(db_engine, me.user_id)
    assert hour.minutes == 75 and hour.pledge_met and hour.percent_of_pledge == 100
    assert entry.month == hour.month
    # Done once only: a second report would credit the time twice.
    with (pytest.raises(DomainError, match="already marked as done"),
          session_scope(db_engine) as s):
        lifecycle.mark_done(s, actor=world.referent_actor, mission_id=world.mission.id,
                           timezone=TZ)
    assert _monthly(db_engine, me.user_id).minutes == 75


def test_hour_counts_for_the_local_month_of_the_mission(db_engine: Engine) -> None:
    # 23:30 UTC on 31 January is 00:30 on 1 February in Vitré.
    with session_scope(db_engine) as s:
        w = f.world(s, duration_minutes=45)
    accept(db_engine, w.volunteer_actor, w.mission.id)  # accepted before it started
    with session_scope(db_engine) as s:
        s.get(Mission, w.mission.id).starts_at = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    with session_scope(db_engine) as s:
        lifecycle.mark_done(s, actor=w.volunteer_actor, mission_id=w.mission.id, timezone=TZ)
    feb = _monthly(db_engine, w.volunteer.id, now=datetime(2026, 2, 10, tzinfo=UTC))
    jan = _monthly(db_engine, w.volunteer.id, now=datetime(2026, 1, 15, tzinfo=UTC))
    assert (feb.month, feb.minutes, feb.percent_of_pledge) == ("2026-02", 45, 75)
    assert (jan.month, jan.minutes) == ("2026-01", 0)


def test_only_staff_or_the_helper_may_mark_done(db_engine: Engine, world: f.World) -> None:
    with session_scope(db_engine) as s:
        bystander = f.actor(f.volunteer(s, neighbourhood_=world.neighbourhood))
    with pytest.raises(DomainError, match="with a volunteer"), session_scope(db_engine) as s:
        lifecycle.mark_done(s, actor=world.referent_actor, mission_id=world.mission.id,
                           timezone=TZ)
    accept(db_engine, world.volunteer_actor, world.mission.id)
    before = row_counts(db_engine)
    with (pytest.raises(NotAllowed, match="You are not allowed to do this"),
          session_scope(db_engine) as s):
        lifecycle.mark_done(s, actor=bystander, mission_id=world.mission.id, timezone=TZ)
    with pytest.raises(DomainError, match="between 15 minutes"), session_scope(db_engine) as s:
        lifecycle.mark_done(s, actor=world.referent_actor, mission_id=world.mission.id,
                           timezone=TZ, minutes=5)
    assert row_counts(db_engine) == before
    with session_scope(db_engine) as s:
        assert s.get(Mission, world.mission.id).status == MissionStatus.FULL


def test_publish_and_cancel_follow_the_lifecycle(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s, status=MissionStatus.DRAFT)
    # To a volunteer a draft does not exist: the answer of a missing id.
    with pytest.raises(NotFound, match="no longer exists"), session_scope(db_engine) as s:
        lifecycle.publish_mission(s, actor=w.volunteer_actor, mission_id=w.mission.id)
    with session_scope(db_engine) as s:
        assert lifecycle.publish_mission(
            s, actor=w.referent_actor, mission_id=w.mission.id).status == MissionStatus.OPEN
    with session_scope(db_engine) as s:
        board = selectors.board(s, actor=w.volunteer_actor, neighbourhood_id=w.neighbourhood.id)
    assert [card.id for card in board] == [w.mission.id]
    with session_scope(db_engine) as s:
        control.cancel_mission(s, actor=w.referent_actor, mission_id=w.mission.id,
                               reason="Found help elsewhere", timezone=TZ)
    with (pytest.raises(InvalidTransition, match="This mission cannot be published"),
          session_scope(db_engine) as s):
        lifecycle.publish_mission(s, actor=w.referent_actor, mission_id=w.mission.id)
    with session_scope(db_engine) as s:
        assert selectors.board(s, actor=w.volunteer_actor,
                               neighbourhood_id=w.neighbourhood.id) == []


def _monthly(engine: Engine, volunteer_id: int, now: datetime | None = None):
    with session_scope(engine) as s:
        return selectors.monthly_hour(s, volunteer_id=volunteer_id, timezone=TZ, now=now)
