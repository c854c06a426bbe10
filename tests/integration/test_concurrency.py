"""Eight volunteers tap "I accept" at the same instant: the database decides, exactly once.

Each volunteer runs in its own thread with its own Session (its own connection),
all released together by a barrier, and commits as a request handler would.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import factories as f
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import (
    add_event_publisher,
    remove_event_publisher,
    session_factory,
    session_scope,
)
from heurecivique_app.domain.enums import MissionKind, MissionStatus, ParticipationStatus
from heurecivique_app.domain.errors import AlreadyTaken, DomainError
from heurecivique_app.domain.events import DomainEvent
from heurecivique_app.domain.models import (
    AuditEntry,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import collective, followup
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.missions import lifecycle
from heurecivique_app.services.missions.participation import accept_mission, decline_mission

N = 8
ROUNDS = 3  # a few races per backend and capacity: one lucky interleaving proves little


def race(engine: Engine, actors: list[Actor], mission_id: int,
         actions: list | None = None) -> list[object]:
    """Run accept_mission (or ``actions[i]``) for every actor at once.

    Returns "ok" or the exception raised, per actor.
    """
    barrier = threading.Barrier(len(actors))
    outcomes: list[object] = [None] * len(actors)
    factory = session_factory(engine)

    def volunteer_taps(index: int) -> None:
        try:
            with factory() as session:
                session.connection()  # check out a connection first: only the tap is raced
                barrier.wait(timeout=30)
                try:
                    action = actions[index] if actions else accept_mission
                    action(session, actor=actors[index], mission_id=mission_id)
                    session.commit()
                    outcomes[index] = "ok"
                except BaseException:
                    session.rollback()
                    raise
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            outcomes[index] = exc

    threads = [threading.Thread(target=volunteer_taps, args=(i,)) for i in range(len(actors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a volunteer's tap hung"
    return outcomes


@pytest.mark.parametrize("capacity", [1, 3])
def test_simultaneous_acceptances_fill_exactly_the_capacity(
    db_engine: Engine, capacity: int
) -> None:
    published: list[DomainEvent] = []
    add_event_publisher(published.extend)
    try:
        for _ in range(ROUNDS):
            _one_race(db_engine, capacity, published)
    finally:
        remove_event_publisher(published.extend)


def _one_race(engine: Engine, capacity: int, published: list[DomainEvent]) -> None:
    with session_scope(engine) as s:
        hood = f.neighbourhood(s)
        mission = f.mission(
            s, neighbourhood_=hood, capacity=capacity,
            kind=MissionKind.INDIVIDUAL if capacity == 1 else MissionKind.COLLECTIVE,
        )
        actors = [f.actor(f.volunteer(s, neighbourhood_=hood)) for _ in range(N)]
    published.clear()

    outcomes = race(engine, actors, mission.id)
    collective = capacity > 1

    unexpected = [o for o in outcomes if o != "ok" and not isinstance(o, AlreadyTaken)]
    assert not unexpected, f"unexpected errors: {unexpected!r}"
    tally = Counter("ok" if o == "ok" else "taken" for o in outcomes)
    # A full collective action puts the late volunteers on its waiting list instead.
    assert tally == ({"ok": N} if collective else {"ok": capacity, "taken": N - capacity})

    with session_scope(engine) as s:
        stored = s.get(Mission, mission.id)
        assert stored.accepted_count == capacity
        assert stored.status == MissionStatus.FULL
        rows = s.exec(select(Participation).where(Participation.mission_id == mission.id)).all()
        winners = {p.volunteer_id for p in rows if p.status == ParticipationStatus.ACCEPTED}
        waiting = {p.volunteer_id for p in rows if p.status == ParticipationStatus.WAITLISTED}
        assert len(winners) == capacity
        assert len(waiting) == (N - capacity if collective else 0)
        assert len(rows) == len(winners) + len(waiting)
        audits = s.exec(select(AuditEntry).where(AuditEntry.entity_id == mission.id,
                                                 AuditEntry.action == "mission.accepted")).all()
        assert {a.actor_id for a in audits} == winners and len(audits) == capacity

    # One board update per place taken, none for the losers' rolled-back attempts.
    accepted = [e for e in published if e.kind == "mission.accepted"]
    assert len(accepted) == capacity
    assert len([e for e in published if e.kind == "mission.waitlisted"]) == len(waiting)
    # The boards' events; the notification centres' signals (inbox.changed) aside.
    boards = [e for e in published if e.kind != "inbox.changed"]
    assert len(boards) == capacity + len(waiting)
    assert sorted(e.data["places_left"] for e in accepted) == list(range(capacity))


def _counts(engine: Engine, mission_id: int) -> tuple[int, int, str]:
    """(accepted_count, accepted Participation rows, status) as stored."""
    with session_scope(engine) as s:
        mission = s.get(Mission, mission_id)
        rows = s.exec(select(Participation).where(
            Participation.mission_id == mission_id,
            Participation.status == ParticipationStatus.ACCEPTED)).all()
        return mission.accepted_count, len(rows), mission.status


def test_withdrawal_racing_an_acceptance_keeps_the_count(db_engine: Engine) -> None:
    """A withdraws while B accepts: B's place must survive A's (older) read of the mission."""
    with session_scope(db_engine) as s:
        w = f.world(s, kind=MissionKind.COLLECTIVE, capacity=3)
        late = f.actor(f.volunteer(s, neighbourhood_=w.neighbourhood))
    with session_scope(db_engine) as s:
        accept_mission(s, actor=w.volunteer_actor, mission_id=w.mission.id)

    with session_factory(db_engine)() as slow:
        # A's request has loaded the mission (1 place taken) when B's acceptance commits.
        loaded = slow.get(Mission, w.mission.id)
        assert loaded.accepted_count == 1
        with session_scope(db_engine) as quick:
            accept_mission(quick, actor=late, mission_id=w.mission.id)
        decline_mission(slow, actor=w.volunteer_actor, mission_id=w.mission.id)
        slow.commit()

    assert _counts(db_engine, w.mission.id) == (1, 1, MissionStatus.OPEN)


@pytest.mark.parametrize("declined_before", [False, True], ids=["first-time", "after-decline"])
def test_double_tap_accepts_once(db_engine: Engine, declined_before: bool) -> None:
    """Two tabs, a double tap: one place taken, the other taps told it is already theirs."""
    with session_scope(db_engine) as s:
        w = f.world(s, kind=MissionKind.COLLECTIVE, capacity=3)
    if declined_before:
        with session_scope(db_engine) as s:
            decline_mission(s, actor=w.volunteer_actor, mission_id=w.mission.id)

    outcomes = race(db_engine, [w.volunteer_actor] * 4, w.mission.id)

    assert outcomes.count("ok") == 1, outcomes
    refused = [o for o in outcomes if o != "ok"]
    assert all(type(o) is DomainError and "already accepted" in o.message for o in refused), \
        refused
    assert _counts(db_engine, w.mission.id) == (1, 1, MissionStatus.OPEN)


def two_on_a_collective_action(engine: Engine) -> tuple[f.World, Actor]:
    """A collective action of 3 places, two taken: the world's volunteer and another."""
    with session_scope(engine) as s:
        w = f.world(s, kind=MissionKind.COLLECTIVE, capacity=3)
        other = f.actor(f.volunteer(s, neighbourhood_=w.neighbourhood))
    for actor in (w.volunteer_actor, other):
        with session_scope(engine) as s:
            accept_mission(s, actor=actor, mission_id=w.mission.id)
    return w, other


def test_double_tap_withdraws_once(db_engine: Engine) -> None:
    w, _stays = two_on_a_collective_action(db_engine)

    outcomes = race(db_engine, [w.volunteer_actor] * 4, w.mission.id,
                    actions=[decline_mission] * 4)

    assert not [o for o in outcomes if o != "ok"], outcomes
    assert _counts(db_engine, w.mission.id) == (1, 1, MissionStatus.OPEN)
    with session_scope(db_engine) as s:
        (gone,) = s.exec(select(Participation).where(
            Participation.volunteer_id == w.volunteer.id)).all()
        assert gone.status == ParticipationStatus.CANCELLED


def test_withdrawals_and_acceptances_at_once_keep_the_books_straight(db_engine: Engine) -> None:
    """Four helpers withdraw while four newcomers accept a full mission of four places."""
    with session_scope(db_engine) as s:
        hood = f.neighbourhood(s)
        mission = f.mission(s, neighbourhood_=hood, kind=MissionKind.COLLECTIVE, capacity=4)
        leaving = [f.actor(f.volunteer(s, neighbourhood_=hood)) for _ in range(4)]
        coming = [f.actor(f.volunteer(s, neighbourhood_=hood)) for _ in range(4)]
    for actor in leaving:
        with session_scope(db_engine) as s:
            accept_mission(s, actor=actor, mission_id=mission.id)
    assert _counts(db_engine, mission.id) == (4, 4, MissionStatus.FULL)

    outcomes = race(db_engine, leaving + coming, mission.id,
                    actions=[decline_mission] * 4 + [accept_mission] * 4)

    assert outcomes == ["ok"] * 8, outcomes  # late newcomers wait instead of being refused
    count, rows, status = _counts(db_engine, mission.id)
    assert count == rows
    with session_scope(db_engine) as s:
        waiting = s.exec(select(Participation).where(
            Participation.mission_id == mission.id,
            Participation.status == ParticipationStatus.WAITLISTED)).all()
    # Nobody waits while a place is free, and every newcomer holds a place or waits.
    assert count == 4 or not waiting
    assert count + len(waiting) == 4
    assert status == (MissionStatus.FULL if count == 4 else MissionStatus.OPEN)


def _waitlisted_action(engine: Engine, capacity: int, waiting: int):
    """A full collective action of ``capacity`` places and ``waiting`` volunteers waiting."""
    with session_scope(engine) as s:
        hood = f.neighbourhood(s)
        mission = f.mission(s, neighbourhood_=hood, kind=MissionKind.COLLECTIVE,
                            capacity=capacity)
        holders = [f.actor(f.volunteer(s, neighbourhood_=hood)) for _ in range(capacity)]
        queue = [f.actor(f.volunteer(s, neighbourhood_=hood)) for _ in range(waiting)]
    for actor in holders + queue:
        with session_scope(engine) as s:
            accept_mission(s, actor=actor, mission_id=mission.id)
    return mission, holders, queue


def _statuses(engine: Engine, mission_id: int) -> dict[int, str]:
    with session_scope(engine) as s:
        return {p.volunteer_id: p.status for p in s.exec(
            select(Participation).where(Participation.mission_id == mission_id)).all()}


def test_simultaneous_cancellations_promote_the_first_waiting_once_each(
    db_engine: Engine,
) -> None:
    """Three holders cancel at once: the three longest-waiting move up, nobody twice."""
    for _ in range(ROUNDS):
        mission, holders, queue = _waitlisted_action(db_engine, capacity=3, waiting=5)

        outcomes = race(db_engine, holders, mission.id, actions=[decline_mission] * 3)

        assert outcomes == ["ok"] * 3, outcomes
        statuses = _statuses(db_engine, mission.id)
        assert [statuses[a.user_id] for a in queue] == ["accepted"] * 3 + ["waitlisted"] * 2
        assert all(statuses[a.user_id] == "cancelled" for a in holders)
        assert _counts(db_engine, mission.id) == (3, 3, MissionStatus.FULL)
        with session_scope(db_engine) as s:
            promotions = s.exec(select(AuditEntry).where(
                AuditEntry.entity_id == mission.id, AuditEntry.action == "mission.promoted")).all()
        assert sorted(a.detail["volunteer_id"] for a in promotions) == sorted(
            a.user_id for a in queue[:3])


def test_cancellations_racing_newcomers_leave_no_free_place_with_people_waiting(
    db_engine: Engine,
) -> None:
    """Holders cancel while newcomers sign up: places stay full, the rest wait in order."""
    for _ in range(ROUNDS):
        mission, holders, queue = _waitlisted_action(db_engine, capacity=2, waiting=1)
        with session_scope(db_engine) as s:
            hood = s.get(Neighbourhood, mission.neighbourhood_id)
            newcomers = [f.actor(f.volunteer(s, neighbourhood_=hood)) for _ in range(4)]

        outcomes = race(db_engine, holders + newcomers, mission.id,
                        actions=[decline_mission] * 2 + [accept_mission] * 4)

        assert outcomes == ["ok"] * 6, outcomes
        statuses = _statuses(db_engine, mission.id)
        count, rows, status = _counts(db_engine, mission.id)
        assert (count, rows, status) == (2, 2, MissionStatus.FULL)
        # The one who waited before the race was first in line for the first place freed.
        assert statuses[queue[0].user_id] == "accepted"
        assert list(statuses.values()).count("waitlisted") == 3


def test_two_reports_of_done_at_once_count_the_hours_once(db_engine: Engine) -> None:
    """The volunteer's « c'est fait » and the referent's at the same instant: one records
    the hours, the other is told it is done already (it failed on the hour ledger's
    unique key: an IntegrityError, the soak test's traceback)."""
    w, other = two_on_a_collective_action(db_engine)

    def report(session, *, actor, mission_id):
        lifecycle.mark_done(session, actor=actor, mission_id=mission_id, timezone="Europe/Paris")

    for _ in range(ROUNDS):
        with session_scope(db_engine) as s:  # back to « to do », its hours removed
            for entry in s.exec(select(HourEntry)).all():
                s.delete(entry)
            s.get(Mission, w.mission.id).status = MissionStatus.FULL
        outcomes = race(db_engine, [w.referent_actor] * 4, w.mission.id,
                        actions=[report] * 4)
        assert outcomes.count("ok") == 1, outcomes
        refused = [o for o in outcomes if o != "ok"]
        assert all(type(o) is DomainError and "already marked as done" in o.message
                   for o in refused), refused
        with session_scope(db_engine) as s:
            entries = s.exec(select(HourEntry)).all()
            assert sorted(e.volunteer_id for e in entries) == sorted(
                [w.volunteer.id, other.user_id])
            assert s.get(Mission, w.mission.id).status == MissionStatus.DONE



def _in_thread(engine: Engine, action) -> tuple[threading.Thread, list[object]]:
    """``action(session)`` committed in a thread of its own; its outcome, once joined."""
    outcome: list[object] = []

    def run() -> None:
        try:
            with session_scope(engine) as session:
                action(session)
            outcome.append("ok")
        except Exception as exc:  # noqa: BLE001 - the test reads it
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.postgres
@pytest.mark.parametrize(("first", "second"), [
    ("done", "follow_up"), ("follow_up", "done"), ("done", "attendance")])
def test_a_volunteers_done_meeting_the_referents_check_counts_the_hours_once(
        pg_engine: Engine, first: str, second: str) -> None:
    """« C'est fait » and the referent's follow-up (or attendance check) of the same
    mission, the first one's transaction still open when the second starts: each
    volunteer's time is entered once, with the referent's minutes. Before, the second
    read no hours, waited for the first's commit, then entered them again
    (IntegrityError). PostgreSQL only: in the embedded mode, SQLite's one worker runs
    handlers one at a time."""
    form = followup.FollowUpForm(beneficiary_called=True, went_well="yes", minutes="90",
                                 beneficiary_satisfaction="5", volunteer_satisfaction="4",
                                 incident="")
    w, other = two_on_a_collective_action(pg_engine)
    with session_scope(pg_engine) as s:
        s.get(Mission, w.mission.id).starts_at = utcnow() - timedelta(days=1)
    actions = {
        "done": lambda session: lifecycle.mark_done(
            session, actor=w.volunteer_actor, mission_id=w.mission.id,
            timezone="Europe/Paris", minutes=30),
        "follow_up": lambda session: followup.record_followup(
            session, actor=w.referent_actor, mission_id=w.mission.id, form=form,
            timezone="Europe/Paris"),
        "attendance": lambda session: collective.record_attendance(
            session, actor=w.referent_actor, mission_id=w.mission.id,
            present=[w.volunteer.id, other.user_id], minutes=90, timezone="Europe/Paris"),
    }
    with session_scope(pg_engine) as session:
        actions[first](session)
        thread, outcome = _in_thread(pg_engine, actions[second])
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the second did not wait for the first's transaction"
    thread.join(timeout=30)

    if second == "done":  # the referent's check made it done: the volunteer is told so
        (refused,) = outcome
        assert type(refused) is DomainError and "already marked as done" in refused.message
    else:  # the referent's check corrected the volunteer's 30 minutes
        assert outcome == ["ok"], outcome
    with session_scope(pg_engine) as s:
        entries = sorted((e.volunteer_id, e.minutes) for e in s.exec(select(HourEntry)))
    assert entries == sorted([(w.volunteer.id, 90), (other.user_id, 90)]), entries
