"""The soak test's database: the Vitré demo plus a crowd, and the checks made at the end.

Volunteers, referents and their session cookies are written straight into the
database (as bench/fanout.py does): logging a thousand people in through the
password hash would only measure the hash. The checks read the database once
the run is over, against what the clients saw.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import select

OPEN_PER_CLIENT = 0.2  # open missions per simulated volunteer at the start
PAST_MISSIONS = 80  # taken missions of yesterday, for the referents' follow-ups
SKILLS = ["shopping", "visit", "walk", "digital", "gardening"]  # categories too
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class World:
    """Who the clients are (one cookie each) and the missions they start from."""

    volunteers: list[tuple[int, str]] = field(default_factory=list)  # (user id, cookie)
    referents: list[tuple[int, str]] = field(default_factory=list)
    hoods: list[int] = field(default_factory=list)
    first_mission: int = 0  # the demo's own missions come before: some start within a day
    past_missions: list[int] = field(default_factory=list)


def prepare(database_url: str, volunteers: int, referents: int, seed: int = 21) -> World:
    """Seed the demo, then add the crowd, the open missions and yesterday's taken ones."""
    from heurecivique_app.adapters.db import make_engine, session_scope
    from heurecivique_app.domain.enums import (
        MissionKind,
        MissionStatus,
        ParticipationStatus,
        Role,
        VolunteerStatus,
    )
    from heurecivique_app.domain.models import (
        Beneficiary,
        Commune,
        Mission,
        Neighbourhood,
        Participation,
        User,
        VolunteerProfile,
    )
    from heurecivique_app.domain.types import utcnow
    from heurecivique_app.manage import seed as seed_demo
    from heurecivique_app.services import auth
    from heurecivique_app.settings import get_settings

    rng = random.Random(seed)
    seed_demo(database_url)
    engine = make_engine(database_url)
    world = World()
    now = utcnow()
    charter = get_settings().charter_version
    with session_scope(engine) as session:
        town = session.exec(select(Commune).where(Commune.name == "Vitré")).one()
        hoods = session.exec(select(Neighbourhood).where(
            Neighbourhood.commune_id == town.id).order_by(Neighbourhood.id)).all()
        world.hoods = [h.id for h in hoods]

        def person(i: int, kind: str, role: Role, hood: Neighbourhood | None) -> User:
            user = User(commune_id=town.id, email=f"soak-{kind}{i}@bench.invalid",
                        password_hash="!", display_name=f"Soak {kind} {i}", role=role,
                        neighbourhood_id=hood.id if hood else None)
            session.add(user)
            session.flush()
            return user

        for i in range(referents):
            user = person(i, "ref", Role.REFERENT, None)
            world.referents.append((user.id, auth.open_session(session, user=user,
                                                                ttl_hours=6)))
        for i in range(volunteers):
            user = person(i, "vol", Role.VOLUNTEER, hoods[i % len(hoods)])
            session.add(VolunteerProfile(
                user_id=user.id, status=VolunteerStatus.ACTIVE,
                skills=rng.sample(SKILLS, 2),
                availability={d: ["morning", "afternoon"] for d in rng.sample(DAYS, 3)},
                charter_version=charter, charter_accepted_at=now, validated_at=now))
            world.volunteers.append((user.id, auth.open_session(session, user=user,
                                                                 ttl_hours=6)))
        session.flush()

        def need(hood: Neighbourhood, n: int, starts, capacity: int, status: str) -> Mission:
            person_ = Beneficiary(commune_id=town.id, neighbourhood_id=hood.id,
                                  full_name=f"Mme Soak {n}", phone="+33299750000",
                                  address=f"{n} rue de la Poterie, 35500 Vitré",
                                  consent_at=now)
            session.add(person_)
            session.flush()
            mission = Mission(
                commune_id=town.id, neighbourhood_id=hood.id, beneficiary_id=person_.id,
                kind=MissionKind.INDIVIDUAL, category=rng.choice(SKILLS),
                title=f"Mission d'endurance {n}", status=status, capacity=capacity,
                approx_lat=hood.lat, approx_lon=hood.lon, exact_address=person_.address,
                starts_at=starts, preferred_starts=[starts.isoformat()],
                duration_minutes=60, created_by_id=world.referents[0][0])
            session.add(mission)
            session.flush()
            world.first_mission = world.first_mission or mission.id
            return mission

        for n in range(max(30, round(volunteers * OPEN_PER_CLIENT))):
            need(hoods[n % len(hoods)], n, now + timedelta(days=3 + n % 5, hours=n % 9),
                 rng.choice((1, 1, 2, 3)), MissionStatus.OPEN)
        for n in range(PAST_MISSIONS):
            mission = need(hoods[n % len(hoods)], 10_000 + n,
                           now - timedelta(days=1, hours=n % 12), 1, MissionStatus.FULL)
            mission.accepted_count = 1
            volunteer_id = world.volunteers[n % len(world.volunteers)][0]
            session.add(Participation(mission_id=mission.id, volunteer_id=volunteer_id,
                                      status=ParticipationStatus.ACCEPTED))
            world.past_missions.append(mission.id)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return world


@dataclass
class Checks:
    lost_accepts: int
    lost_withdrawals: int
    double_booked: int
    overfilled: int
    duplicate_hours: int
    count_mismatches: int
    unanswered_accepts: int
    unanswered_recorded: int
    # (volunteer, mission, the database's status) of each loss, to explain it
    mismatched: list[tuple[int, int, str | None]] = field(default_factory=list)


def check(database_url: str, believed: dict[tuple[int, int], str],
          unanswered: set[tuple[int, int]]) -> Checks:
    """Compare the database with what the clients were told.

    ``believed[(volunteer, mission)]`` is the last answer a volunteer saw on that
    mission ("accepted" or "withdrawn"), ``unanswered`` the pairs whose last tap
    got no answer (a worker or Redis went away meanwhile): those may have been
    recorded or not, but never twice.
    """
    from heurecivique_app.adapters.db import make_engine

    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT mission_id, volunteer_id, status FROM participation")).all()
        status_of = {(v, m): s for m, v, s in rows}
        # One row per (mission, volunteer) is a unique constraint; counted anyway.
        double_booked = conn.execute(text(
            "SELECT count(*) FROM (SELECT mission_id, volunteer_id FROM participation "
            "GROUP BY mission_id, volunteer_id HAVING count(*) > 1) d")).scalar_one()
        overfilled = conn.execute(text(
            "SELECT count(*) FROM mission m WHERE m.capacity < (SELECT count(*) FROM "
            "participation p WHERE p.mission_id = m.id AND p.status = 'accepted')"
        )).scalar_one()
        mismatches = conn.execute(text(
            "SELECT count(*) FROM mission m WHERE m.accepted_count <> (SELECT count(*) "
            "FROM participation p WHERE p.mission_id = m.id AND p.status = 'accepted')"
        )).scalar_one()
        duplicate_hours = conn.execute(text(
            "SELECT count(*) FROM (SELECT volunteer_id, mission_id FROM hour_entry "
            "GROUP BY volunteer_id, mission_id HAVING count(*) > 1) d")).scalar_one()
    engine.dispose()
    lost = lost_withdrawals = 0
    mismatched = []
    for pair, answer in believed.items():
        held = status_of.get(pair) == "accepted"
        if pair in unanswered or held == (answer == "accepted"):
            continue
        mismatched.append((*pair, status_of.get(pair)))
        if held:
            lost_withdrawals += 1
        else:
            lost += 1
    recorded = sum(1 for pair in unanswered if status_of.get(pair) == "accepted")
    return Checks(lost, lost_withdrawals, double_booked, overfilled, duplicate_hours, mismatches,
                  len(unanswered), recorded, mismatched)
