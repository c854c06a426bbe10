"""The neighbourhood relays ("Vitréens attentionnés"): their neighbourhoods and reports.

A relay acts only on the neighbourhoods a referent attached them to. What they
report goes to the referent's triage queue (``services.triage``): a need of a
neighbour becomes a *draft* mission (same checks as the referent's intake),
never a mission on the board straight away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, delete, select

from heurecivique_app.adapters.geocoding import Geocoder
from heurecivique_app.domain import events
from heurecivique_app.domain.community import (
    PHOTO_NAME,
    IssueCategory,
    RelayNeighbourhood,
    RelayReport,
    ReportKind,
    ReportStatus,
)
from heurecivique_app.domain.enums import Channel, Role
from heurecivique_app.domain.errors import NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.models import Neighbourhood, User
from heurecivique_app.domain.notifications import DEFAULT_TIMEZONE
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    clean_text,
    known_id,
    known_ids,
    one_of,
    optional_text,
    required_text,
)
from heurecivique_app.services import intake, minors, notices
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit


def require_relay(actor: Actor) -> None:
    """Only neighbourhood relays may go on."""
    if actor.role != Role.RELAY:
        raise NotAllowed()


def relay_neighbourhoods(session: Session, *, relay_id: int) -> list[Neighbourhood]:
    """The neighbourhoods a relay watches over, by name."""
    return list(session.exec(
        select(Neighbourhood)
        .join(RelayNeighbourhood, RelayNeighbourhood.neighbourhood_id == Neighbourhood.id)
        .where(RelayNeighbourhood.user_id == relay_id)
        .order_by(Neighbourhood.name)
    ).all())


def _relay_hood(session: Session, actor: Actor, raw_id: str) -> Neighbourhood:
    """One of the relay's own neighbourhoods, or a field error."""
    try:
        hood_id = int(raw_id)
    except (TypeError, ValueError):
        hood_id = -1
    allowed = {h.id: h for h in relay_neighbourhoods(session, relay_id=actor.user_id)}
    if hood_id not in allowed:
        raise FieldError(N_("Choose one of your neighbourhoods."))
    return allowed[hood_id]


def assign_neighbourhoods(
    session: Session, *, actor: Actor, user_id: int, neighbourhood_ids: list[int],
    enrolment: Mapping[str, object] | None = None,
) -> list[Neighbourhood]:
    """Make a resident of the commune a relay of these neighbourhoods (replaces the set).

    An empty list takes the relay role back (the person stays a volunteer).
    Making someone a relay asks their date of birth, and under 15 a parent's
    consent (``enrolment``: see :func:`services.minors.check_enrolment`); a relay
    whose neighbourhoods change keeps what is on file.

    Raises:
        NotAllowed: the actor is not staff of the person's commune.
        NotFound: no such person in the commune, or a neighbourhood of another commune.
        ValidationFailed: the date of birth or the parent's consent is missing or
            wrong; nothing is written.
    """
    person = session.get(User, known_id(user_id))
    if person is None or not actor.sees(person.commune_id):
        raise NotFound()
    require_staff(actor, person.commune_id)
    if person.role not in (Role.VOLUNTEER, Role.RELAY):
        raise NotAllowed()
    hoods = [session.get(Neighbourhood, hid) for hid in sorted(known_ids(neighbourhood_ids))]
    if any(h is None or h.commune_id != person.commune_id for h in hoods):
        raise NotFound()
    if hoods and (person.role != Role.RELAY or enrolment):
        born, parent = minors.check_enrolment(session, actor=actor, person=person,
                                              form=enrolment or {})
        minors.record_enrolment(session, actor=actor, person=person, born=born,
                                parent=parent)
    session.exec(delete(RelayNeighbourhood).where(RelayNeighbourhood.user_id == user_id))
    for hood in hoods:
        session.add(RelayNeighbourhood(user_id=user_id, neighbourhood_id=hood.id,
                                       assigned_by_id=actor.user_id))
    person.role = Role.RELAY if hoods else Role.VOLUNTEER
    if hoods and person.neighbourhood_id not in {h.id for h in hoods}:
        person.neighbourhood_id = hoods[0].id  # the board they watch by default
    session.add(person)
    session.flush()
    audit(session, actor=actor, action="relay.assigned", entity="user", entity_id=user_id,
          commune_id=person.commune_id, neighbourhoods=[h.id for h in hoods])
    return hoods


@dataclass(frozen=True)
class RelayPerson:
    """A resident a referent may make a relay, with the neighbourhoods they watch."""

    user_id: int
    name: str
    is_relay: bool
    neighbourhood_ids: tuple[int, ...]
    neighbourhood_names: tuple[str, ...]


def relay_candidates(session: Session, *, actor: Actor) -> list[RelayPerson]:
    """The commune's volunteers and relays, relays first, for the referent's relay panel."""
    require_staff(actor, actor.commune_id)
    people = session.exec(
        select(User).where(User.commune_id == actor.commune_id, User.is_active,
                           col(User.role).in_([Role.VOLUNTEER.value, Role.RELAY.value]))
        .order_by(User.display_name)
    ).all()
    links = session.exec(
        select(RelayNeighbourhood.user_id, Neighbourhood.id, Neighbourhood.name)
        .join(Neighbourhood, Neighbourhood.id == RelayNeighbourhood.neighbourhood_id)
        .where(Neighbourhood.commune_id == actor.commune_id)
        .order_by(Neighbourhood.name)
    ).all()
    hoods: dict[int, list[tuple[int, str]]] = {}
    for user_id, hood_id, name in links:
        hoods.setdefault(user_id, []).append((hood_id, name))
    found = [
        RelayPerson(p.id or 0, p.display_name, p.role == Role.RELAY,
                    tuple(h for h, _ in hoods.get(p.id or 0, [])),
                    tuple(n for _, n in hoods.get(p.id or 0, [])))
        for p in people
    ]
    return sorted(found, key=lambda p: not p.is_relay)


@dataclass
class IssueForm:
    """Raw input of the neighbourhood-issue form, as typed on the relay's phone."""

    category: str = ""
    title: str = ""
    description: str = ""
    neighbourhood_id: str = ""
    lat: str = ""
    lon: str = ""
    photo_name: str | None = None  # already cleaned and stored by the photo adapter


def _coordinate(text: str, low: float, high: float) -> float | None:
    text = clean_text(text, max_length=32, kind=TextKind.LINE).replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError as exc:
        raise FieldError(N_("Enter a number, e.g. 48.1236.")) from exc
    if not low <= value <= high:
        raise FieldError(N_("This number is out of the allowed range."))
    return value


def report_issue(session: Session, *, actor: Actor, form: IssueForm,
                 timezone: str = DEFAULT_TIMEZONE) -> RelayReport:
    """Report a comfort, health or safety issue of one of the relay's neighbourhoods.

    The commune's referents are e-mailed (as for a need).

    Raises:
        NotAllowed: the actor is not a relay.
        ValidationFailed: a field is wrong; nothing is written.
    """
    require_relay(actor)
    check = FormCheck()
    check.take("category", lambda: one_of(form.category, IssueCategory,
                                          N_("Choose a category.")))
    check.take("title", lambda: required_text(form.title, max_length=120, kind=TextKind.LINE))
    check.take("description", lambda: optional_text(form.description, max_length=2000))
    check.take("neighbourhood_id", lambda: _relay_hood(session, actor, form.neighbourhood_id))
    check.take("lat", lambda: _coordinate(form.lat, -90, 90))
    check.take("lon", lambda: _coordinate(form.lon, -180, 180))
    clean, errors = check.clean, check.errors
    if (clean.get("lat") is None) != (clean.get("lon") is None) and not errors.keys() & {
            "lat", "lon"}:
        errors["lat" if clean.get("lat") is None else "lon"] = N_(
            "Give both latitude and longitude, or neither.")
    if form.photo_name is not None and not (isinstance(form.photo_name, str)
                                            and PHOTO_NAME.fullmatch(form.photo_name)):
        errors["photo"] = N_("Send a JPEG, PNG or WebP photo.")
    clean = check.result()
    hood: Neighbourhood = clean["neighbourhood_id"]
    report = RelayReport(
        commune_id=actor.commune_id, neighbourhood_id=hood.id, relay_id=actor.user_id,
        kind=ReportKind.ISSUE, category=clean["category"], title=clean["title"],
        description=clean["description"], photo_name=form.photo_name,
        lat=clean["lat"], lon=clean["lon"],
    )
    session.add(report)
    session.flush()
    _log_created(session, actor, report, hood, timezone)
    return report


def report_need(
    session: Session, *, actor: Actor, form: intake.NeedForm, timezone: str,
    geocoder: Geocoder, geo_salt: str,
) -> RelayReport:
    """Report a neighbour's need: the intake rules apply; it becomes a draft mission.

    Raises:
        NotAllowed: the actor is not a relay.
        ValidationFailed: a field is wrong, a rule of the scheme is broken, or the
            neighbourhood is not one of the relay's; nothing is written.
    """
    require_relay(actor)
    form = replace(form, channel=Channel.RELAY)  # however it was filled in
    errors: dict[str, str] = {}
    params: dict[str, dict] = {}
    try:
        _relay_hood(session, actor, form.neighbourhood_id)
    except FieldError as exc:
        errors["neighbourhood_id"] = exc.message
    try:
        clean = intake.validate_need(session, actor, form, timezone)
    except ValidationFailed as failed:
        errors = {**failed.errors, **errors}
        params = failed.field_params
    if errors:
        raise ValidationFailed(errors, params=params)
    mission = intake.build_mission(session, actor=actor, clean=clean, publish=False,
                                   geocoder=geocoder, geo_salt=geo_salt,
                                   update_existing=False)
    report = RelayReport(
        commune_id=actor.commune_id, neighbourhood_id=mission.neighbourhood_id,
        relay_id=actor.user_id, kind=ReportKind.NEED, category=mission.category,
        title=mission.title, description=mission.description, mission_id=mission.id,
    )
    session.add(report)
    session.flush()
    audit(session, actor=actor, action="need.created", entity="mission", entity_id=mission.id,
          commune_id=actor.commune_id, channel=Channel.RELAY, published=False)
    _log_created(session, actor, report, session.get(Neighbourhood, report.neighbourhood_id),
                 timezone)
    return report


def _log_created(session: Session, actor: Actor, report: RelayReport,
                 hood: Neighbourhood | None, timezone: str) -> None:
    audit(session, actor=actor, action="report.created", entity="relay_report",
          entity_id=report.id, commune_id=actor.commune_id, kind=report.kind)
    events.record(session, events.DomainEvent(
        kind="report.created", commune_id=actor.commune_id, actor_name=actor.display_name,
        data={"title": report.title},
    ))
    notices.relay_report(session, report_id=report.id or 0, commune_id=report.commune_id,
                         relay=actor.display_name, title=report.title, kind=report.kind,
                         neighbourhood=hood.name if hood else "", timezone=timezone)


@dataclass(frozen=True)
class ReportView:
    """A report as its relay or the referent sees it (nothing about the beneficiary)."""

    id: int
    kind: str
    category: str
    title: str
    description: str
    status: str
    answer: str
    neighbourhood_name: str
    has_photo: bool
    lat: float | None
    lon: float | None
    relay_name: str
    created_at: datetime
    mission_id: int | None


def _view(report: RelayReport, hood: Neighbourhood, relay_name: str) -> ReportView:
    assert report.id is not None
    return ReportView(
        id=report.id, kind=report.kind, category=report.category, title=report.title,
        description=report.description, status=report.status, answer=report.answer,
        neighbourhood_name=hood.name, has_photo=bool(report.photo_name), lat=report.lat,
        lon=report.lon, relay_name=relay_name, created_at=report.created_at,
        mission_id=report.mission_id,
    )


def my_reports(session: Session, *, actor: Actor, limit: int = 50) -> list[ReportView]:
    """The relay's own reports, newest first, with the referent's answers."""
    require_relay(actor)
    rows = session.exec(
        select(RelayReport, Neighbourhood)
        .join(Neighbourhood, Neighbourhood.id == RelayReport.neighbourhood_id)
        .where(RelayReport.relay_id == actor.user_id)
        .order_by(col(RelayReport.id).desc()).limit(limit)
    ).all()
    return [_view(r, h, actor.display_name) for r, h in rows]


def commune_reports(
    session: Session, *, actor: Actor, statuses: list[str] | None = None, limit: int = 200
) -> list[ReportView]:
    """The commune's reports for the triage queue: open ones first, then newest first."""
    require_staff(actor, actor.commune_id)
    query = (
        select(RelayReport, Neighbourhood, User.display_name)
        .join(Neighbourhood, Neighbourhood.id == RelayReport.neighbourhood_id)
        .join(User, User.id == RelayReport.relay_id)
        .where(RelayReport.commune_id == actor.commune_id)
    )
    if statuses:
        query = query.where(col(RelayReport.status).in_(statuses))
    rows = session.exec(query.order_by(col(RelayReport.id).desc()).limit(limit)).all()
    views = [_view(r, h, name) for r, h, name in rows]
    return sorted(views, key=lambda v: v.status != ReportStatus.NEW)  # stable: newest first
