"""Load the demo data sets (``demo.data``: Vitré, ``demo.fougeres``) into a database.

Idempotent: every row is looked up by a natural key first (département code,
INSEE code, neighbourhood slug, e-mail, beneficiary name and phone, mission
title and beneficiary), so loading twice creates nothing new. A mission that
already exists is left exactly as it is, children included, because people
trying the demo may have accepted or completed it since.

Dates are relative to ``now``: open missions fall in the coming days, done and
closed ones in the past weeks, and every row a status implies is written with
it (accepted participations, hour-ledger entries, audit entries in the order
things happened).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from heurecivique_app.adapters.geocoding import GazetteerGeocoder
from heurecivique_app.adapters.passwords import hash_password
from heurecivique_app.demo import fougeres
from heurecivique_app.demo.data import DEMO_ACCOUNTS as VITRE_ACCOUNTS
from heurecivique_app.demo.data import (
    DEMO_PASSWORD,
    LAST_CHRISTMAS,
    NEXT_CHRISTMAS,
    NOT_AVAILABLE,
    VITRE,
    CommuneData,
    MissionSpec,
    Person,
)
from heurecivique_app.domain.community import (
    RelayNeighbourhood,
    RelayReport,
    SuccessStory,
)
from heurecivique_app.domain.enums import VOLUNTEER_ROLES, MissionKind, ParticipationStatus
from heurecivique_app.domain.enums import MissionStatus as St
from heurecivique_app.domain.enums import VolunteerStatus as Vs
from heurecivique_app.domain.geo import Point
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.models import (
    AuditEntry,
    Beneficiary,
    Commune,
    Departement,
    GeoSource,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services.geography import place_mission
from heurecivique_app.settings import get_settings

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DemoSummary", "load_demo_data"]

# In this order: Vitré's rows keep the ids the browser tests know.
COMMUNES: tuple[CommuneData, ...] = (VITRE, fougeres.FOUGERES)
DEMO_ACCOUNTS = VITRE_ACCOUNTS + fougeres.ACCOUNTS


@dataclass
class DemoSummary:
    """What a load did: rows created now, rows in the database, and the demo accounts."""

    created: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    missions_by_status: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())




def _check_spec(spec: MissionSpec, people: dict[str, Person]) -> None:
    """Refuse a data table whose mission contradicts its status (a typo, say)."""
    taken = len(spec.accepted)
    ok = {
        St.DRAFT: taken == 0, St.CANCELLED: taken == 0, St.EXPIRED: taken == 0,
        St.OPEN: taken < spec.capacity, St.FULL: taken == spec.capacity,
        St.DONE: 0 < taken <= spec.capacity, St.CLOSED: 0 < taken <= spec.capacity,
    }[spec.status]
    if spec.waitlisted and (spec.status != St.FULL or spec.beneficiary is not None):
        raise ValueError(f"only a full collective action has a waiting list: {spec.title}")
    if not ok or (spec.beneficiary is None) != bool(spec.meeting_point):
        raise ValueError(f"inconsistent demo mission: {spec.title}")
    if spec.beneficiary is not None:  # individual help at home needs a met volunteer
        for login in spec.accepted:
            if people[login].status != Vs.ACTIVE:
                raise ValueError(f"{login} is not active but helps at home: {spec.title}")


class _Loader:
    """One load: keeps ids by natural key and counts what it creates."""

    def __init__(self, session: Session, *, timezone: str, now: datetime) -> None:
        self.session = session
        self.tz = ZoneInfo(timezone)
        self.timezone = timezone
        self.now = now
        self.created: dict[str, int] = {}
        self.audit: list[AuditEntry] = []
        self._password_hash: str | None = None
        self.gazetteer = GazetteerGeocoder()

    def password_hash(self) -> str:
        # The demo password is published, so a salt per account protects nothing;
        # hashing once keeps a fresh seed under a second instead of ~4 s of argon2.
        if self._password_hash is None:
            self._password_hash = hash_password(DEMO_PASSWORD)
        return self._password_hash

    def _first(self, query):
        return self.session.exec(query).first()

    def _add(self, kind: str, row):
        self.session.add(row)
        self.created[kind] = self.created.get(kind, 0) + 1
        return row

    # --- places -------------------------------------------------------------------------

    def commune(self, data: CommuneData) -> Commune:
        dep = self._first(select(Departement).where(Departement.code == "35"))
        if dep is None:
            dep = self._add("departements", Departement(code="35", name="Ille-et-Vilaine"))
            self.session.flush()
        commune = self._first(select(Commune).where(Commune.insee_code == data.insee))
        if commune is None:
            commune = self._add("communes", Commune(
                departement_id=dep.id, insee_code=data.insee, name=data.name, slug=data.slug,
                theme_color=data.colour,
            ))
            self.session.flush()
        if not commune.contact_phone and not commune.contact_email:
            commune.contact_phone, commune.contact_email = data.contact
            self.session.add(commune)
        return commune

    def neighbourhoods(self, commune: Commune, data: CommuneData) -> dict[str, Neighbourhood]:
        hoods: dict[str, Neighbourhood] = {}
        for slug, name, lat, lon, radius in data.neighbourhoods:
            hood = self._first(select(Neighbourhood).where(
                Neighbourhood.commune_id == commune.id, Neighbourhood.slug == slug))
            if hood is None:
                hood = self._add("neighbourhoods", Neighbourhood(
                    commune_id=commune.id, slug=slug, name=name, lat=lat, lon=lon,
                    radius_m=radius))
            hoods[slug] = hood
        self.session.flush()
        return hoods

    # --- people -------------------------------------------------------------------------

    def users(self, commune: Commune, hoods: dict[str, Neighbourhood],
              data: CommuneData) -> dict[str, User]:
        users: dict[str, User] = {}
        joined = self.now - timedelta(days=400)
        for index, person in enumerate(data.people):
            user = self._first(select(User).where(User.email == person.email))
            if user is None:
                user = self._add("users", User(
                    commune_id=commune.id, email=person.email,
                    password_hash=self.password_hash(), display_name=person.name,
                    role=person.role,
                    neighbourhood_id=hoods[person.hood].id if person.hood else None,
                    created_at=joined + timedelta(days=9 * index),
                ))
                self.session.flush()
            users[person.login] = user
            if person.role in VOLUNTEER_ROLES:
                self._profile(person, user)
        self.session.flush()
        return users

    def _profile(self, person: Person, user: User) -> None:
        if self.session.get(VolunteerProfile, user.id) is not None:
            return
        met = person.status != Vs.PENDING  # the referent's interview comes with the charter
        signed = user.created_at + timedelta(days=6)
        self._add("volunteer_profiles", VolunteerProfile(
            user_id=user.id, status=person.status, skills=[s.value for s in person.skills],
            availability=person.availability(), max_distance_km=person.max_km,
            departement_pool=person.pool,
            charter_version=get_settings().charter_version if met else None,
            charter_accepted_at=signed if met else None, validated_at=signed if met else None,
        ))

    def beneficiaries(
        self, commune: Commune, hoods: dict[str, Neighbourhood], referent: User,
        data: CommuneData,
    ) -> dict[str, Beneficiary]:
        found: dict[str, Beneficiary] = {}
        for index, (name, slug, phone, address, notes) in enumerate(data.beneficiaries):
            person = self._first(select(Beneficiary).where(
                Beneficiary.commune_id == commune.id, Beneficiary.full_name == name,
                Beneficiary.phone == phone))
            if person is None:
                since = self.now - timedelta(days=120 - 7 * index)
                person = self._add("beneficiaries", Beneficiary(
                    commune_id=commune.id, neighbourhood_id=hoods[slug].id, full_name=name,
                    phone=phone, address=address, access_notes=notes, consent_at=since,
                    created_by_id=referent.id, created_at=since))
            found[name] = person
        self.session.flush()
        return found

    # --- missions -----------------------------------------------------------------------

    def starts_at(self, spec: MissionSpec) -> datetime:
        today = self.now.astimezone(self.tz).date()
        if spec.when == NEXT_CHRISTMAS:
            day = _first_saturday_of_december(today.year)
            if day < today + timedelta(days=3):
                day = _first_saturday_of_december(today.year + 1)
        elif spec.when == LAST_CHRISTMAS:
            day = _first_saturday_of_december(today.year - 1)
        else:
            day = today + timedelta(days=int(spec.when))
        local = datetime.combine(day, time.fromisoformat(spec.at), tzinfo=self.tz)
        return local.astimezone(UTC)

    def missions(
        self,
        commune: Commune,
        hoods: dict[str, Neighbourhood],
        users: dict[str, User],
        beneficiaries: dict[str, Beneficiary],
        data: CommuneData,
    ) -> None:
        people = {p.login: p for p in data.people}
        referent = users[data.referent.login]
        for spec in data.missions:
            _check_spec(spec, people)
            person = beneficiaries[spec.beneficiary] if spec.beneficiary else None
            query = select(Mission).where(Mission.commune_id == commune.id,
                                          Mission.title == spec.title)
            query = query.where(
                col(Mission.beneficiary_id) == person.id if person
                else col(Mission.beneficiary_id).is_(None))
            if self._first(query) is None:
                self._mission(spec, commune, hoods[spec.hood], person, referent, users)

    def _mission(
        self,
        spec: MissionSpec,
        commune: Commune,
        hood: Neighbourhood,
        person: Beneficiary | None,
        referent: User,
        users: dict[str, User],
    ) -> None:
        """Write one mission with the participations, hours and log its status implies."""
        starts = self.starts_at(spec)
        end = starts + timedelta(minutes=spec.minutes)
        created = min(starts - timedelta(days=6), self.now - timedelta(hours=3))
        mission = self._add("missions", Mission(
            commune_id=commune.id, neighbourhood_id=hood.id,
            beneficiary_id=person.id if person else None,
            kind=MissionKind.INDIVIDUAL if person else MissionKind.COLLECTIVE,
            category=spec.category, title=spec.title, description=spec.description,
            channel=spec.channel, capacity=spec.capacity, accepted_count=0, status=spec.status,
            approx_lat=hood.lat, approx_lon=hood.lon,
            exact_address=person.address if person else spec.meeting_point,
            starts_at=starts, duration_minutes=spec.minutes, created_by_id=referent.id,
            created_at=created, updated_at=created,
        ))
        self.session.flush()
        # The offline gazetteer, whatever the settings say: the demo never needs a network.
        hit = self.gazetteer.locate(mission.exact_address)
        place_mission(mission, hood=hood, exact=Point(hit.lat, hit.lon) if hit else None,
                      source=GeoSource.ADDRESS, salt=get_settings().geo_salt)
        self._log(created, referent, "need.created", mission, channel=spec.channel,
                  published=spec.status != St.DRAFT)
        last = created
        # Volunteers answer between publication and the day itself.
        answered = min(created + timedelta(hours=2), starts - timedelta(hours=2))
        answers = spec.accepted + spec.withdrawn + spec.declined + spec.waitlisted
        for step, login in enumerate(answers):
            at = answered + timedelta(minutes=7 * step)
            status = (ParticipationStatus.ACCEPTED if login in spec.accepted
                      else ParticipationStatus.CANCELLED if login in spec.withdrawn
                      else ParticipationStatus.WAITLISTED if login in spec.waitlisted
                      else ParticipationStatus.DECLINED)
            kept = status in (ParticipationStatus.ACCEPTED, ParticipationStatus.WAITLISTED)
            self._add("participations", Participation(
                mission_id=mission.id, volunteer_id=users[login].id, status=status,
                reason="" if kept else NOT_AVAILABLE, created_at=at, updated_at=at))
            action = {ParticipationStatus.ACCEPTED: "mission.accepted",
                      ParticipationStatus.WAITLISTED: "mission.waitlisted"}.get(
                status, "mission.declined")
            self._log(at, users[login], action, mission)
            last = at
        mission.accepted_count = len(spec.accepted)

        if spec.status in (St.DONE, St.CLOSED):
            marker = users[spec.accepted[0]] if spec.status == St.DONE else referent
            for login in spec.accepted:
                self._add("hour_entries", HourEntry(
                    volunteer_id=users[login].id, mission_id=mission.id,
                    minutes=spec.minutes, month=month_key(starts, self.timezone),
                    recorded_by_id=marker.id, created_at=end + timedelta(hours=1)))
            last = end + timedelta(hours=1)
            self._log(last, marker, "mission.done", mission, minutes=spec.minutes)
            if spec.status == St.CLOSED:
                last = end + timedelta(days=2)
                self._log(last, referent, "mission.closed", mission)
        elif spec.status == St.CANCELLED:
            last = max(last, starts - timedelta(days=1))
            self._log(last, referent, "mission.cancelled", mission)
        elif spec.status == St.EXPIRED:
            last = end
        mission.updated_at = last
        self.session.add(mission)

    # --- relays and the public site ---------------------------------------------------------

    def relays(self, hoods: dict[str, Neighbourhood], users: dict[str, User],
               data: CommuneData) -> None:
        referent = users[data.referent.login]
        for login, slugs in data.relay_hoods.items():
            for slug in slugs:
                key = (users[login].id, hoods[slug].id)
                if self.session.get(RelayNeighbourhood, key) is None:
                    self._add("relay_neighbourhoods", RelayNeighbourhood(
                        user_id=key[0], neighbourhood_id=key[1], assigned_by_id=referent.id,
                        assigned_at=users[login].created_at + timedelta(days=7)))
        self.session.flush()

    def reports(self, commune: Commune, hoods: dict[str, Neighbourhood],
                users: dict[str, User], data: CommuneData) -> None:
        for spec in data.reports:
            relay = users[spec.relay]
            if self._first(select(RelayReport).where(RelayReport.relay_id == relay.id,
                                                     RelayReport.title == spec.title)):
                continue
            mission = None
            if spec.mission is not None:
                mission = self._first(select(Mission).where(
                    Mission.commune_id == commune.id, Mission.title == spec.mission))
            at = self.now - timedelta(days=spec.days_ago)
            lat, lon = spec.point if spec.point else (None, None)
            report = self._add("relay_reports", RelayReport(
                commune_id=commune.id, neighbourhood_id=hoods[spec.hood].id,
                relay_id=relay.id, kind=spec.kind, category=spec.category, title=spec.title,
                description=spec.description, status=spec.status, answer=spec.answer,
                lat=lat, lon=lon, mission_id=mission.id if mission else None,
                created_at=at, updated_at=at + timedelta(hours=20 if spec.status != "new"
                                                         else 0)))
            self.session.flush()
            self.audit.append(AuditEntry(
                commune_id=commune.id, actor_id=relay.id, action="report.created",
                entity="relay_report", entity_id=report.id,
                detail={"demo": True, "kind": spec.kind}, at=at))

    def stories(self, commune: Commune, referent: User, data: CommuneData) -> None:
        for title, text, days_ago in data.stories:
            if self._first(select(SuccessStory).where(SuccessStory.commune_id == commune.id,
                                                      SuccessStory.title == title)):
                continue
            self._add("success_stories", SuccessStory(
                commune_id=commune.id, title=title, text=text, created_by_id=referent.id,
                created_at=self.now - timedelta(days=days_ago)))
        self.session.flush()

    def _log(self, at: datetime, user: User, action: str, mission: Mission, **detail) -> None:
        self.audit.append(AuditEntry(
            commune_id=mission.commune_id, actor_id=user.id, action=action, entity="mission",
            entity_id=mission.id, detail={"demo": True, **detail}, at=at))

    def flush_audit(self) -> None:
        # Feeds read the log newest id first: insert in the order things happened.
        for entry in sorted(self.audit, key=lambda e: e.at):
            self._add("audit_entries", entry)
        self.audit.clear()
        self.session.flush()


def _first_saturday_of_december(year: int) -> date:
    first = date(year, 12, 1)
    return first + timedelta(days=(5 - first.weekday()) % 7)


def load_demo_data(
    session: Session, *, timezone: str = "Europe/Paris", now: datetime | None = None
) -> DemoSummary:
    """Load the demo data (Vitré, then Fougères) into ``session``; the caller commits.

    Args:
        session: an open session on a migrated database.
        timezone: the commune's time zone (local dates and hour-ledger months).
        now: the reference instant for relative dates (default: the current time).

    Returns:
        What was created by this call, the totals now in the database (Vitré's), and
        the demo accounts as (email, role, password).
    """
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime")
    loader = _Loader(session, timezone=timezone, now=now)
    # Vitré first, each commune whole: its rows keep the ids the browser tests know.
    vitre = None
    for data in COMMUNES:
        commune = loader.commune(data)
        vitre = vitre or commune
        hoods = loader.neighbourhoods(commune, data)
        users = loader.users(commune, hoods, data)
        referent = users[data.referent.login]
        beneficiaries = loader.beneficiaries(commune, hoods, referent, data)
        loader.missions(commune, hoods, users, beneficiaries, data)
        session.flush()
        loader.relays(hoods, users, data)
        loader.reports(commune, hoods, users, data)
        loader.stories(commune, referent, data)
        loader.flush_audit()
    assert vitre is not None and vitre.id is not None
    return DemoSummary(
        created=dict(sorted(loader.created.items())),
        totals=_totals(session, vitre.id),
        missions_by_status=_missions_by_status(session, vitre.id),
        accounts=list(DEMO_ACCOUNTS),
    )


def _count(session: Session, query) -> int:
    return int(session.exec(query).one())


def _totals(session: Session, commune_id: int) -> dict[str, int]:
    """Rows that belong to the commune, per kind."""
    mission_ids = select(Mission.id).where(Mission.commune_id == commune_id)
    return {
        "neighbourhoods": _count(session, select(func.count()).select_from(Neighbourhood)
                                 .where(Neighbourhood.commune_id == commune_id)),
        "users": _count(session, select(func.count()).select_from(User)
                        .where(User.commune_id == commune_id)),
        "volunteer_profiles": _count(session, select(func.count()).select_from(VolunteerProfile)
                                     .join(User, User.id == VolunteerProfile.user_id)
                                     .where(User.commune_id == commune_id)),
        "beneficiaries": _count(session, select(func.count()).select_from(Beneficiary)
                                .where(Beneficiary.commune_id == commune_id)),
        "missions": _count(session, select(func.count()).select_from(Mission)
                           .where(Mission.commune_id == commune_id)),
        "participations": _count(session, select(func.count()).select_from(Participation)
                                 .where(col(Participation.mission_id).in_(mission_ids))),
        "hour_entries": _count(session, select(func.count()).select_from(HourEntry)
                               .where(col(HourEntry.mission_id).in_(mission_ids))),
        "minutes_given": _count(session, select(func.coalesce(func.sum(HourEntry.minutes), 0))
                                .where(col(HourEntry.mission_id).in_(mission_ids))),
    }


def _missions_by_status(session: Session, commune_id: int) -> dict[str, int]:
    rows = session.exec(
        select(Mission.status, func.count()).where(Mission.commune_id == commune_id)
        .group_by(Mission.status)
    ).all()
    counts = dict(rows)
    return {status.value: int(counts.get(status.value, 0)) for status in St}
