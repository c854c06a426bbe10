"""Follow-up after the date, closing, duplicating a need, the recurring flag, commune scoping."""

from __future__ import annotations

from datetime import timedelta

import factories as f
import pytest
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import MissionKind, MissionStatus, ParticipationStatus
from heurecivique_app.domain.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.followup import MissionFollowUp
from heurecivique_app.domain.models import AuditEntry, HourEntry, Mission, Participation
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import followup
from heurecivique_app.services.missions import confirmation, lifecycle, participation

TZ = "Europe/Paris"


def good_form(**kw) -> followup.FollowUpForm:
    values = {"beneficiary_called": True, "went_well": "yes", "minutes": "75",
              "beneficiary_satisfaction": "5", "volunteer_satisfaction": "4", "incident": ""}
    values.update(kw)
    return followup.FollowUpForm(**values)


@pytest.fixture
def past(db_engine: Engine):
    """A mission two days ago, accepted by the world's volunteer (still 'full')."""
    with session_scope(db_engine) as s:
        w = f.world(s)
        mission = s.get(Mission, w.mission.id)
        mission.starts_at = utcnow() - timedelta(days=2)
        s.add(Participation(mission_id=mission.id, volunteer_id=w.volunteer.id,
                            status=ParticipationStatus.ACCEPTED))
        mission.accepted_count, mission.status = 1, MissionStatus.FULL
    return w


def hours(engine: Engine, mission_id: int) -> list[tuple[int, int]]:
    with session_scope(engine) as s:
        return [(e.volunteer_id, e.minutes) for e in s.exec(
            select(HourEntry).where(HourEntry.mission_id == mission_id)).all()]


def test_closing_records_done_credits_the_referents_minutes_and_audits(db_engine, past):
    with session_scope(db_engine) as s:
        followup.record_followup(s, actor=past.referent_actor, mission_id=past.mission.id,
                                 form=good_form(), timezone=TZ, close=True)
    with session_scope(db_engine) as s:
        assert s.get(Mission, past.mission.id).status == MissionStatus.CLOSED
        record = s.exec(select(MissionFollowUp)).one()
        assert (record.minutes, record.beneficiary_satisfaction, record.went_well) == (75, 5, True)
        actions = [a.action for a in s.exec(select(AuditEntry).where(
            AuditEntry.entity_id == past.mission.id)).all()]
        assert actions == ["mission.followed_up", "mission.closed"]
    assert hours(db_engine, past.mission.id) == [(past.volunteer.id, 75)]


def test_the_referents_minutes_replace_the_volunteers_entry_never_add_to_it(db_engine, past):
    with session_scope(db_engine) as s:
        lifecycle.mark_done(s, actor=past.volunteer_actor, mission_id=past.mission.id,
                           timezone=TZ, minutes=30)
    assert hours(db_engine, past.mission.id) == [(past.volunteer.id, 30)]
    for minutes in ("90", "45"):  # corrected twice before closing
        with session_scope(db_engine) as s:
            followup.record_followup(s, actor=past.referent_actor, mission_id=past.mission.id,
                                     form=good_form(minutes=minutes), timezone=TZ)
    assert hours(db_engine, past.mission.id) == [(past.volunteer.id, 45)]
    with session_scope(db_engine) as s:
        assert s.get(Mission, past.mission.id).status == MissionStatus.DONE
        assert len(s.exec(select(MissionFollowUp)).all()) == 1


def test_bad_follow_up_input_is_refused_field_by_field_and_writes_nothing(db_engine, past):
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as caught, session_scope(db_engine) as s:
        followup.record_followup(
            s, actor=past.referent_actor, mission_id=past.mission.id, timezone=TZ, close=True,
            form=good_form(beneficiary_called=False, went_well="no", minutes="5",
                           beneficiary_satisfaction="9"))
    assert set(caught.value.errors) == {"beneficiary_called", "minutes",
                                        "beneficiary_satisfaction", "incident"}
    assert row_counts(db_engine) == before


def test_a_mission_still_to_come_cannot_be_followed_up(db_engine):
    with session_scope(db_engine) as s:
        w = f.world(s)
    with pytest.raises(DomainError, match="not taken place"), session_scope(db_engine) as s:
        followup.record_followup(s, actor=w.referent_actor, mission_id=w.mission.id,
                                 form=good_form(), timezone=TZ)


def test_another_communes_referent_and_a_volunteer_can_neither_read_nor_close(db_engine, past):
    with session_scope(db_engine) as s:
        stranger = f.actor(f.referent(s))
    for actor, error, says in ((stranger, NotFound, "no longer exists"),
                               (past.volunteer_actor, NotAllowed, "not allowed")):
        with pytest.raises(error, match=says), session_scope(db_engine) as s:
            followup.followup_view(s, actor=actor, mission_id=past.mission.id)
        with pytest.raises(error, match=says), session_scope(db_engine) as s:
            followup.record_followup(s, actor=actor, mission_id=past.mission.id,
                                     form=good_form(), timezone=TZ, close=True)
        with pytest.raises(error, match=says), session_scope(db_engine) as s:
            followup.duplicate_need(s, actor=actor, mission_id=past.mission.id,
                                    day="2099-01-01", hour="10:00", timezone=TZ)
    with session_scope(db_engine) as s:
        assert s.get(Mission, past.mission.id).status == MissionStatus.FULL


def test_duplicating_makes_a_draft_of_the_same_need_and_three_in_90_days_are_flagged(
    db_engine, past,
):
    day = (utcnow() + timedelta(days=10)).date().isoformat()
    with session_scope(db_engine) as s:
        view = followup.followup_view(s, actor=past.referent_actor, mission_id=past.mission.id)
        assert view.recurring is None
        copy = followup.duplicate_need(s, actor=past.referent_actor,
                                       mission_id=past.mission.id, day=day, hour="09:30",
                                       timezone=TZ)
        copy_id = copy.id
    with session_scope(db_engine) as s:
        copy, source = s.get(Mission, copy_id), s.get(Mission, past.mission.id)
        assert copy.status == MissionStatus.DRAFT and copy.accepted_count == 0
        assert (copy.beneficiary_id, copy.category, copy.title, copy.exact_address) == (
            source.beneficiary_id, source.category, source.title, source.exact_address)
        assert copy.starts_at.date().isoformat() == day
        flag = followup.recurring_for(s, beneficiary_id=source.beneficiary_id,
                                      category=source.category)
        assert flag is None  # two needs: not yet
        followup.duplicate_need(s, actor=past.referent_actor, mission_id=copy_id, day=day,
                                hour="15:00", timezone=TZ)
    with session_scope(db_engine) as s:
        view = followup.followup_view(s, actor=past.referent_actor, mission_id=copy_id)
        assert view.recurring is not None and view.recurring.count == 3


def test_duplicating_to_a_past_date_is_refused(db_engine, past):
    with pytest.raises(ValidationFailed) as caught, session_scope(db_engine) as s:
        followup.duplicate_need(s, actor=past.referent_actor, mission_id=past.mission.id,
                                day="2020-01-01", hour="10:00", timezone=TZ)
    assert "duplicate_date" in caught.value.errors


def test_attendance_credits_only_those_present(db_engine):
    from heurecivique_app.services import collective

    with session_scope(db_engine) as s:
        w = f.world(s, kind=MissionKind.COLLECTIVE, capacity=3)
        other = f.actor(f.volunteer(s, neighbourhood_=w.neighbourhood))
        late = f.actor(f.volunteer(s, neighbourhood_=w.neighbourhood))
    for actor in (w.volunteer_actor, other, late):
        with session_scope(db_engine) as s:
            participation.accept_mission(s, actor=actor, mission_id=w.mission.id)
    with session_scope(db_engine) as s:
        s.get(Mission, w.mission.id).starts_at = utcnow() - timedelta(hours=3)
    with session_scope(db_engine) as s:
        collective.record_attendance(s, actor=w.referent_actor, mission_id=w.mission.id,
                                     present=[w.volunteer.id, late.user_id], minutes=120,
                                     timezone=TZ)
    assert sorted(hours(db_engine, w.mission.id)) == sorted(
        [(w.volunteer.id, 120), (late.user_id, 120)])
    # Corrected: the late one was in fact absent; their hours go.
    with session_scope(db_engine) as s:
        collective.record_attendance(s, actor=w.referent_actor, mission_id=w.mission.id,
                                     present=[w.volunteer.id], minutes=90, timezone=TZ)
    assert hours(db_engine, w.mission.id) == [(w.volunteer.id, 90)]
    with session_scope(db_engine) as s:
        attended = {p.volunteer_id: p.attended for p in s.exec(select(Participation)).all()}
        assert attended == {w.volunteer.id: True, other.user_id: False, late.user_id: False}
        assert s.get(Mission, w.mission.id).status == MissionStatus.DONE


def test_another_communes_referent_cannot_check_attendance_or_see_the_roster(db_engine):
    from heurecivique_app.services import collective

    with session_scope(db_engine) as s:
        w = f.world(s, kind=MissionKind.COLLECTIVE, capacity=2)
        stranger = f.actor(f.referent(s))
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=w.volunteer_actor, mission_id=w.mission.id)
        s.get(Mission, w.mission.id).starts_at = utcnow() - timedelta(hours=1)
    for actor, error, says in ((stranger, NotFound, "no longer exists"),
                               (w.volunteer_actor, NotAllowed, "not allowed")):
        with pytest.raises(error, match=says), session_scope(db_engine) as s:
            collective.record_attendance(s, actor=actor, mission_id=w.mission.id,
                                         present=[w.volunteer.id], minutes=60, timezone=TZ)
        with pytest.raises(error, match=says), session_scope(db_engine) as s:
            collective.action_for_staff(s, actor=actor, mission_id=w.mission.id)
    assert hours(db_engine, w.mission.id) == []


def test_the_dashboard_lists_today_followups_due_volunteers_to_meet_and_new_reports(db_engine):
    from heurecivique_app.domain.enums import VolunteerStatus
    from heurecivique_app.presenters.missions import console_vars

    with session_scope(db_engine) as s:
        w = f.world(s, title="Demain")
        f.volunteer(s, neighbourhood_=w.neighbourhood, status=VolunteerStatus.PENDING,
                    display_name="Nouvelle Recrue")
        past = f.mission(s, neighbourhood_=w.neighbourhood, title="Hier",
                         status=MissionStatus.FULL, starts_at=utcnow() - timedelta(days=1))
        past.accepted_count = 1
        # A minute ago, but never yesterday (the test may run just after midnight UTC).
        now = utcnow()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        f.mission(s, neighbourhood_=w.neighbourhood, title="Maintenant",
                  starts_at=max(now - timedelta(minutes=1), midnight))
        f.mission(s, title="Autre commune", status=MissionStatus.FULL,
                  starts_at=utcnow() - timedelta(days=1), accepted_count=1)
    with session_scope(db_engine) as s:
        shown = console_vars(s, w.commune.id, "fr", "UTC")
    assert [m["title"] for m in shown["followups"]] == ["Hier"]
    assert shown["followups"][0]["href"].startswith("/console/missions/")
    assert "Maintenant" in [m["title"] for m in shown["today"]]
    assert [v["name"] for v in shown["pending_volunteers"]] == ["Nouvelle Recrue"]
    assert shown["pending_volunteers"][0]["href"].startswith("/console/volunteers/")
    assert shown["new_reports"] == []


def test_a_volunteer_cannot_close_a_collective_action_nor_credit_an_absence(db_engine):
    """The referent's attendance check marks a collective action done; a volunteer's
    confirmation before it is refused, and after it gives no hour to one recorded absent."""
    from heurecivique_app.services import collective

    with session_scope(db_engine) as s:
        w = f.world(s, kind=MissionKind.COLLECTIVE, capacity=3)
        absent = f.actor(f.volunteer(s, neighbourhood_=w.neighbourhood))
    for actor in (w.volunteer_actor, absent):
        with session_scope(db_engine) as s:
            participation.accept_mission(s, actor=actor, mission_id=w.mission.id)
    with session_scope(db_engine) as s:  # it took place: only the attendance check is missing
        s.get(Mission, w.mission.id).starts_at = utcnow() - timedelta(hours=3)
    account = confirmation.Confirmation("60", "", "")
    with (pytest.raises(DomainError, match="The referent records who came to a"),
          session_scope(db_engine) as s):
        confirmation.confirm(s, actor=absent, mission_id=w.mission.id, form=account, timezone=TZ)
    with session_scope(db_engine) as s:
        assert s.get(Mission, w.mission.id).status == MissionStatus.OPEN
    assert hours(db_engine, w.mission.id) == []
    with session_scope(db_engine) as s:
        collective.record_attendance(s, actor=w.referent_actor, mission_id=w.mission.id,
                                     present=[w.volunteer.id], minutes=90, timezone=TZ)
    with session_scope(db_engine) as s:
        confirmation.confirm(s, actor=absent, mission_id=w.mission.id, form=account, timezone=TZ)
    assert hours(db_engine, w.mission.id) == [(w.volunteer.id, 90)]
