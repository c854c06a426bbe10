"""Evaluation figures (services/stats.py) on a small hand-built data set whose answers are known.

Département D: communes A (two neighbourhoods, most of the data) and B (one
mission); commune C in another département (never counted). Period: 2025, seen
from 2026-06-15. Every figure below is worked out by hand in the comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import factories as f
import pytest
from sqlalchemy.engine import Engine

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.community import RelayReport
from heurecivique_app.domain.enums import (
    Channel,
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    Role,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.domain.followup import MissionFollowUp
from heurecivique_app.domain.models import HourEntry, Participation, User, VolunteerProfile
from heurecivique_app.domain.stats import Period, period_of
from heurecivique_app.services import stats
from heurecivique_app.services.actor import Actor, actor_of

TZ = "Europe/Paris"
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
YEAR = period_of("year", anchor=date(2025, 5, 1))


def at(month: int, day: int, hour: int = 10, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class Data:
    a: int
    b: int
    c: int
    h1: int
    h2: int
    hc: int
    referent_a: Actor
    referent_b: Actor
    referent_c: Actor
    volunteer: Actor
    coordinator: Actor
    other_coordinator: Actor


def _volunteer(s, hood, created: datetime, validated: datetime | None) -> User:
    person = f.user(s, neighbourhood_=hood, role=Role.VOLUNTEER, created_at=created)
    s.add(VolunteerProfile(user_id=person.id, validated_at=validated,
                           status=VolunteerStatus.ACTIVE if validated else
                           VolunteerStatus.PENDING))
    return person


def _mission(s, hood, *, created: datetime, status: MissionStatus, category: str = "shopping",
             channel: Channel = Channel.PHONE, beneficiary=None, accepted: int = 0, **kw):
    kind = kw.pop("kind", MissionKind.INDIVIDUAL)
    if beneficiary is None and kind == MissionKind.INDIVIDUAL:
        beneficiary = f.beneficiary(s, neighbourhood_=hood)
    return f.mission(s, neighbourhood_=hood, beneficiary_=beneficiary, kind=kind,
                     status=status, category=category, channel=channel, created_at=created,
                     starts_at=created, accepted_count=accepted, **kw)


def _took(s, mission, volunteer: User, when: datetime, **kw) -> None:
    s.add(Participation(mission_id=mission.id, volunteer_id=volunteer.id,
                        status=ParticipationStatus.ACCEPTED, created_at=when, **kw))


def _hours(s, mission, volunteer: User, minutes: int, month: str) -> None:
    s.add(HourEntry(mission_id=mission.id, volunteer_id=volunteer.id, minutes=minutes,
                    month=month))


def _followup(s, mission, bs: int | None, vs: int | None, incident: str = "") -> None:
    s.add(MissionFollowUp(mission_id=mission.id, minutes=60, beneficiary_satisfaction=bs,
                          volunteer_satisfaction=vs, incident=incident))


@pytest.fixture
def data(db_engine: Engine) -> Data:
    with session_scope(db_engine) as s:
        dep, other_dep = f.departement(s), f.departement(s)
        a = f.commune(s, departement_=dep, name="Argentré")
        b = f.commune(s, departement_=dep, name="Balazé")
        c = f.commune(s, departement_=other_dep, name="Cancale")
        h1 = f.neighbourhood(s, commune_=a)
        h2 = f.neighbourhood(s, commune_=a)
        hb = f.neighbourhood(s, commune_=b)
        hc = f.neighbourhood(s, commune_=c)
        # Volunteers of A: v0 before the period; v1, v2 signed up in January, v3 in March.
        v0 = _volunteer(s, h1, at(6, 1, year=2024), at(6, 10, year=2024))
        v1 = _volunteer(s, h1, at(1, 10), at(1, 20))
        v2 = _volunteer(s, h2, at(1, 15), at(2, 5))
        _volunteer(s, h1, at(3, 1), None)
        relay = f.user(s, neighbourhood_=h1, role=Role.RELAY, created_at=at(1, 1, year=2024))
        b1 = f.beneficiary(s, neighbourhood_=h1)
        # m1: phone, filled after 4 h, closed; 60 min for v1 in February.
        m1 = _mission(s, h1, created=at(2, 1), status=MissionStatus.CLOSED, beneficiary=b1,
                      accepted=1)
        _took(s, m1, v1, at(2, 1, 14))
        _hours(s, m1, v1, 60, "2025-02")
        _followup(s, m1, 5, 4)
        # m2: phone, visit, in h2, filled after 24 h, closed; 90 min for v2; an incident.
        m2 = _mission(s, h2, created=at(2, 3, 9), status=MissionStatus.CLOSED, category="visit",
                      accepted=1)
        _took(s, m2, v2, at(2, 4, 9))
        _hours(s, m2, v2, 90, "2025-02")
        _followup(s, m2, 3, 5, "Chute sans gravité")
        # m3: flyer, filled after 2 h, done; 30 min for v1 in March (no pledge that month).
        m3 = _mission(s, h1, created=at(3, 1, 8), status=MissionStatus.DONE, beneficiary=b1,
                      channel=Channel.FLYER, accepted=1)
        _took(s, m3, v1, at(3, 1, 10))
        _hours(s, m3, v1, 30, "2025-03")
        _followup(s, m3, 4, None)
        # m4 cancelled, m5 expired (flyer, h2, walk), m6 still open: never filled.
        _mission(s, h1, created=at(4, 1), status=MissionStatus.CANCELLED)
        _mission(s, h2, created=at(5, 1), status=MissionStatus.EXPIRED, category="walk",
                 channel=Channel.FLYER)
        _mission(s, h1, created=at(6, 1), status=MissionStatus.OPEN, category="visit")
        # m7: a collective clean-up at the town hall's initiative, filled after 6 h;
        # three volunteers, two present; 120 min each for v1 and v0 in June.
        m7 = _mission(s, h1, created=at(6, 10, 9), status=MissionStatus.CLOSED,
                      category="cleanup", channel=Channel.IN_PERSON, kind=MissionKind.COLLECTIVE,
                      capacity=3, accepted=3)
        _took(s, m7, v1, at(6, 10, 15), attended=True)
        _took(s, m7, v2, at(6, 10, 16), attended=False)
        _took(s, m7, v0, at(6, 10, 17), attended=True)
        _hours(s, m7, v1, 120, "2025-06")
        _hours(s, m7, v0, 120, "2025-06")
        # A draft (never counted) and a mission of December 2024 whose hour counts in January.
        _mission(s, h1, created=at(7, 1), status=MissionStatus.DRAFT)
        m9 = _mission(s, h1, created=at(12, 20, year=2024), status=MissionStatus.CLOSED,
                      accepted=1)
        _hours(s, m9, v0, 60, "2025-01")
        # Relay reports of A: two safety (answered in 24 h and 2 h), one comfort (new).
        for category, created, status, updated in (
                ("safety", at(3, 1), "closed", at(3, 2)),
                ("comfort", at(4, 1), "new", at(4, 1)),
                ("safety", at(5, 1, 10), "forwarded", at(5, 1, 12))):
            s.add(RelayReport(commune_id=a.id, neighbourhood_id=h1.id, relay_id=relay.id,
                              kind="issue", category=category, title="Signalement",
                              status=status, created_at=created, updated_at=updated))
        # B: one shopping mission filled in 1 h, 60 min for w1 in May.
        w1 = _volunteer(s, hb, at(5, 1), at(5, 2))
        m10 = _mission(s, hb, created=at(5, 5), status=MissionStatus.CLOSED, accepted=1)
        _took(s, m10, w1, at(5, 5, 11))
        _hours(s, m10, w1, 60, "2025-05")
        # C, another département: never in A's or D's figures.
        x = _volunteer(s, hc, at(2, 1), at(2, 2))
        mc = _mission(s, hc, created=at(2, 2), status=MissionStatus.CLOSED, accepted=1)
        _took(s, mc, x, at(2, 2, 11))
        _hours(s, mc, x, 300, "2025-02")
        people = {
            "referent_a": f.referent(s, commune_=a), "referent_b": f.referent(s, commune_=b),
            "referent_c": f.referent(s, commune_=c), "volunteer": v1,
            "coordinator": f.user(s, commune_=b, role=Role.DEPARTEMENT_ADMIN),
            "other_coordinator": f.user(s, commune_=c, role=Role.DEPARTEMENT_ADMIN),
        }
        # The reach (every commune of the coordinator's département) is read from the database.
        actors = {k: actor_of(s, v) for k, v in people.items()}
        return Data(a.id, b.id, c.id, h1.id, h2.id, hc.id, **actors)


def report(engine: Engine, data: Data, period: Period = YEAR, *, actor: Actor | None = None,
           **kw) -> stats.StatsReport:
    with session_scope(engine) as s:
        return stats.commune_stats(s, actor=actor or data.referent_a, commune_id=data.a,
                                   filters=stats.StatsFilter(period, **kw), timezone=TZ,
                                   now=NOW)


def test_volunteers_signed_up_validated_active(db_engine, data):
    r = report(db_engine, data)
    # v1, v2, v3 signed up in 2025; v1, v2 validated; v0, v1, v2 gave an hour in a month.
    assert (r.volunteers_signed_up, r.volunteers_validated, r.volunteers_active) == (3, 2, 3)


def test_pledge_share(db_engine, data):
    # Validated at each month's end: 2 in January (v0, v1), then 3; 2 + 11 * 3 = 35.
    # Hours given: January v0, February v1 v2, June v1 v0 (March's 30 min do not count).
    assert report(db_engine, data).pledge_share == pytest.approx(5 / 35)


def test_retention_by_month_of_sign_up(db_engine, data):
    rows = report(db_engine, data).retention
    # January's two both gave in February (+1), none in April (+3) or July (+6).
    assert [(r.month, r.signed_up, r.shares) for r in rows] == [
        ("2025-01", 2, (1.0, 0.0, 0.0)), ("2025-03", 1, (0.0, 0.0, 0.0))]


def test_retention_months_not_over_are_unknown(db_engine, data):
    with session_scope(db_engine) as s:
        r = stats.commune_stats(s, actor=data.referent_a, commune_id=data.a,
                                filters=stats.StatsFilter(YEAR), timezone=TZ,
                                now=at(4, 15))
    assert [r.shares for r in r.retention] == [(1.0, None, None), (None, None, None)]


def test_hours_per_month_by_category(db_engine, data):
    r = report(db_engine, data)
    months = {m.month: (m.minutes_by_category, m.active) for m in r.months}
    assert len(months) == 12
    assert months["2025-01"] == ({"shopping": 60}, 1)
    assert months["2025-02"] == ({"shopping": 60, "visit": 90}, 2)
    assert months["2025-03"] == ({"shopping": 30}, 0)
    assert months["2025-06"] == ({"cleanup": 240}, 2)
    assert months["2025-05"] == ({}, 0)  # B's hour is not A's
    assert r.minutes == 480
    assert r.minutes_by_category == {"cleanup": 240, "shopping": 150, "visit": 90}


def test_missions_created_filled_done_cancelled_expired(db_engine, data):
    r = report(db_engine, data)
    assert (r.missions_created, r.missions_filled, r.missions_done, r.missions_cancelled,
            r.missions_expired) == (7, 4, 4, 1, 1)
    assert r.fill_rate == pytest.approx(4 / 7)


def test_fill_rate_and_time_to_find_a_volunteer_by_channel(db_engine, data):
    r = report(db_engine, data)
    rows = {c.channel: c for c in r.channels}
    assert set(rows) == {"phone", "flyer", "in_person"}
    phone = rows["phone"]
    assert (phone.created, phone.filled, phone.fill_rate) == (4, 2, 0.5)
    assert phone.time_to_fill.median == pytest.approx(14)  # 4 h and 24 h
    assert phone.time_to_fill.p90 == pytest.approx(22)
    assert (rows["flyer"].created, rows["flyer"].filled) == (2, 1)
    assert rows["flyer"].time_to_fill.median == pytest.approx(2)
    assert rows["in_person"].time_to_fill.median == pytest.approx(6)
    # All: 2, 4, 6, 24 hours.
    assert r.time_to_fill.count == 4
    assert r.time_to_fill.median == pytest.approx(5)
    assert r.time_to_fill.p90 == pytest.approx(18.6)


def test_beneficiaries_helped_is_a_count(db_engine, data):
    # m1 and m3 helped the same person, m2 another, m7 is collective.
    assert report(db_engine, data).beneficiaries_helped == 2


def test_satisfaction_of_both_sides_and_incidents(db_engine, data):
    r = report(db_engine, data)
    assert r.beneficiary_satisfaction.counts == (0, 0, 1, 1, 1)
    assert r.beneficiary_satisfaction.mean == pytest.approx(4)
    assert r.volunteer_satisfaction.counts == (0, 0, 0, 1, 1)
    assert r.volunteer_satisfaction.mean == pytest.approx(4.5)
    assert r.incidents == 1


def test_relay_reports_by_category_and_time_to_answer(db_engine, data):
    r = report(db_engine, data)
    assert r.reports_by_category == {"safety": 2, "comfort": 1}
    assert r.report_answer.count == 2
    assert r.report_answer.median == pytest.approx(13)
    assert r.report_answer.p90 == pytest.approx(21.8)


def test_collective_attendance_rate(db_engine, data):
    r = report(db_engine, data)
    assert (r.attendance_checked, r.attendance_present) == (3, 2)
    assert r.attendance_rate == pytest.approx(2 / 3)


def test_gestures_most_given(db_engine, data):
    assert [(g.category, g.missions_done) for g in report(db_engine, data).gestures] == [
        ("shopping", 2), ("cleanup", 1), ("visit", 1)]


def test_month_and_quarter_periods(db_engine, data):
    february = report(db_engine, data, period_of("month", anchor=date(2025, 2, 14)))
    assert (february.minutes, february.missions_created, february.volunteers_validated) == (
        150, 2, 1)
    q1 = report(db_engine, data, period_of("quarter", anchor=date(2025, 2, 14)))
    assert (q1.minutes, q1.missions_created, q1.volunteers_signed_up) == (240, 3, 3)
    custom = report(db_engine, data, period_of("custom", anchor=date(2025, 1, 1),
                                               start=date(2025, 6, 1),
                                               end=date(2025, 6, 30)))
    assert (custom.minutes, custom.missions_created, custom.attendance_checked) == (240, 2, 3)


def test_neighbourhood_filter(db_engine, data):
    r = report(db_engine, data, neighbourhood_id=data.h2)
    # m2 and m5; v2 lives in h2.
    assert (r.missions_created, r.missions_filled, r.minutes) == (2, 1, 90)
    assert (r.volunteers_signed_up, r.volunteers_validated) == (1, 1)
    assert r.reports_by_category == {}


def test_category_filter(db_engine, data):
    r = report(db_engine, data, category="shopping")
    assert (r.missions_created, r.missions_filled, r.minutes) == (3, 2, 150)
    assert r.reports_by_category == {}
    safety = report(db_engine, data, category="safety")
    assert safety.reports_by_category == {"safety": 2}


def test_departement_compares_its_communes(db_engine, data):
    with session_scope(db_engine) as s:
        r = stats.departement_stats(s, actor=data.coordinator, filters=stats.StatsFilter(YEAR),
                                    timezone=TZ, now=NOW)
    assert r.scope.kind == "departement" and not r.scope.own_staff
    assert (r.missions_created, r.missions_filled, r.minutes) == (8, 5, 540)
    rows = {row.name: row for row in r.communes}
    assert set(rows) == {"Argentré", "Balazé"}
    assert (rows["Argentré"].minutes, rows["Argentré"].volunteers_active,
            rows["Argentré"].volunteers_signed_up, rows["Argentré"].missions_created,
            rows["Argentré"].missions_filled) == (480, 3, 3, 7, 4)
    assert (rows["Balazé"].minutes, rows["Balazé"].volunteers_active,
            rows["Balazé"].missions_created, rows["Balazé"].fill_rate) == (60, 1, 1, 1.0)


def test_coordinator_sees_a_commune_of_the_departement_not_as_its_staff(db_engine, data):
    r = report(db_engine, data, actor=data.coordinator)
    assert r.minutes == 480 and not r.scope.own_staff
    assert report(db_engine, data).scope.own_staff


@pytest.mark.parametrize("who", ["volunteer", "referent_b", "referent_c", "other_coordinator"])
def test_others_get_not_found(db_engine, data, who):
    with pytest.raises(NotFound):
        report(db_engine, data, actor=getattr(data, who))


@pytest.mark.parametrize("who", ["volunteer", "referent_a"])
def test_only_a_coordinator_sees_the_departement(db_engine, data, who):
    with session_scope(db_engine) as s, pytest.raises(NotFound):
        stats.departement_stats(s, actor=getattr(data, who), filters=stats.StatsFilter(YEAR),
                                timezone=TZ)


def test_filters_of_another_commune_or_unknown_are_refused(db_engine, data):
    with pytest.raises(NotFound):
        report(db_engine, data, neighbourhood_id=data.hc)
    with pytest.raises(DomainError, match="Pick a category"):
        report(db_engine, data, category="piano")
