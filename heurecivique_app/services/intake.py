"""Intake of a need on behalf of a beneficiary, checked against the scheme's rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from heurecivique_app.adapters.geocoding import Geocoder
from heurecivique_app.domain import events
from heurecivique_app.domain.duplicates import is_likely_duplicate
from heurecivique_app.domain.enums import Category, Channel, MissionKind, MissionStatus
from heurecivique_app.domain.errors import PossibleDuplicates, ValidationFailed
from heurecivique_app.domain.form_data import ticked
from heurecivique_app.domain.geo import Point
from heurecivique_app.domain.insurance import INSURANCE_VERSION
from heurecivique_app.domain.models import Beneficiary, GeoSource, Mission, Neighbourhood
from heurecivique_app.domain.privacy import NOTICE_VERSION
from heurecivique_app.domain.rules import (
    NAMED_IN_PUBLIC_TEXT,
    IntakeAnswers,
    check_intake,
    name_in_public_text,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    form_id,
    form_text,
    french_phone,
    local_datetime,
    one_of,
    optional_text,
    required_text,
    whole_number,
)
from heurecivique_app.services import alerts
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit
from heurecivique_app.services.geography import areas, neighbourhood_for_point, place_mission

MAX_OTHER_DATES = 2  # besides the first preferred date
NEW_BENEFICIARY = "new"


@dataclass(frozen=True)
class BeneficiaryMatch:
    """A known person who looks like the one being typed (shown to the commune's staff)."""

    id: int
    full_name: str
    phone: str
    address: str
    neighbourhood: str
    missions: int


@dataclass
class NeedForm:
    """Raw input of the intake form, as typed by the referent."""

    category: str = ""
    title: str = ""
    description: str = ""
    neighbourhood_id: str = ""
    channel: str = Channel.PHONE
    beneficiary_name: str = ""
    beneficiary_phone: str = ""
    address: str = ""
    access_notes: str = ""
    consent: bool = False
    preferred_date: str = ""
    preferred_time: str = ""
    duration_minutes: str = "60"
    # Further dates the person could do, (date, time) pairs as typed; empty ones are ignored.
    other_dates: tuple[tuple[str, str], ...] = ()
    # "" (check for a known person first), "new" (confirmed someone new) or a known
    # beneficiary's id picked by the referent after the duplicate warning.
    beneficiary_choice: str = ""
    answers: IntakeAnswers = field(
        default_factory=lambda: IntakeAnswers(
            replaces_professional=False, recurring=False, urgent=False,
            insurance_acknowledged=False,
        )
    )

    @classmethod
    def from_form(cls, data: Mapping[str, Any]) -> NeedForm:
        """Read a submitted HTML form: text fields as typed, ticked boxes as True."""

        def text(name: str, default: str = "") -> str:
            return form_text(data, name, default)

        return cls(
            category=text("category"), title=text("title"), description=text("description"),
            neighbourhood_id=text("neighbourhood_id"), channel=text("channel", Channel.PHONE),
            beneficiary_name=text("beneficiary_name"),
            beneficiary_phone=text("beneficiary_phone"), address=text("address"),
            access_notes=text("access_notes"), consent=ticked(data, "consent"),
            preferred_date=text("preferred_date"), preferred_time=text("preferred_time"),
            duration_minutes=text("duration_minutes"),
            other_dates=tuple(
                (text(f"preferred_date_{n}"), text(f"preferred_time_{n}"))
                for n in range(2, 2 + MAX_OTHER_DATES)
            ),
            beneficiary_choice=text("beneficiary_choice"),
            answers=IntakeAnswers(
                replaces_professional=ticked(data, "replaces_professional"),
                recurring=ticked(data, "recurring"), urgent=ticked(data, "urgent"),
                insurance_acknowledged=ticked(data, "insurance_acknowledged"),
            ),
        )


# One check per field, in a flat list: splitting it would scatter the form's rules.
def _clean(session: Session, actor: Actor, form: NeedForm, timezone: str) -> dict:  # noqa: C901
    """Validate every field; collect all errors at once so the form shows them together."""
    check = FormCheck()

    def neighbourhood() -> Neighbourhood | None:
        if not str(form.neighbourhood_id).strip():
            return None  # found from the address below, if it can be located
        hood_id = form_id(form.neighbourhood_id)
        hood = session.get(Neighbourhood, hood_id) if hood_id else None
        if hood is None or hood.commune_id != actor.commune_id:
            raise FieldError(N_("Choose a neighbourhood of your commune."))
        return hood

    def future(day: str, hour: str) -> datetime:
        moment = local_datetime(day, hour, timezone=timezone)
        if moment <= utcnow():
            raise FieldError(N_("The preferred date must be in the future."))
        return moment

    def other_starts() -> list[datetime]:
        return [future(day, hour) for day, hour in form.other_dates if str(day).strip()]

    def consent() -> bool:
        if not form.consent:
            raise FieldError(N_("The person's consent to store their details is required."))
        return True

    check.take("category", lambda: one_of(form.category, Category, N_("Choose a category.")))
    check.take("channel", lambda: one_of(form.channel, Channel,
                                         N_("Choose how the need reached you.")))
    check.take("title", lambda: required_text(form.title, max_length=120, kind=TextKind.LINE))
    check.take("description", lambda: optional_text(form.description, max_length=2000))
    check.take("neighbourhood_id", neighbourhood)
    check.take("beneficiary_name", lambda: required_text(form.beneficiary_name, max_length=120,
                                                          kind=TextKind.NAME))
    check.take("beneficiary_phone", lambda: french_phone(form.beneficiary_phone, required=True))
    check.take("address", lambda: required_text(form.address, max_length=255,
                                                 kind=TextKind.LINE))
    check.take("access_notes", lambda: optional_text(form.access_notes, max_length=500))
    check.take("consent", consent)
    check.take("starts_at", lambda: future(form.preferred_date, form.preferred_time))
    check.take("other_dates", other_starts)
    check.take("duration_minutes",
               lambda: whole_number(form.duration_minutes, low=15, high=480))
    for breach in check_intake(form.answers):
        check.errors[breach.field] = breach.message
    _keep_name_private(check)
    clean = check.result()
    every = sorted({clean["starts_at"], *clean.pop("other_dates")})
    clean["starts_at"] = every[0]
    clean["preferred_starts"] = [moment.astimezone(UTC).isoformat() for moment in every]
    return clean


def _keep_name_private(check: FormCheck) -> None:
    """Refuse a public title or description that names the beneficiary, saying which word."""
    full_name = check.clean.get("beneficiary_name")
    if not full_name:
        return
    for name in ("title", "description"):
        found = name_in_public_text(full_name, check.clean.get(name) or "")
        if found:
            check.errors[name] = NAMED_IN_PUBLIC_TEXT
            check.params[name] = {"name": found}


def _locate(session: Session, actor: Actor, clean: dict, geocoder: Geocoder) -> Point | None:
    """The address's point, or None (not found, or no network: the fallback applies).

    Also settles the neighbourhood when the referent left it empty.
    """
    commune_areas = areas(session, actor.commune_id)
    near = None
    if commune_areas:
        near = Point(sum(a.lat for a in commune_areas) / len(commune_areas),
                     sum(a.lon for a in commune_areas) / len(commune_areas))
    hit = geocoder.locate(clean["address"], near=near)
    point = Point(hit.lat, hit.lon) if hit else None
    if clean["neighbourhood_id"] is None:
        hood = (neighbourhood_for_point(session, commune_id=actor.commune_id, point=point)
                if point else None)
        if hood is None:
            raise ValidationFailed({"neighbourhood_id": N_(
                "The address could not be placed in a neighbourhood: choose one.")})
        clean["neighbourhood_id"] = hood
    return point


def validate_need(session: Session, actor: Actor, form: NeedForm, timezone: str) -> dict:
    """The clean values of an intake form, or ValidationFailed with every error at once."""
    return _clean(session, actor, form, timezone)


def likely_duplicates(
    session: Session, *, commune_id: int, name: str, phone: str | None, address: str,
) -> list[BeneficiaryMatch]:
    """Known people of the commune who are probably the one typed (see domain.duplicates).

    A commune has a few hundred beneficiaries at most: their four columns are read
    once and compared in Python, where names and addresses are normalised.
    """
    rows = session.exec(
        select(Beneficiary.id, Beneficiary.full_name, Beneficiary.phone, Beneficiary.address,
               Neighbourhood.name)
        .join(Neighbourhood, Neighbourhood.id == Beneficiary.neighbourhood_id)
        .where(Beneficiary.commune_id == commune_id)
        .order_by(Beneficiary.created_at.desc())
    ).all()
    hits = [row for row in rows if is_likely_duplicate(
        name=name, phone=phone, address=address,
        other_name=row[1], other_phone=row[2], other_address=row[3])]
    if not hits:
        return []
    counts = dict(session.exec(
        select(Mission.beneficiary_id, func.count())
        .where(col(Mission.beneficiary_id).in_([row[0] for row in hits]))
        .group_by(Mission.beneficiary_id)
    ).all())
    return [BeneficiaryMatch(id=row[0], full_name=row[1], phone=row[2] or "", address=row[3],
                             neighbourhood=row[4], missions=counts.get(row[0], 0))
            for row in hits]


def _chosen_beneficiary(session: Session, actor: Actor, clean: dict,
                        choice: str) -> Beneficiary | None:
    """The known person the referent picked, None for someone new.

    Raises:
        PossibleDuplicates: nothing chosen yet and the person looks already known.
        ValidationFailed: the picked id is not a beneficiary of the commune.
    """
    choice = choice.strip() if isinstance(choice, str) else ""
    if choice == NEW_BENEFICIARY:
        return None
    if not choice:
        matches = likely_duplicates(
            session, commune_id=actor.commune_id, name=clean["beneficiary_name"],
            phone=clean["beneficiary_phone"], address=clean["address"])
        if matches:
            raise PossibleDuplicates(matches)
        return None
    known_id = form_id(choice)
    known = session.get(Beneficiary, known_id) if known_id else None
    if known is None or known.commune_id != actor.commune_id:
        raise ValidationFailed({"beneficiary_choice": N_(
            "This person is not known in your commune.")})
    return known


def _exact_match(session: Session, actor: Actor, clean: dict) -> Beneficiary | None:
    """The beneficiary with the same name and phone in the commune (relays' reports)."""
    return session.exec(
        select(Beneficiary).where(
            Beneficiary.commune_id == actor.commune_id,
            Beneficiary.full_name == clean["beneficiary_name"],
            Beneficiary.phone == clean["beneficiary_phone"],
        )
    ).first()


def _find_or_create_beneficiary(
    session: Session, actor: Actor, clean: dict, *, known: Beneficiary | None,
    update_existing: bool,
) -> Beneficiary:
    """Update ``known`` with the details just typed (if allowed), or create someone new."""
    if known is not None and not update_existing:
        return known
    if known is not None:
        known.full_name = clean["beneficiary_name"]
        known.phone = clean["beneficiary_phone"]
        known.address = clean["address"]
        known.access_notes = clean["access_notes"] or known.access_notes
        known.neighbourhood_id = clean["neighbourhood_id"].id
        # Given again, with the notice read again: kept again under the retention rules.
        known.contact_erased_at = known.pseudonymised_at = None
        known.notice_version, known.consent_by_id = NOTICE_VERSION, actor.user_id
        known.updated_at = utcnow()
        session.add(known)
        return known
    beneficiary = Beneficiary(
        commune_id=actor.commune_id,
        neighbourhood_id=clean["neighbourhood_id"].id,
        full_name=clean["beneficiary_name"],
        phone=clean["beneficiary_phone"],
        address=clean["address"],
        access_notes=clean["access_notes"],
        consent_at=utcnow(),
        # The notice the referent (or relay) read to the person before storing this.
        notice_version=NOTICE_VERSION,
        consent_by_id=actor.user_id,
        created_by_id=actor.user_id,
    )
    session.add(beneficiary)
    return beneficiary


def build_mission(
    session: Session, *, actor: Actor, clean: dict, publish: bool, update_existing: bool = True,
    geocoder: Geocoder, geo_salt: str,
    known: Beneficiary | None = None, match_exact: bool = True,
) -> Mission:
    """Write the beneficiary and the mission of a validated need (no audit, no event).

    The address is geocoded by ``geocoder`` (the composition root gives the one the settings
    choose); its point stays private, the board and map get an area around a centre offset
    by ``geo_salt``.
    Without a point the neighbourhood's centre stands in (see ``place_mission``).

    Shared with the relays' need reports (``services.relays``), which go to the
    referent's queue as drafts. ``update_existing=False`` leaves a known
    beneficiary's stored details alone (a relay's typing is checked by the
    referent first; the mission keeps the address the relay gave).
    ``known`` is the person the referent picked; without it and with
    ``match_exact`` the same name and phone reuse a known person.
    """
    exact = _locate(session, actor, clean, geocoder)
    hood: Neighbourhood = clean["neighbourhood_id"]
    if known is None and match_exact:
        known = _exact_match(session, actor, clean)
    beneficiary = _find_or_create_beneficiary(session, actor, clean, known=known,
                                              update_existing=update_existing)
    session.flush()
    mission = Mission(
        commune_id=actor.commune_id,
        neighbourhood_id=hood.id,
        beneficiary_id=beneficiary.id,
        kind=MissionKind.INDIVIDUAL,
        category=clean["category"],
        title=clean["title"],
        description=clean["description"],
        channel=clean["channel"],
        capacity=1,
        status=MissionStatus.OPEN if publish else MissionStatus.DRAFT,
        # Provisional: place_mission below needs the ids to derive the public area.
        approx_lat=hood.lat,
        approx_lon=hood.lon,
        exact_address=clean["address"],
        starts_at=clean["starts_at"],
        preferred_starts=clean["preferred_starts"],
        duration_minutes=clean["duration_minutes"],
        # The intake refuses a need without the acknowledgement (domain.rules): the
        # version of the rule's text it acknowledged is kept with the need.
        insurance_version=INSURANCE_VERSION,
        created_by_id=actor.user_id,
    )
    session.add(mission)
    session.flush()
    place_mission(mission, hood=hood, exact=exact, source=GeoSource.ADDRESS,
                  salt=geo_salt)
    session.add(mission)
    session.flush()
    return mission


def create_need(
    session: Session, *, actor: Actor, form: NeedForm, publish: bool, timezone: str,
    geocoder: Geocoder, geo_salt: str,
) -> Mission:
    """Record a need as a draft mission, or publish it on its neighbourhood board.

    The beneficiary is found or created: a likely known person (same name, and
    same phone or address) stops the intake until the referent picks them or
    confirms someone new (``form.beneficiary_choice``).

    Raises:
        NotAllowed: the actor is not a referent of the commune.
        ValidationFailed: a field is wrong or a rule of the scheme is broken;
            nothing is written.
        PossibleDuplicates: the person looks already known; nothing is written.
    """
    require_staff(actor, actor.commune_id)
    clean = _clean(session, actor, form, timezone)
    known = _chosen_beneficiary(session, actor, clean, form.beneficiary_choice)
    mission = build_mission(session, actor=actor, clean=clean, publish=publish,
                            geocoder=geocoder, geo_salt=geo_salt, known=known,
                            match_exact=False)
    hood_id = mission.neighbourhood_id
    if publish:
        alerts.enqueue_fanout(session, mission)
    audit(session, actor=actor, action="need.created", entity="mission", entity_id=mission.id,
          commune_id=actor.commune_id, channel=mission.channel, published=publish,
          beneficiary_id=mission.beneficiary_id, known_beneficiary=known is not None,
          preferred_starts=clean["preferred_starts"])
    events.record(session, events.DomainEvent(
        kind="mission.published" if publish else "need.created",
        commune_id=actor.commune_id,
        neighbourhood_id=hood_id if publish else None,
        mission_id=mission.id,
        actor_name=actor.display_name,
        data={"title": mission.title},
    ))
    return mission
