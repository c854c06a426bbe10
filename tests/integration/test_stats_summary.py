"""The evaluation summaries equal a recomputation from the raw rows after random changes.

A seeded random sequence of changes, each in its own unit of work, through the
services where they exist (accepting, marking done, following up, cancelling,
expiring, taking off, validating: their ORM writes and conditional UPDATEs) and
straight on the rows for what no service does yet (a mission's category or
creation date, a volunteer's role, an hour entry corrected or removed, a Core
UPDATE of a status). Then, on SQLite and PostgreSQL:

- every summary table holds exactly what ``stats_upkeep.rebuild`` writes from
  the raw rows;
- every dashboard the summaries serve gives the same report as the raw rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import factories as f
import pytest
from sqlalchemy import delete, event, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import (
    Channel,
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    Role,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.models import HourEntry, Mission, Participation, User
from heurecivique_app.domain.models import VolunteerProfile as Profile
from heurecivique_app.domain.stats import period_of
from heurecivique_app.domain.stats_summary import SUMMARY_TABLES, StatsPeople, StatsSummaryState
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import stats, stats_summary, stats_upkeep
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.followup import FollowUpForm, record_followup
from heurecivique_app.services.missions import control, lifecycle, participation
from heurecivique_app.services.pool import validate_volunteer

TZ = "Europe/Paris"
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
CATEGORIES = ["shopping", "visit", "walk", "cleanup"]
STEPS = 70


@dataclass
class Town:
    commune: int
    hoods: list[int]
    referent: Actor
    volunteers: list[int] = field(default_factory=list)
    missions: list[int] = field(default_factory=list)


def moment(rnd: random.Random) -> datetime:
    """A date in 2025 or the first half of 2026, often right by a local month's turn."""
    day = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=rnd.randrange(530))
    if rnd.random() < 0.3:  # 22:00-23:59 UTC on a month's last day is the next month in Paris
        day = day.replace(day=1) - timedelta(hours=rnd.choice([1, 2, 3]))
    return day + timedelta(minutes=rnd.randrange(24 * 60))


def _world(engine: Engine) -> tuple[list[Town], Actor]:
    with session_scope(engine) as s:
        dep = f.departement(s)
        towns = []
        for _ in range(2):
            town = f.commune(s, departement_=dep)
            hoods = [f.neighbourhood(s, commune_=town).id for _ in range(2)]
            towns.append(Town(town.id, hoods, Actor.from_user(f.referent(s, commune_=town))))
        coordinator = Actor.from_user(f.user(s, commune_=town, role=Role.DEPARTEMENT_ADMIN))
    return towns, coordinator


def new_volunteer(s: Session, rnd: random.Random, town: Town) -> None:
    status = rnd.choice([VolunteerStatus.ACTIVE, VolunteerStatus.ACTIVE, VolunteerStatus.PENDING])
    person = f.volunteer(s, neighbourhood_=s.get(f.Neighbourhood, rnd.choice(town.hoods)),
                         status=status, created_at=moment(rnd))
    if status == VolunteerStatus.ACTIVE:
        s.get(Profile, person.id).validated_at = moment(rnd)
    town.volunteers.append(person.id)


def new_mission(s: Session, rnd: random.Random, town: Town) -> None:
    created = moment(rnd)
    collective = rnd.random() < 0.25
    hood = s.get(f.Neighbourhood, rnd.choice(town.hoods))
    mission = f.mission(
        s, neighbourhood_=hood, created_at=created, updated_at=created,
        starts_at=created + timedelta(days=rnd.randrange(1, 20)),
        kind=MissionKind.COLLECTIVE if collective else MissionKind.INDIVIDUAL,
        capacity=3 if collective else 1, channel=rnd.choice(list(Channel)),
        category="cleanup" if collective else rnd.choice(CATEGORIES[:3]),
        status=rnd.choice([MissionStatus.OPEN] * 4 + [MissionStatus.DRAFT]))
    town.missions.append(mission.id)


def accept(s: Session, rnd: random.Random, town: Town) -> None:
    volunteer = s.get(User, rnd.choice(town.volunteers))
    mission = s.get(Mission, rnd.choice(town.missions))
    past, mission.starts_at = mission.starts_at, utcnow() + timedelta(days=1)
    s.flush()  # not started yet while it is accepted; back in the past afterwards
    participation.accept_mission(s, actor=Actor.from_user(volunteer), mission_id=mission.id)
    mission.starts_at = past
    # The acceptance's date, as if it came some hours after the mission's creation.
    row = s.exec(select(Participation).where(Participation.volunteer_id == volunteer.id,
                                             Participation.mission_id == mission.id)).one()
    row.created_at = mission.created_at + timedelta(hours=rnd.randrange(-2, 200))


def mark_done(s: Session, rnd: random.Random, town: Town) -> None:
    lifecycle.mark_done(s, actor=town.referent, mission_id=rnd.choice(town.missions),
                        timezone=TZ, minutes=rnd.choice([30, 60, 90]))


def follow_up(s: Session, rnd: random.Random, town: Town) -> None:
    form = FollowUpForm(beneficiary_called=True, went_well="yes",
                        minutes=str(rnd.choice([45, 60, 120])),
                        beneficiary_satisfaction=rnd.choice(["", "2", "4", "5"]),
                        volunteer_satisfaction=rnd.choice(["", "1", "3", "5"]),
                        incident=rnd.choice(["", "", "Une chute"]))
    record_followup(s, actor=town.referent, mission_id=rnd.choice(town.missions), form=form,
                    timezone=TZ, close=rnd.random() < 0.5)


def cancel(s: Session, rnd: random.Random, town: Town) -> None:
    control.cancel_mission(s, actor=town.referent, mission_id=rnd.choice(town.missions),
                           reason="La famille s'en occupe", timezone=TZ)


def expire(s: Session, rnd: random.Random, town: Town) -> None:
    control.expire_past_missions(s, now=moment(rnd))


def take_off(s: Session, rnd: random.Random, town: Town) -> None:
    taken = s.exec(select(Participation.mission_id, Participation.volunteer_id)
                   .join(Mission, Mission.id == Participation.mission_id)
                   .where(Mission.commune_id == town.commune,
                          Participation.status == ParticipationStatus.ACCEPTED)).all()
    mission_id, volunteer_id = rnd.choice(taken)
    control.take_off(s, actor=town.referent, mission_id=mission_id, volunteer_id=volunteer_id,
                     reason="Empêchée", timezone=TZ)


def validate(s: Session, rnd: random.Random, town: Town) -> None:
    validate_volunteer(s, actor=town.referent, volunteer_id=rnd.choice(town.volunteers),
                       charter_checked=True, note="", charter_version="2024-01")


def edit_rows(s: Session, rnd: random.Random, town: Town) -> None:
    """A change no service makes yet, straight on a row (ORM) or by a Core UPDATE."""
    mission = s.get(Mission, rnd.choice(town.missions))
    entry = s.exec(select(HourEntry).join(Mission, Mission.id == HourEntry.mission_id)
                   .where(Mission.commune_id == town.commune)).first()
    person = s.get(User, rnd.choice(town.volunteers))
    what = rnd.randrange(8)
    if what == 0:
        mission.category = rnd.choice(CATEGORIES)
    elif what == 1:
        mission.created_at = moment(rnd)
    elif what == 2 and entry is not None:
        entry.minutes = rnd.choice([15, 60, 75])
    elif what == 3 and entry is not None:
        s.delete(entry)
    elif what == 4:
        person.role = Role.REFERENT if person.role == Role.VOLUNTEER else Role.VOLUNTEER
    elif what == 5:
        person.created_at = moment(rnd)
    elif what == 6:
        s.get(Profile, person.id).validated_at = rnd.choice([None, moment(rnd)])
    else:
        s.execute(update(Mission).where(Mission.id == mission.id)
                  .values(status=rnd.choice(list(MissionStatus))))
    attended = s.exec(select(Participation).where(Participation.mission_id == mission.id)).all()
    for row in attended if mission.kind == MissionKind.COLLECTIVE else ():
        row.attended = rnd.choice([None, True, False])


CHANGES: list[tuple[Callable[[Session, random.Random, Town], None], int]] = [
    (new_volunteer, 3), (new_mission, 5), (accept, 6), (mark_done, 3), (follow_up, 3),
    (cancel, 1), (expire, 1), (take_off, 1), (validate, 1), (edit_rows, 4)]


def _contents(s: Session) -> dict[str, set[tuple]]:
    return {table.__tablename__: set(s.connection().execute(select(table)).all())
            for table in SUMMARY_TABLES}


def _reports(engine: Engine, towns: list[Town], coordinator: Actor, *,
             summarised: bool) -> list:
    periods = [period_of("year", anchor=date(2025, 3, 1)),
               period_of("year", anchor=date(2026, 3, 1)),
               period_of("quarter", anchor=date(2025, 11, 1)),
               period_of("month", anchor=date(2026, 2, 1)),
               period_of("custom", anchor=NOW.date(), start=date(2025, 2, 1),
                         end=date(2026, 5, 31))]
    reports = []
    with session_scope(engine) as s:
        for period in periods:
            assert stats_summary.serves(s, period=period, neighbourhood_id=None,
                                        timezone=TZ) == summarised
            for category in (None, "shopping", "cleanup"):
                filters = stats.StatsFilter(period, category=category)
                reports.append(stats.departement_stats(s, actor=coordinator, filters=filters,
                                                       timezone=TZ, now=NOW))
                for town in towns:
                    reports.append(stats.commune_stats(s, actor=town.referent,
                                                       commune_id=town.commune,
                                                       filters=filters, timezone=TZ, now=NOW))
    return reports


@pytest.mark.parametrize("seed", [20, 21])
def test_summaries_equal_a_recomputation_after_random_changes(
        db_engine: Engine, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(seed)
    towns, coordinator = _world(db_engine)
    for town in towns:  # a few of each to start with
        for change in (new_volunteer, new_volunteer, new_mission, new_mission):
            with session_scope(db_engine) as s:
                change(s, rnd, town)
    done: dict[str, int] = {}
    changes, weights = zip(*CHANGES, strict=True)
    for _ in range(STEPS):
        change = rnd.choices(changes, weights)[0]
        try:
            with session_scope(db_engine) as s:
                change(s, rnd, rnd.choice(towns))
        except (DomainError, IndexError):  # refused (rolled back), or nothing to pick
            continue
        done[change.__name__] = done.get(change.__name__, 0) + 1
    # The sequence did reach the writes it is about.
    assert {"accept", "mark_done", "follow_up", "edit_rows", "new_mission"} <= set(done), done

    with Session(db_engine) as s:
        kept = _contents(s)
        stats_upkeep.rebuild(s, timezone=TZ)
        rebuilt = _contents(s)
        s.rollback()
    assert sum(len(rows) for rows in rebuilt.values()) > 30
    for name in kept:
        assert kept[name] == rebuilt[name], name

    summarised = _reports(db_engine, towns, coordinator, summarised=True)
    monkeypatch.setattr(stats_summary, "serves", lambda *_a, **_k: False)
    assert summarised == _reports(db_engine, towns, coordinator, summarised=False)


def test_nothing_is_kept_before_the_summaries_are_built(db_engine: Engine) -> None:
    """A database migrated without ``manage migrate``'s build: raw reads, no upkeep."""
    with session_scope(db_engine) as s:
        s.execute(delete(StatsSummaryState))
    with session_scope(db_engine) as s:
        town = f.commune(s)
        f.mission(s, neighbourhood_=f.neighbourhood(s, commune_=town))
    with session_scope(db_engine) as s:
        assert not any(_contents(s).values())
        period = period_of("year", anchor=NOW.date())
        assert not stats_summary.serves(s, period=period, neighbourhood_id=None, timezone=TZ)
        assert stats_upkeep.ensure(s, timezone=TZ)
    with session_scope(db_engine) as s:
        assert _contents(s)["stats_mission_month"]
        assert stats_summary.serves(s, period=period, neighbourhood_id=None, timezone=TZ)
        assert not stats_summary.serves(s, period=period, neighbourhood_id=None,
                                        timezone="America/Cayenne")


def test_a_write_rewrites_only_the_summary_rows_it_changes(db_engine: Engine) -> None:
    """An accept in a month of forty missions writes that mission's fact and the month
    rows of its category and channel, not the whole month's rows again."""
    (town, *_), _coordinator = _world(db_engine)
    created = utcnow() - timedelta(hours=2)
    with session_scope(db_engine) as s:
        hood = s.get(f.Neighbourhood, town.hoods[0])
        volunteers = [f.volunteer(s, neighbourhood_=hood).id for _ in range(21)]
        missions = [f.mission(s, neighbourhood_=hood, created_at=created, updated_at=created,
                              starts_at=utcnow() + timedelta(days=2), capacity=1,
                              category=CATEGORIES[n % 3], status=MissionStatus.OPEN).id
                    for n in range(40)]
    for volunteer, mission in zip(volunteers[:20], missions[:20], strict=False):
        with session_scope(db_engine) as s:
            participation.accept_mission(s, actor=Actor.from_user(s.get(User, volunteer)),
                                         mission_id=mission)
    written: list[tuple[str, int]] = []

    def count(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        words = statement.split()
        if words[0] == "INSERT" and words[2].startswith("stats_"):
            written.append((words[2], len(parameters) if executemany else 1))

    event.listen(db_engine, "before_cursor_execute", count)
    try:
        with session_scope(db_engine) as s:
            participation.accept_mission(s, actor=Actor.from_user(s.get(User, volunteers[20])),
                                         mission_id=missions[30])
    finally:
        event.remove(db_engine, "before_cursor_execute", count)
    rows = defaultdict(int)
    for table, n in written:
        rows[table] += n
    # Its fact (time to a volunteer), and its month rows: by category and channel, by
    # category, by channel (three, changed: one more filled mission).
    assert rows == {"stats_bucket": 1, "stats_mission_fact": 1, "stats_mission_month": 3}
    with Session(db_engine) as s:
        kept = _contents(s)
        stats_upkeep.rebuild(s, timezone=TZ)
        assert kept == _contents(s)
        s.rollback()


def test_retention_and_validations_are_counted_per_sign_up_month(db_engine: Engine) -> None:
    """The people rows of a month: who signed up, who of them gave time 1, 3 and 6 months
    later (another month does not count), who was validated; kept as the ledger grows."""
    (town, *_), _coordinator = _world(db_engine)
    march = datetime(2025, 3, 10, 9, tzinfo=UTC)
    # Who gives time in which months, after signing up in March 2025.
    gives = [["2025-04"], ["2025-06"], ["2025-09"], ["2025-04", "2025-06"], ["2025-05"], []]
    with session_scope(db_engine) as s:
        hood = s.get(f.Neighbourhood, town.hoods[0])
        people = [f.volunteer(s, neighbourhood_=hood, created_at=march) for _ in gives]
        for person, validated in zip(people, [march, march, march, datetime(
                2025, 4, 2, tzinfo=UTC), None, None], strict=True):
            s.get(Profile, person.id).validated_at = validated
        f.volunteer(s, neighbourhood_=hood, created_at=datetime(2025, 5, 3, tzinfo=UTC),
                    status=VolunteerStatus.PENDING)
        ids = [p.id for p in people]
    for volunteer_id, months in zip(ids, gives, strict=True):
        for month in months:
            with session_scope(db_engine) as s:
                mission = f.mission(s, neighbourhood_=s.get(f.Neighbourhood, town.hoods[0]))
                s.add(HourEntry(volunteer_id=volunteer_id, mission_id=mission.id,
                                minutes=60, month=month))

    def people_rows() -> dict[tuple[str, str], int]:
        with Session(db_engine) as s:
            rows = s.exec(select(StatsPeople).where(StatsPeople.commune_id == town.commune))
            return {(r.month, r.measure): r.volunteers for r in rows}

    march_rows = {("2025-03", "signed_up"): 6, ("2025-03", "gave_after_1"): 2,
                  ("2025-03", "gave_after_3"): 2, ("2025-03", "gave_after_6"): 1,
                  ("2025-03", "validated"): 3}
    later = {("2025-04", "validated"): 1, ("2025-05", "signed_up"): 1}
    assert people_rows() == {**march_rows, **later}
    with session_scope(db_engine) as s:  # the one who never gave, six months on
        mission = f.mission(s, neighbourhood_=s.get(f.Neighbourhood, town.hoods[0]))
        s.add(HourEntry(volunteer_id=ids[5], mission_id=mission.id, minutes=30,
                        month="2025-09"))
    assert people_rows() == {**march_rows, ("2025-03", "gave_after_6"): 2, **later}
