"""The tables. Created only by alembic migrations (see alembic/versions)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Connection, Index, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapper
from sqlmodel import Field, SQLModel

from heurecivique_app.domain.availability import skills_key, slots_key
from heurecivique_app.domain.enums import (
    Channel,
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    Role,
    VolunteerStatus,
)
from heurecivique_app.domain.geo import APPROX_RADIUS_M, geo_cell
from heurecivique_app.domain.types import UTCDateTime, utcnow


def _utc_column(nullable: bool = False, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Departement(SQLModel, table=True):
    """A French département: coordinates several communes."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=3, unique=True)
    name: str = Field(max_length=120)
    # The département's public site (/d/<code>): who a mairie writes to, and how it joins.
    contact_email: str = Field(default="", max_length=254, sa_column_kwargs={"server_default": ""})
    join_text: str = Field(default="", max_length=2000, sa_column_kwargs={"server_default": ""})


class Commune(SQLModel, table=True):
    """A commune running the scheme: its public face and its referents' console."""

    id: int | None = Field(default=None, primary_key=True)
    departement_id: int = Field(foreign_key="departement.id", index=True)
    insee_code: str = Field(max_length=5, unique=True)
    name: str = Field(max_length=120)
    slug: str = Field(max_length=120, unique=True)
    theme_color: str = Field(default="#1d4ed8", max_length=9)
    # The town hall's contacts on the public site and the flyers (how to ask for help).
    contact_phone: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})
    contact_email: str = Field(default="", max_length=254, sa_column_kwargs={"server_default": ""})
    town_hall_address: str = Field(default="", max_length=255,
                                   sa_column_kwargs={"server_default": ""})
    # The public site's own words (services/onboarding.py), shown above the scheme's.
    public_text: str = Field(default="", max_length=2000, sa_column_kwargs={"server_default": ""})
    # A stored photo's name (adapters/photos.py re-encodes it), served at /api/c/<slug>/logo.
    logo_name: str | None = Field(default=None, max_length=64)


class Neighbourhood(SQLModel, table=True):
    """A quarter of a commune: one board, a centre and a radius, and its contour if drawn.

    ``contour`` is the GeoJSON text of its polygon (domain/contours.py), plain text
    on SQLite and PostgreSQL alike; the centre is then a point inside it and the
    radius that of a circle holding it.
    """

    __table_args__ = (UniqueConstraint("commune_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    slug: str = Field(max_length=80)
    name: str = Field(max_length=120)
    lat: float
    lon: float
    radius_m: int = Field(default=600)
    contour: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class User(SQLModel, table=True):
    """Anyone who logs in: volunteer, relay, referent or administrator."""

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    display_name: str = Field(max_length=120)
    phone: str | None = Field(default=None, max_length=32)
    role: str = Field(default=Role.VOLUNTEER, max_length=24)
    neighbourhood_id: int | None = Field(default=None, foreign_key="neighbourhood.id")
    locale: str = Field(default="fr", max_length=5)
    is_active: bool = Field(default=True)
    # False from a self sign-up until its e-mail link is followed (services/signup.py);
    # accounts created by the town hall or the demo need no confirmation.
    email_confirmed: bool = Field(default=True)
    # Asked when a resident is made a relay (minors: domain.privacy, services.relays).
    birth_date: date | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class EmailConfirmation(SQLModel, table=True):
    """A sign-up's single-use e-mail link. Only the SHA-256 of its token is stored."""

    __tablename__ = "email_confirmation"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column())
    used_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class PasswordReset(SQLModel, table=True):
    """A "forgotten password" link: single use, 30 minutes. Only its token's SHA-256 is stored."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column())
    used_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class EmailChange(SQLModel, table=True):
    """A signed-in user's request to change their e-mail address, confirmed from the new one.

    The token is written (its SHA-256 only) by the job that e-mails the link to
    the new address; the link is single use and lasts 24 hours from then.
    """

    __tablename__ = "email_change"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    new_email: str = Field(max_length=254)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    expires_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    used_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class StaffInvitation(SQLModel, table=True):
    """An invitation to join a commune's staff, e-mailed by one of its administrators.

    The token is written (its SHA-256 only) by the job that sends the e-mail, which
    also starts the 72 hours; following the link creates the account.
    """

    __tablename__ = "staff_invitation"

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    email: str = Field(max_length=254)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=24)
    invited_by: int = Field(foreign_key="user.id")
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    expires_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    used_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    cancelled_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class UserSession(SQLModel, table=True):
    """A login. Only the SHA-256 of the cookie token is stored."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    expires_at: datetime = Field(sa_column=_utc_column())
    revoked_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    # The commune a coordinator chose to work on in this login (services.actor.choose_commune;
    # checked against their reach on every read, hence no foreign key: see migration 0019).
    commune_id: int | None = Field(default=None)


class LoginThrottle(SQLModel, table=True):
    """Failed logins of one key, shared by every worker (services/login_throttle.py).

    ``key`` is ``email:`` or ``address:`` followed by the SHA-256 of the value:
    unknown e-mails are throttled exactly like real ones, without storing them.
    """

    __tablename__ = "login_throttle"

    key: str = Field(max_length=80, primary_key=True)
    failures: int = Field(default=0)
    locks: int = Field(default=0)
    last_failure_at: datetime | None = Field(default=None,
                                             sa_column=_utc_column(nullable=True))
    # No try is checked before this instant (a growing delay, or a lock).
    blocked_until: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    locked: bool = Field(default=False)


class VolunteerProfile(SQLModel, table=True):
    """What a volunteer gives: skills, availability, reach, status, home point (private)."""

    __tablename__ = "volunteer_profile"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    status: str = Field(default=VolunteerStatus.PENDING, max_length=16)
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # {"mon": ["morning", "evening"], ...}
    availability: dict[str, list[str]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    # Plain-text copies of skills and availability ("shopping visit", "sat:morning
    # mon:evening"), kept in step by the mapper event below: matching reads ten
    # thousand of them per ranking, and decoding JSON would cost most of its time.
    skills_key: str = Field(default="", max_length=400, sa_column_kwargs={"server_default": ""})
    slots_key: str = Field(default="", max_length=400, sa_column_kwargs={"server_default": ""})
    max_distance_km: float = Field(default=2.0)
    # Also offers to help in the other communes of the département: their referents see
    # the volunteer in their pool and in matching (services.pool, services.shortlist).
    departement_pool: bool = Field(default=False)
    charter_version: str | None = Field(default=None, max_length=20)
    charter_accepted_at: datetime | None = Field(
        default=None, sa_column=_utc_column(nullable=True)
    )
    validated_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    validated_by_id: int | None = Field(default=None, foreign_key="user.id")
    # The referent's notes from the interview (staff only).
    validation_note: str = Field(default="", max_length=1000,
                                 sa_column_kwargs={"server_default": ""})
    # Skills in the volunteer's own words, besides the catalogue.
    skills_note: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    # Private: where the volunteer starts from (geocoded address), for distances only.
    # Never sent to a browser; without it the neighbourhood's centre stands in.
    home_address: str = Field(default="", max_length=255, sa_column_kwargs={"server_default": ""})
    home_lat: float | None = Field(default=None)
    home_lon: float | None = Field(default=None)
    # The civil-liability rule the volunteer acknowledged at sign-up (domain.insurance).
    insurance_version: str = Field(default="", max_length=20,
                                   sa_column_kwargs={"server_default": ""})
    insurance_accepted_at: datetime | None = Field(
        default=None, sa_column=_utc_column(nullable=True))


class Beneficiary(SQLModel, table=True):
    """A fragile resident, usually without an account. Minimal, private data."""

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    neighbourhood_id: int = Field(foreign_key="neighbourhood.id")
    full_name: str = Field(max_length=120)
    phone: str | None = Field(default=None, max_length=32)
    address: str = Field(max_length=255)
    access_notes: str = Field(default="", max_length=500)
    consent_at: datetime = Field(sa_column=_utc_column())
    # The information notice read before storing the details (domain.privacy), and who read it.
    notice_version: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    # A user's id and a beneficiary's id, without foreign keys (see migration 0011).
    consent_by_id: int | None = Field(default=None)
    # The referents' notes on the person (staff only).
    notes: str = Field(default="", max_length=2000, sa_column_kwargs={"server_default": ""})
    # A duplicate record merged into another: its history moved there, it stays as a trace.
    merged_into_id: int | None = Field(default=None)
    # Retention (services.retention): contact erased; name reduced to initials.
    contact_erased_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    pseudonymised_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    updated_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class GeoSource:
    """Where a mission's private point comes from (stored as plain strings)."""

    ADDRESS = "address"  # geocoded from the address
    MAP = "map"  # placed by the referent on the map
    NEIGHBOURHOOD = "neighbourhood"  # unknown: the neighbourhood's centre stands in


class Mission(SQLModel, table=True):
    """A need or a collective action; its exact point and address never leave the server."""

    __table_args__ = (
        Index("ix_mission_board", "neighbourhood_id", "status"),
        # The nearby query: equality on status, a few latitude bands, a longitude
        # range; latitude, commune and id are read from the index itself (covering).
        Index("ix_mission_nearby", "status", "geo_cell", "approx_lon", "approx_lat",
              "commune_id", "id"),
        # The console's latest missions of a commune (one read per change, every console).
        Index("ix_mission_commune_updated", "commune_id", "updated_at"),
        # A commune's missions created in a month: the evaluation summaries' bucket,
        # recomputed at each change (services/stats_upkeep.py).
        Index("ix_mission_commune_created", "commune_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    neighbourhood_id: int = Field(foreign_key="neighbourhood.id")
    beneficiary_id: int | None = Field(default=None, foreign_key="beneficiary.id")
    kind: str = Field(default=MissionKind.INDIVIDUAL, max_length=16)
    category: str = Field(max_length=32)
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    channel: str = Field(default=Channel.PHONE, max_length=16)
    capacity: int = Field(default=1)
    accepted_count: int = Field(default=0)
    status: str = Field(default=MissionStatus.DRAFT, max_length=16, index=True)
    # Public: the centre and radius of the area drawn on the map, never the address
    # itself (see domain.geo.approximate_point). geo_cell follows approx_lat.
    approx_lat: float
    approx_lon: float
    approx_radius_m: int = Field(default=APPROX_RADIUS_M)
    geo_cell: int = Field(default=0)
    # Private: only for accepted volunteers and staff (the point never leaves the server).
    exact_address: str = Field(default="", max_length=255)
    exact_lat: float | None = Field(default=None)
    exact_lon: float | None = Field(default=None)
    geo_source: str = Field(default=GeoSource.NEIGHBOURHOOD, max_length=16)
    starts_at: datetime = Field(sa_column=_utc_column(index=True))
    # Every date the beneficiary offered, as aware UTC ISO strings; ``starts_at`` is
    # the earliest. Matching checks a volunteer's availability against any of them.
    preferred_starts: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    duration_minutes: int = Field(default=60)
    # Collective actions: the skills wanted (the volunteers' skill vocabulary).
    skills_wanted: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))
    # The civil-liability rule's text version acknowledged at intake (domain.insurance).
    insurance_version: str = Field(default="", max_length=20,
                                   sa_column_kwargs={"server_default": ""})
    # When the retention purge erased its exact address and notes (services.retention).
    purged_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class Participation(SQLModel, table=True):
    """One volunteer's part in one mission, and their own account of it afterwards."""

    __table_args__ = (UniqueConstraint("mission_id", "volunteer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    mission_id: int = Field(foreign_key="mission.id", index=True)
    volunteer_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=ParticipationStatus.ACCEPTED, max_length=16)
    reason: str = Field(default="", max_length=500)
    # The volunteer's own account after the mission (volunteer app).
    confirmed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    reported_minutes: int | None = Field(default=None)
    feedback: str = Field(default="", max_length=1000, sa_column_kwargs={"server_default": ""})
    # A problem the volunteer reports to the referent (empty: none).
    problem: str = Field(default="", max_length=1000, sa_column_kwargs={"server_default": ""})
    # Checked by the referent on the day of a collective action (None: not yet checked).
    attended: bool | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class HourEntry(SQLModel, table=True):
    """The ledger of time given. One entry per volunteer and mission."""

    __tablename__ = "hour_entry"
    __table_args__ = (UniqueConstraint("volunteer_id", "mission_id"),)

    id: int | None = Field(default=None, primary_key=True)
    volunteer_id: int = Field(foreign_key="user.id", index=True)
    # Indexed: the evaluation figures read a period's missions' hours (bench/stats.py).
    mission_id: int = Field(foreign_key="mission.id", index=True)
    minutes: int
    # The local calendar month the time counts for, "YYYY-MM".
    month: str = Field(max_length=7, index=True)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class AuditEntry(SQLModel, table=True):
    """Who did what, when, to which entity: the commune's audit log."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int | None = Field(default=None, foreign_key="commune.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


@event.listens_for(Mission, "before_insert")
@event.listens_for(Mission, "before_update")
def _keep_geo_cell(_mapper: Mapper, _connection: Connection, mission: Mission) -> None:
    """The index band always matches the public point, whoever wrote it."""
    mission.geo_cell = geo_cell(mission.approx_lat)


@event.listens_for(VolunteerProfile, "before_insert")
@event.listens_for(VolunteerProfile, "before_update")
def _keep_search_keys(_mapper: Mapper, _connection: Connection,
                      profile: VolunteerProfile) -> None:
    """The plain-text keys always match the JSON, whoever wrote it through the ORM."""
    profile.skills_key = skills_key(profile.skills or [])
    profile.slots_key = slots_key(profile.availability or {})


# The relays' tables live in their own module; importing it registers them here too.
from heurecivique_app.domain.alerts import AlertPending, AlertSetting  # noqa: E402, F401
from heurecivique_app.domain.community import (  # noqa: E402, F401
    RelayNeighbourhood,
    RelayReport,
    SuccessStory,
)
from heurecivique_app.domain.followup import MissionFollowUp  # noqa: E402, F401
from heurecivique_app.domain.inbox import InboxItem  # noqa: E402, F401
from heurecivique_app.domain.notifications import Job, NotificationOptOut  # noqa: E402, F401
from heurecivique_app.domain.privacy import (  # noqa: E402, F401
    CommuneRetention,
    ErasureRequest,
    ParentalConsent,
    PurgeRun,
)
from heurecivique_app.domain.push import PushSubscription, VapidKey  # noqa: E402, F401
from heurecivique_app.domain.stats_summary import (  # noqa: E402, F401
    StatsBucket,
    StatsGiver,
    StatsMinutes,
    StatsMissionFact,
    StatsMissionMonth,
    StatsPeople,
    StatsSummaryState,
)
