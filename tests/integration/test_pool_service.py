"""The volunteer pool: search, one volunteer's record, validation after the interview."""

from __future__ import annotations

import factories as f
import pytest
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus, VolunteerStatus
from heurecivique_app.domain.errors import DomainError, NotFound, ValidationFailed
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.models import (
    AuditEntry,
    HourEntry,
    Participation,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import pool, volunteering

TZ = "Europe/Paris"


@pytest.fixture
def town(db_engine: Engine) -> dict:
    with session_scope(db_engine) as s:
        w = f.world(s)
        other_hood = f.neighbourhood(s, commune_=w.commune)
        gardener = f.volunteer(s, neighbourhood_=other_hood, display_name="Zoé Jardin",
                               status=VolunteerStatus.PENDING)
        profile = s.get(VolunteerProfile, gardener.id)
        profile.skills, profile.availability = ["gardening"], {"wed": ["evening"]}
        profile.charter_accepted_at = None
        s.add(profile)
        done = f.mission(s, neighbourhood_=w.neighbourhood, status=MissionStatus.DONE,
                         title="Courses faites")
        s.add(Participation(mission_id=done.id, volunteer_id=w.volunteer.id,
                            status=ParticipationStatus.ACCEPTED))
        s.add(HourEntry(volunteer_id=w.volunteer.id, mission_id=done.id, minutes=45,
                        month=month_key(utcnow(), TZ)))
        stranger = f.volunteer(s)
    return {"w": w, "gardener": gardener, "other_hood": other_hood, "stranger": stranger}


def _names(db_engine, town, **wanted) -> list[str]:
    with session_scope(db_engine) as s:
        rows, total = pool.search_pool(s, actor=town["w"].referent_actor,
                                       wanted=pool.PoolFilter(**wanted), timezone=TZ)
    assert total == len(rows)
    return [row.name for row in rows]


def test_search_by_skill_neighbourhood_availability_status_and_name(db_engine, town) -> None:
    w, gardener = town["w"], town["gardener"].display_name
    everyone = _names(db_engine, town)
    assert sorted(everyone) == sorted([w.volunteer.display_name, gardener])  # own commune only
    assert _names(db_engine, town, skill="gardening") == [gardener]
    assert _names(db_engine, town, neighbourhood_id=town["other_hood"].id) == [gardener]
    assert _names(db_engine, town, day="wed", part="evening") == [gardener]
    assert _names(db_engine, town, part="morning") == [w.volunteer.display_name]
    assert _names(db_engine, town, status="pending") == [gardener]
    assert _names(db_engine, town, text="zoé") == [gardener]


def test_record_shows_hours_this_month_and_history(db_engine, town) -> None:
    w = town["w"]
    with session_scope(db_engine) as s:
        record = pool.volunteer_record(s, actor=w.referent_actor, volunteer_id=w.volunteer.id,
                                       timezone=TZ)
    assert record.row.minutes_this_month == 45 and record.minutes_total == 45
    assert [(h.title, h.minutes) for h in record.history] == [("Courses faites", 45)]


def test_validation_after_the_interview(db_engine, town) -> None:
    w, gardener = town["w"], town["gardener"]
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as refused, session_scope(db_engine) as s:
        pool.validate_volunteer(s, actor=w.referent_actor, volunteer_id=gardener.id,
                                charter_checked=False, note="RAS", charter_version="2024-01")
    assert list(refused.value.errors) == ["charter"]
    assert row_counts(db_engine) == before
    with session_scope(db_engine) as s:
        pool.validate_volunteer(s, actor=w.referent_actor, volunteer_id=gardener.id,
                                charter_checked=True, note="Très motivée, jardin partagé",
                                charter_version="2024-01")
    with session_scope(db_engine) as s:
        profile = s.get(VolunteerProfile, gardener.id)
        assert profile.status == VolunteerStatus.ACTIVE
        assert profile.validated_by_id == w.referent.id
        assert profile.validation_note == "Très motivée, jardin partagé"
        assert profile.charter_version == "2024-01" and profile.charter_accepted_at is not None
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "volunteer.validated")).one()
        assert (entry.actor_id, entry.entity_id) == (w.referent.id, gardener.id)
        assert "Très" not in str(entry.detail)  # the notes stay on the profile only
    with (pytest.raises(DomainError, match="This volunteer is already active"),
          session_scope(db_engine) as s):
        pool.validate_volunteer(s, actor=w.referent_actor, volunteer_id=gardener.id,
                                charter_checked=True, note="", charter_version="2024-01")


def test_pause_and_resume(db_engine, town) -> None:
    w = town["w"]
    with session_scope(db_engine) as s:
        volunteering.set_paused(s, actor=w.referent_actor, volunteer_id=w.volunteer.id,
                                paused=True)
    assert _names(db_engine, town, status="paused") == [w.volunteer.display_name]
    with session_scope(db_engine) as s:
        volunteering.set_paused(s, actor=w.referent_actor, volunteer_id=w.volunteer.id,
                                paused=False)
    assert _names(db_engine, town, status="paused") == []


def test_a_volunteer_not_met_yet_stays_waiting_when_staff_resume_them(db_engine, town) -> None:
    """Paused by their own choice before any interview: resuming them must not skip it."""
    w, gardener = town["w"], town["gardener"]
    with session_scope(db_engine) as s:
        volunteering.set_paused(s, actor=f.actor(s.get(User, gardener.id)), paused=True)
    with session_scope(db_engine) as s:
        volunteering.set_paused(s, actor=w.referent_actor, volunteer_id=gardener.id, paused=False)
    with session_scope(db_engine) as s:
        assert s.get(VolunteerProfile, gardener.id).status == VolunteerStatus.PENDING


def test_nothing_across_communes_nor_for_volunteers(db_engine, town) -> None:
    w, stranger = town["w"], town["stranger"]
    before = row_counts(db_engine)
    with pytest.raises(NotFound, match="This item no longer exists"), session_scope(db_engine) as s:
        pool.volunteer_record(s, actor=w.referent_actor, volunteer_id=stranger.id, timezone=TZ)
    with pytest.raises(NotFound, match="This item no longer exists"), session_scope(db_engine) as s:
        pool.validate_volunteer(s, actor=w.referent_actor, volunteer_id=stranger.id,
                                charter_checked=True, note="", charter_version="2024-01")
    with (pytest.raises(DomainError, match="You are not allowed to do this"),
          session_scope(db_engine) as s):
        pool.validate_volunteer(s, actor=w.volunteer_actor, volunteer_id=town["gardener"].id,
                                charter_checked=True, note="", charter_version="2024-01")
    with (pytest.raises(DomainError, match="You are not allowed to do this"),
          session_scope(db_engine) as s):
        pool.search_pool(s, actor=w.volunteer_actor, wanted=pool.PoolFilter(), timezone=TZ)
    assert row_counts(db_engine) == before
