"""Test factories: build the object graph with sensible defaults.

département → commune → neighbourhood → people (volunteer, referent) → beneficiary → mission.
Each factory creates the parents it is not given, adds the row to the session
and flushes, so ids are available at once. Nothing here commits.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TypeVar

from sqlmodel import Session

from heurecivique_app.adapters.geocoding import GazetteerGeocoder
from heurecivique_app.adapters.passwords import hash_password
from heurecivique_app.domain.enums import (
    Category,
    Channel,
    MissionKind,
    MissionStatus,
    Role,
    VolunteerStatus,
)
from heurecivique_app.domain.models import (
    Beneficiary,
    Commune,
    Departement,
    Mission,
    Neighbourhood,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services.actor import Actor

PASSWORD = "correct horse battery staple"
# What the composition root hands the services that geocode: the offline gazetteer
# (no network in tests) and a salt of the tests' own.
GEOCODER = GazetteerGeocoder()
GEO = {"geocoder": GEOCODER, "geo_salt": "heurecivique-test-salt"}
T = TypeVar("T")
_seq = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    """One argon2 hash shared by every test user (hashing is deliberately slow)."""
    return hash_password(PASSWORD)


def _n() -> int:
    return next(_seq)


def _save(session: Session, row: T) -> T:
    session.add(row)
    session.flush()
    return row


def departement(session: Session, **kw) -> Departement:
    n = _n()
    kw.setdefault("code", f"{n % 1000:03d}")
    kw.setdefault("name", f"Département {n}")
    return _save(session, Departement(**kw))


def commune(session: Session, *, departement_: Departement | None = None, **kw) -> Commune:
    n = _n()
    dep = departement_ or departement(session)
    kw.setdefault("insee_code", f"{n % 100000:05d}")
    kw.setdefault("name", f"Commune {n}")
    kw.setdefault("slug", f"commune-{n}")
    return _save(session, Commune(departement_id=dep.id, **kw))


def neighbourhood(session: Session, *, commune_: Commune | None = None, **kw) -> Neighbourhood:
    n = _n()
    town = commune_ or commune(session)
    kw.setdefault("slug", f"quartier-{n}")
    kw.setdefault("name", f"Quartier {n}")
    kw.setdefault("lat", 48.1239)
    kw.setdefault("lon", -1.2089)
    return _save(session, Neighbourhood(commune_id=town.id, **kw))


def user(
    session: Session,
    *,
    neighbourhood_: Neighbourhood | None = None,
    commune_: Commune | None = None,
    role: Role = Role.VOLUNTEER,
    **kw,
) -> User:
    n = _n()
    if commune_ is None:
        commune_ = (
            session.get(Commune, neighbourhood_.commune_id) if neighbourhood_
            else commune(session)
        )
    kw.setdefault("email", f"user{n}@example.org")
    kw.setdefault("display_name", f"Personne {n}")
    kw.setdefault("password_hash", password_hash())
    return _save(session, User(
        commune_id=commune_.id,
        neighbourhood_id=neighbourhood_.id if neighbourhood_ else None,
        role=role,
        **kw,
    ))


def volunteer(
    session: Session,
    *,
    neighbourhood_: Neighbourhood | None = None,
    status: VolunteerStatus = VolunteerStatus.ACTIVE,
    **kw,
) -> User:
    """A volunteer with a profile; ACTIVE (met by a referent, charter signed) by default."""
    hood = neighbourhood_ or neighbourhood(session)
    person = user(session, neighbourhood_=hood, role=Role.VOLUNTEER, **kw)
    now = utcnow()
    _save(session, VolunteerProfile(
        user_id=person.id,
        status=status,
        skills=["shopping", "visit"],
        availability={"sat": ["morning"]},
        charter_version="2024-01",
        charter_accepted_at=now,
        validated_at=now if status == VolunteerStatus.ACTIVE else None,
    ))
    return person


def referent(session: Session, *, commune_: Commune | None = None, **kw) -> User:
    return user(session, commune_=commune_ or commune(session), role=Role.REFERENT, **kw)


def beneficiary(
    session: Session, *, neighbourhood_: Neighbourhood | None = None, **kw
) -> Beneficiary:
    n = _n()
    hood = neighbourhood_ or neighbourhood(session)
    kw.setdefault("full_name", f"Mme Bénéficiaire {n}")
    kw.setdefault("phone", "+33299750000")
    kw.setdefault("address", f"{n} rue de la Poterie, 35500 Vitré")
    kw.setdefault("access_notes", "Sonner deux fois")
    kw.setdefault("consent_at", utcnow())
    return _save(session, Beneficiary(
        commune_id=hood.commune_id, neighbourhood_id=hood.id, **kw
    ))


def mission(
    session: Session,
    *,
    neighbourhood_: Neighbourhood | None = None,
    beneficiary_: Beneficiary | None = None,
    kind: MissionKind = MissionKind.INDIVIDUAL,
    status: MissionStatus = MissionStatus.OPEN,
    capacity: int = 1,
    starts_at: datetime | None = None,
    **kw,
) -> Mission:
    """An open individual mission for one volunteer, two days from now, by default."""
    n = _n()
    hood = neighbourhood_ or (
        session.get(Neighbourhood, beneficiary_.neighbourhood_id) if beneficiary_
        else neighbourhood(session)
    )
    if beneficiary_ is None and kind == MissionKind.INDIVIDUAL:
        beneficiary_ = beneficiary(session, neighbourhood_=hood)
    kw.setdefault("category", Category.SHOPPING if kind == MissionKind.INDIVIDUAL
                  else Category.COLLECTIVE_EVENT)
    kw.setdefault("title", f"Mission {n}")
    kw.setdefault("channel", Channel.PHONE)
    kw.setdefault("exact_address", beneficiary_.address if beneficiary_ else "Place du marché")
    return _save(session, Mission(
        commune_id=hood.commune_id,
        neighbourhood_id=hood.id,
        beneficiary_id=beneficiary_.id if beneficiary_ else None,
        kind=kind,
        status=status,
        capacity=capacity,
        approx_lat=hood.lat,
        approx_lon=hood.lon,
        starts_at=starts_at or utcnow() + timedelta(days=2),
        **kw,
    ))


def actor(person: User) -> Actor:
    return Actor.from_user(person)


@dataclass
class World:
    """One commune with a neighbourhood, a referent, an active volunteer and an open need."""

    departement: Departement
    commune: Commune
    neighbourhood: Neighbourhood
    referent: User
    volunteer: User
    beneficiary: Beneficiary
    mission: Mission

    @property
    def referent_actor(self) -> Actor:
        return actor(self.referent)

    @property
    def volunteer_actor(self) -> Actor:
        return actor(self.volunteer)


def world(session: Session, **mission_kw) -> World:
    """Build the whole default graph; ``mission_kw`` tunes the mission."""
    dep = departement(session)
    town = commune(session, departement_=dep)
    hood = neighbourhood(session, commune_=town)
    ref = referent(session, commune_=town)
    vol = volunteer(session, neighbourhood_=hood)
    person = beneficiary(session, neighbourhood_=hood)
    need = mission(session, neighbourhood_=hood, beneficiary_=person,
                   created_by_id=ref.id, **mission_kw)
    return World(dep, town, hood, ref, vol, person, need)
