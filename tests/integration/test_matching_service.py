"""Matching on a real database: suggestions, proposals the volunteer answers, assignment."""

from __future__ import annotations

import random
from datetime import timedelta

import factories as f
import pytest
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.availability import DAY_PARTS, WEEKDAYS
from heurecivique_app.domain.enums import (
    Category,
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import AlreadyTaken, DomainError, NotAllowed, NotFound
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.matching import KM_PER_LAT_DEGREE, rank
from heurecivique_app.domain.models import (
    AuditEntry,
    HourEntry,
    Mission,
    Participation,
    VolunteerProfile,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import matching, shortlist
from heurecivique_app.services.missions import participation

TZ = "Europe/Paris"


@pytest.fixture
def town(db_engine: Engine) -> dict:
    """A commune with an open shopping mission and volunteers of every kind."""
    with session_scope(db_engine) as s:
        w = f.world(s)
        hood = w.neighbourhood
        busy = f.volunteer(s, neighbourhood_=hood, display_name="Busy")
        pending = f.volunteer(s, neighbourhood_=hood, status=VolunteerStatus.PENDING)
        paused = f.volunteer(s, neighbourhood_=hood, status=VolunteerStatus.PAUSED)
        stranger = f.volunteer(s)  # another commune
        done = f.mission(s, neighbourhood_=hood, status=MissionStatus.DONE)
        s.add(HourEntry(volunteer_id=busy.id, mission_id=done.id, minutes=90,
                        month=month_key(utcnow(), TZ)))
        declined = f.mission(s, neighbourhood_=hood)
        s.add(Participation(mission_id=declined.id, volunteer_id=busy.id,
                            status=ParticipationStatus.DECLINED))
    return {"w": w, "busy": busy, "pending": pending, "paused": paused, "stranger": stranger}


def _suggest(db_engine: Engine, town: dict, mission_id: int | None = None):
    with session_scope(db_engine) as s:
        return matching.suggest(s, actor=town["w"].referent_actor,
                                mission_id=mission_id or town["w"].mission.id, timezone=TZ)


def test_suggestions_rank_fairly_and_leave_out_who_may_not_go(db_engine, town) -> None:
    fits = _suggest(db_engine, town).fits
    ids = [fit.candidate.volunteer_id for fit in fits]
    assert ids == [town["w"].volunteer.id, town["busy"].id]  # no pending, paused, stranger
    busy = fits[1].candidate
    assert busy.minutes_this_month == 90 and busy.recent_declines == 1


def test_pending_volunteers_are_suggested_for_collective_actions(db_engine, town) -> None:
    with session_scope(db_engine) as s:
        action = f.mission(s, neighbourhood_=town["w"].neighbourhood,
                           kind=MissionKind.COLLECTIVE, capacity=5)
    ids = {fit.candidate.volunteer_id for fit in _suggest(db_engine, town, action.id).fits}
    assert town["pending"].id in ids and town["paused"].id not in ids


def test_a_proposal_reaches_the_volunteer_who_accepts_it(db_engine, town) -> None:
    w = town["w"]
    with session_scope(db_engine) as s:
        matching.propose_mission(s, actor=w.referent_actor, mission_id=w.mission.id,
                                 volunteer_ids=[w.volunteer.id, town["busy"].id], timezone=TZ)
    fits = _suggest(db_engine, town).fits
    assert {fit.candidate.participation for fit in fits} == {"proposed"}
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=w.volunteer_actor, mission_id=w.mission.id)
    with session_scope(db_engine) as s:
        stored = s.get(Mission, w.mission.id)
        assert (stored.status, stored.accepted_count) == (MissionStatus.FULL, 1)
        assert s.exec(select(AuditEntry.action).where(AuditEntry.entity_id == w.mission.id)
                      ).all() == ["mission.proposed", "mission.accepted"]
    # The other proposal is now too late: the only place is gone.
    with pytest.raises(AlreadyTaken, match="Already taken"), session_scope(db_engine) as s:
        participation.accept_mission(s, actor=f.actor(town["busy"]), mission_id=w.mission.id)


def test_a_proposal_can_be_declined(db_engine, town) -> None:
    w = town["w"]
    with session_scope(db_engine) as s:
        matching.propose_mission(s, actor=w.referent_actor, mission_id=w.mission.id,
                                 volunteer_ids=[w.volunteer.id], timezone=TZ)
    with session_scope(db_engine) as s:
        participation.decline_mission(s, actor=w.volunteer_actor, mission_id=w.mission.id,
                                 reason="Pas ce samedi")
    with session_scope(db_engine) as s:
        row = s.exec(select(Participation).where(Participation.mission_id == w.mission.id)).one()
        assert (row.status, row.reason) == (ParticipationStatus.DECLINED, "Pas ce samedi")
        assert s.get(Mission, w.mission.id).accepted_count == 0


@pytest.mark.parametrize(("who", "refusal"), [
    ("paused", "This item no longer exists"),  # the pool leaves paused volunteers out
    ("stranger", "This item no longer exists"),  # another commune's volunteer
    ("pending", "cannot be offered this mission"),
])
def test_proposals_refused_to_who_may_not_go_write_nothing(db_engine, town, who,
                                                           refusal) -> None:
    w = town["w"]
    before = row_counts(db_engine)
    with pytest.raises(DomainError, match=refusal), session_scope(db_engine) as s:
        matching.propose_mission(s, actor=w.referent_actor, mission_id=w.mission.id,
                                 volunteer_ids=[w.volunteer.id, town[who].id], timezone=TZ)
    assert row_counts(db_engine) == before


def test_another_communes_referent_can_neither_see_propose_nor_assign(db_engine, town) -> None:
    w = town["w"]
    with session_scope(db_engine) as s:
        outsider = f.actor(f.referent(s))
    before = row_counts(db_engine)
    with pytest.raises(NotFound, match="This item no longer exists"), session_scope(db_engine) as s:
        matching.suggest(s, actor=outsider, mission_id=w.mission.id, timezone=TZ)
    with pytest.raises(NotFound, match="This item no longer exists"), session_scope(db_engine) as s:
        matching.propose_mission(s, actor=outsider, mission_id=w.mission.id,
                                 volunteer_ids=[w.volunteer.id], timezone=TZ)
    with pytest.raises(NotFound, match="This item no longer exists"), session_scope(db_engine) as s:
        matching.assign_volunteer(s, actor=outsider, mission_id=w.mission.id,
                                  volunteer_id=w.volunteer.id, timezone=TZ)
    with (pytest.raises(NotAllowed, match="You are not allowed to do this"),
          session_scope(db_engine) as s):
        matching.assign_volunteer(s, actor=w.volunteer_actor, mission_id=w.mission.id,
                                  volunteer_id=w.volunteer.id, timezone=TZ)
    assert row_counts(db_engine) == before


def test_direct_assignment_takes_the_place_once(db_engine, town) -> None:
    w = town["w"]
    with session_scope(db_engine) as s:
        matching.assign_volunteer(s, actor=w.referent_actor, mission_id=w.mission.id,
                                  volunteer_id=town["busy"].id, timezone=TZ)
    with session_scope(db_engine) as s:
        stored = s.get(Mission, w.mission.id)
        assert (stored.status, stored.accepted_count) == (MissionStatus.FULL, 1)
        audit = s.exec(select(AuditEntry).where(AuditEntry.action == "mission.assigned")).one()
        assert audit.actor_id == w.referent.id and audit.detail == {"volunteer_id":
                                                                    town["busy"].id}
    # Full now: neither a second assignment nor a volunteer's tap overfills it.
    with (pytest.raises(DomainError, match="Only an open mission can be offered"),
          session_scope(db_engine) as s):
        matching.assign_volunteer(s, actor=w.referent_actor, mission_id=w.mission.id,
                                  volunteer_id=w.volunteer.id, timezone=TZ)
    with pytest.raises(DomainError, match="Already taken"), session_scope(db_engine) as s:
        participation.accept_mission(s, actor=w.volunteer_actor, mission_id=w.mission.id)
    with session_scope(db_engine) as s:
        assert s.get(Mission, w.mission.id).accepted_count == 1


def test_assignment_races_the_last_place_with_a_volunteer(db_engine, town) -> None:
    """The referent's page read the mission open; a volunteer's tap got in first."""
    w = town["w"]
    with session_scope(db_engine) as referent_session:
        stale = referent_session.get(Mission, w.mission.id)
        assert (stale.status, stale.accepted_count) == (MissionStatus.OPEN, 0)
        with session_scope(db_engine) as s:
            participation.accept_mission(s, actor=w.volunteer_actor, mission_id=w.mission.id)
        with pytest.raises(AlreadyTaken, match="Already taken"):
            participation.take_place(referent_session, mission=stale, volunteer_id=town["busy"].id,
                                existing=None, already="")
    with session_scope(db_engine) as s:
        assert s.get(Mission, w.mission.id).accepted_count == 1


def test_the_mission_point_and_every_preferred_date_are_used(db_engine, town) -> None:
    w = town["w"]
    with session_scope(db_engine) as s:
        mission = s.get(Mission, w.mission.id)
        monday_evening = "2026-12-07T18:30:00+00:00"
        saturday_morning = "2026-12-12T09:00:00+00:00"
        mission.preferred_starts = [monday_evening, saturday_morning]
        mission.exact_lat, mission.exact_lon = w.neighbourhood.lat + 0.009, w.neighbourhood.lon
        s.add(mission)
        s.flush()
        need = matching.need_of(s, mission, TZ)
    assert need.slots == (("mon", "evening"), ("sat", "morning"))
    assert need.lat == pytest.approx(w.neighbourhood.lat + 0.009)
    fit = _suggest(db_engine, town).fits[0]
    assert fit.slot == ("sat", "morning") and fit.distance_km == pytest.approx(1.0, abs=0.01)


def test_the_home_point_is_preferred_to_the_neighbourhood_centre(db_engine, town) -> None:
    w = town["w"]
    with session_scope(db_engine) as s:
        profile = s.get(VolunteerProfile, w.volunteer.id)
        profile.home_lat, profile.home_lon = w.neighbourhood.lat + 0.0135, w.neighbourhood.lon
        s.add(profile)
    fit = next(x for x in _suggest(db_engine, town).fits
               if x.candidate.volunteer_id == w.volunteer.id)
    assert fit.distance_km == pytest.approx(1.5, abs=0.01)


def test_old_declines_do_not_count(db_engine, town) -> None:
    with session_scope(db_engine) as s:
        for p in s.exec(select(Participation)).all():
            p.updated_at = utcnow() - timedelta(days=45)
            s.add(p)
    busy = next(x.candidate for x in _suggest(db_engine, town).fits
                if x.candidate.volunteer_id == town["busy"].id)
    assert busy.recent_declines == 0


def _varied_pool(s, w, rnd: random.Random, count: int) -> None:
    """Volunteers of every kind around the mission: any status, skills, slots and reach,
    with or without a (partial) home point, some right at the edge of their reach,
    hours this month and last, declines recent and old, and a participation in the
    mission of every status."""
    hood = w.neighbourhood
    done = [f.mission(s, neighbourhood_=hood, status=MissionStatus.DONE) for _ in range(3)]
    this_month, last_month = month_key(utcnow(), TZ), "2000-01"
    statuses = list(ParticipationStatus)
    for _ in range(count):
        status = rnd.choice([VolunteerStatus.ACTIVE] * 3 + [VolunteerStatus.PENDING,
                                                            VolunteerStatus.PAUSED])
        person = f.volunteer(s, neighbourhood_=hood, status=status)
        profile = s.get(VolunteerProfile, person.id)
        profile.skills = rnd.sample([c.value for c in Category], rnd.randint(0, 3))
        profile.availability = {day: rnd.sample(DAY_PARTS, rnd.randint(1, 2))
                                for day in rnd.sample(WEEKDAYS, rnd.randint(0, 3))}
        profile.max_distance_km = rnd.choice([0.0, 0.5, 1.0, 2.0, 5.0])
        where = rnd.random()
        if where < 0.15:  # exactly at the edge of their reach, due north of the mission
            profile.home_lat = w.mission.approx_lat + profile.max_distance_km / KM_PER_LAT_DEGREE
            profile.home_lon = w.mission.approx_lon
        elif where < 0.5:
            profile.home_lat = hood.lat + rnd.uniform(-0.03, 0.03)
            profile.home_lon = hood.lon + rnd.uniform(-0.04, 0.04)
        elif where < 0.55:  # half a home point: the neighbourhood's centre is used
            profile.home_lat = hood.lat + 0.02
        s.add(profile)
        for mission in rnd.sample(done, rnd.randint(0, 3)):
            s.add(HourEntry(volunteer_id=person.id, mission_id=mission.id,
                            minutes=rnd.choice([15, 30, 60]),
                            month=rnd.choice([this_month, last_month])))
        if rnd.random() < 0.3:
            s.add(Participation(mission_id=rnd.choice(done).id, volunteer_id=person.id,
                                status=ParticipationStatus.DECLINED,
                                updated_at=utcnow() - timedelta(days=rnd.choice([2, 45]))))
        if rnd.random() < 0.08:
            s.add(Participation(mission_id=w.mission.id, volunteer_id=person.id,
                                status=rnd.choice(statuses)))
    nowhere = f.volunteer(s, neighbourhood_=hood)  # no neighbourhood, no home point
    nowhere.neighbourhood_id = None
    s.add(nowhere)


@pytest.mark.parametrize("kind", [MissionKind.INDIVIDUAL, MissionKind.COLLECTIVE])
@pytest.mark.parametrize("limit", [3, 20])
def test_suggestions_equal_ranking_every_candidate(db_engine, kind, limit) -> None:
    """suggest() shortlists in SQL; the fits must be those of ranking the whole pool."""
    rnd = random.Random(f"{kind}-{limit}")
    with session_scope(db_engine) as s:
        w = f.world(s, kind=kind, capacity=1 if kind == MissionKind.INDIVIDUAL else 5,
                    preferred_starts=["2026-12-07T18:30:00+00:00", "2026-12-12T09:00:00+00:00"])
        _varied_pool(s, w, rnd, 160)
    with session_scope(db_engine) as s:
        fast = matching.suggest(s, actor=w.referent_actor, mission_id=w.mission.id,
                                timezone=TZ, limit=limit)
        everyone = matching.load_candidates(s, commune_id=w.mission.commune_id,
                                            mission_id=w.mission.id, timezone=TZ)
        straightforward = rank(everyone, fast.need, limit=limit)
    assert len(straightforward) > limit  # some involved, and more eligible than shown
    assert fast.fits == straightforward


@pytest.mark.parametrize(("limit", "levels_read"), [(2, 1), (4, 2), (6, 3)])
def test_the_shortlist_reads_a_wider_level_only_when_it_must(
        db_engine, monkeypatch, limit, levels_read) -> None:
    """Three volunteers have the skill and a free slot, two the skill only, two
    neither: a level settles once it holds ``limit`` volunteers who all score more
    than anyone it left out could; the fits stay those of ranking everyone."""
    with session_scope(db_engine) as s:
        w = f.world(s, preferred_starts=["2026-12-12T09:00:00+00:00"])  # a Saturday morning
        for skills, availability in ([(["shopping"], {"sat": ["morning"]})] * 2
                                     + [(["shopping"], {"mon": ["evening"]})] * 2
                                     + [(["diy"], {"mon": ["evening"]})] * 2):
            profile = s.get(VolunteerProfile, f.volunteer(s, neighbourhood_=w.neighbourhood).id)
            profile.skills, profile.availability = skills, availability
            s.add(profile)
    reads = []
    best_rows = shortlist.best_rows
    monkeypatch.setattr(shortlist, "best_rows", lambda *a, **kw: reads.append(1) or best_rows(
        *a, **kw))
    with session_scope(db_engine) as s:
        fast = matching.suggest(s, actor=w.referent_actor, mission_id=w.mission.id,
                                timezone=TZ, limit=limit)
        everyone = matching.load_candidates(s, commune_id=w.mission.commune_id,
                                            mission_id=w.mission.id, timezone=TZ)
    assert len(reads) == levels_read
    assert fast.fits == rank(everyone, fast.need, limit=limit)
    assert len(fast.fits) == min(limit, 7)
