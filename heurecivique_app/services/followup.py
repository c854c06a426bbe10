"""After the date: the referent's check, the hours credited, closing; duplicating a need.

The referent calls the beneficiary, records how it went, the time given and
each side's satisfaction, then closes the mission. The minutes the referent
records are what counts: they replace the provisional entry of a volunteer who
marked the mission done, so time is never counted twice (one ``HourEntry``
per volunteer and mission, a unique constraint of the ledger).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from heurecivique_app.domain import events
from heurecivique_app.domain.enums import MissionKind, MissionStatus, ParticipationStatus
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.followup import MissionFollowUp, RecurringFlag, recurring_flag
from heurecivique_app.domain.form_data import ticked
from heurecivique_app.domain.hours import TIME_GIVEN_RANGE, month_key
from heurecivique_app.domain.lifecycle import check_transition
from heurecivique_app.domain.models import (
    Beneficiary,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    form_text,
    local_datetime,
    optional_text,
    whole_number,
)
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit
from heurecivique_app.services.missions.base import (
    NOT_STARTED,
    accepted_volunteer_ids,
    emit_mission_event,
    staff_mission,
)
from heurecivique_app.services.missions.places import ROW_LOCK

FOLLOW_UP_STATUSES = (MissionStatus.OPEN, MissionStatus.FULL, MissionStatus.DONE)


@dataclass
class FollowUpForm:
    """Raw input of the follow-up form, as typed by the referent."""

    beneficiary_called: bool = False
    went_well: str = ""  # "yes" / "no"
    minutes: str = ""
    beneficiary_satisfaction: str = ""
    volunteer_satisfaction: str = ""
    incident: str = ""

    @classmethod
    def from_form(cls, data: Mapping[str, Any]) -> FollowUpForm:
        """The form as the page posted it; every value is checked by the service."""
        def text(name: str) -> str:
            return form_text(data, name)

        return cls(
            beneficiary_called=ticked(data, "beneficiary_called"),
            went_well=text("went_well"), minutes=text("minutes"),
            beneficiary_satisfaction=text("beneficiary_satisfaction"),
            volunteer_satisfaction=text("volunteer_satisfaction"), incident=text("incident"),
        )


def _satisfaction(value: str) -> int | None:
    if not str(value).strip():
        return None
    return whole_number(value, low=1, high=5)


def _clean(form: FollowUpForm, *, close: bool) -> dict[str, Any]:
    check = FormCheck()

    def went_well() -> bool:
        if form.went_well not in {"yes", "no"}:
            raise FieldError(N_("Say whether the action went well."))
        return form.went_well == "yes"

    def called() -> bool:
        if close and not form.beneficiary_called:
            raise FieldError(N_("Call the beneficiary before closing the mission."))
        return form.beneficiary_called

    def minutes() -> int:
        return whole_number(form.minutes, low=15, high=480, out_of_range=TIME_GIVEN_RANGE)

    check.take("beneficiary_called", called)
    check.take("went_well", went_well)
    check.take("minutes", minutes)
    check.take("beneficiary_satisfaction", lambda: _satisfaction(form.beneficiary_satisfaction))
    check.take("volunteer_satisfaction", lambda: _satisfaction(form.volunteer_satisfaction))
    check.take("incident", lambda: optional_text(form.incident, max_length=1000))
    if check.clean.get("went_well") is False and not check.clean.get("incident"):
        check.errors["incident"] = N_("Describe what went wrong.")
    return check.result()


def credit_hours(session: Session, *, actor: Actor, mission: Mission,
                 present: Iterable[int], minutes: int, timezone: str) -> list[int]:
    """Make the ledger say ``minutes`` for each volunteer present, and nothing for the others.

    Entries a volunteer recorded themselves are corrected, not added to; an entry
    of a volunteer found absent is removed. Returns the ids credited.
    """
    assert mission.id is not None
    present_ids = sorted(set(present))
    month = month_key(min(mission.starts_at, utcnow()), timezone)
    entries = {e.volunteer_id: e for e in session.exec(
        select(HourEntry).where(HourEntry.mission_id == mission.id)).all()}
    for volunteer_id, entry in entries.items():
        if volunteer_id not in present_ids:
            session.delete(entry)
    for volunteer_id in present_ids:
        entry = entries.get(volunteer_id)
        if entry is None:
            entry = HourEntry(volunteer_id=volunteer_id, mission_id=mission.id, minutes=minutes,
                              month=month)
        entry.minutes = minutes
        entry.recorded_by_id = actor.user_id
        session.add(entry)
    session.flush()
    return present_ids


def _present(session: Session, mission: Mission) -> list[int]:
    """Who gets the hours: every accepted volunteer, except those found absent."""
    assert mission.id is not None
    rows = session.exec(select(Participation).where(
        Participation.mission_id == mission.id,
        Participation.status == ParticipationStatus.ACCEPTED)).all()
    return [p.volunteer_id for p in rows if p.attended is not False]


def record_followup(
    session: Session, *, actor: Actor, mission_id: int, form: FollowUpForm, timezone: str,
    close: bool = False,
) -> MissionFollowUp:
    """Record (or correct) the referent's check after the date; ``close`` closes the mission.

    A mission the volunteer has not marked as done is recorded done first.

    Raises:
        ValidationFailed: a field is wrong; nothing is written.
        DomainError: the mission has not taken place yet, has no volunteer, or is closed.
    """
    mission = staff_mission(session, actor, mission_id)
    # The mission's row first: a volunteer's « c'est fait » at this instant either went
    # first (its hours read after its commit: corrected, not entered again) or waits.
    # (Until now only the autoflush of the status, before the hours were read, took it.)
    session.refresh(mission, with_for_update=ROW_LOCK)
    clean = _clean(form, close=close)
    if mission.status not in FOLLOW_UP_STATUSES:
        raise DomainError(N_("Only a mission that took place can be followed up."))
    if mission.starts_at > utcnow():
        raise DomainError(NOT_STARTED)
    present = _present(session, mission)
    if not accepted_volunteer_ids(session, mission_id):
        raise DomainError(N_("Only a mission with a volunteer can be marked as done."))
    if mission.status != MissionStatus.DONE:
        mission.status = check_transition(mission.status, MissionStatus.DONE)
    credited = credit_hours(session, actor=actor, mission=mission, present=present,
                            minutes=clean["minutes"], timezone=timezone)
    record = session.exec(select(MissionFollowUp).where(
        MissionFollowUp.mission_id == mission_id)).first()
    now = utcnow()
    if record is None:
        record = MissionFollowUp(mission_id=mission_id, minutes=clean["minutes"],
                                 created_at=now)
    record.beneficiary_called = clean["beneficiary_called"]
    record.went_well = clean["went_well"]
    record.minutes = clean["minutes"]
    record.beneficiary_satisfaction = clean["beneficiary_satisfaction"]
    record.volunteer_satisfaction = clean["volunteer_satisfaction"]
    record.incident = clean["incident"]
    record.recorded_by_id = actor.user_id
    record.updated_at = now
    session.add(record)
    audit(session, actor=actor, action="mission.followed_up", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id, minutes=clean["minutes"],
          volunteers=credited, went_well=clean["went_well"],
          beneficiary_called=clean["beneficiary_called"],
          beneficiary_satisfaction=clean["beneficiary_satisfaction"],
          volunteer_satisfaction=clean["volunteer_satisfaction"],
          incident=bool(clean["incident"]))
    if close:
        mission.status = check_transition(mission.status, MissionStatus.CLOSED)
        audit(session, actor=actor, action="mission.closed", entity="mission",
              entity_id=mission.id, commune_id=mission.commune_id)
    mission.updated_at = now
    session.add(mission)
    session.flush()
    emit_mission_event(
        session, "mission.closed" if close else "mission.followed_up", mission, actor)
    return record


def duplicate_need(
    session: Session, *, actor: Actor, mission_id: int, day: str, hour: str, timezone: str,
) -> Mission:
    """A new draft of a past need: same person, kind, text and place, a new date.

    Raises:
        ValidationFailed: the date is missing, invalid or in the past.
    """
    source = staff_mission(session, actor, mission_id)
    check = FormCheck()

    def starts_at() -> datetime:
        moment = local_datetime(day, hour, timezone=timezone)
        if moment <= utcnow():
            raise FieldError(N_("The preferred date must be in the future."))
        return moment

    check.take("duplicate_date", starts_at)
    clean = check.result()
    copy = Mission(
        commune_id=source.commune_id, neighbourhood_id=source.neighbourhood_id,
        beneficiary_id=source.beneficiary_id, kind=source.kind, category=source.category,
        title=source.title, description=source.description, channel=source.channel,
        capacity=source.capacity, status=MissionStatus.DRAFT,
        approx_lat=source.approx_lat, approx_lon=source.approx_lon,
        approx_radius_m=source.approx_radius_m, exact_address=source.exact_address,
        exact_lat=source.exact_lat, exact_lon=source.exact_lon, geo_source=source.geo_source,
        starts_at=clean["duplicate_date"], duration_minutes=source.duration_minutes,
        skills_wanted=list(source.skills_wanted or []), created_by_id=actor.user_id,
    )
    session.add(copy)
    session.flush()
    audit(session, actor=actor, action="need.duplicated", entity="mission", entity_id=copy.id,
          commune_id=copy.commune_id, source_id=source.id)
    events.record(session, events.DomainEvent(
        kind="need.created", commune_id=copy.commune_id, mission_id=copy.id,
        actor_name=actor.display_name, data={"title": copy.title},
    ))
    return copy


# --- reads ---------------------------------------------------------------------------------


def recurring_for(session: Session, *, beneficiary_id: int | None, category: str,
                  now: datetime | None = None) -> RecurringFlag | None:
    """The recurring-request flag of one beneficiary and category (cancelled needs left out)."""
    if beneficiary_id is None:
        return None
    needs = session.exec(select(Mission.category, Mission.starts_at).where(
        Mission.beneficiary_id == beneficiary_id,
        Mission.status != MissionStatus.CANCELLED)).all()
    return recurring_flag([(c, s) for c, s in needs], category=category, now=now or utcnow())


@dataclass(frozen=True)
class VolunteerAccount:
    """One volunteer of the mission and what they said about it (staff only)."""

    user_id: int
    name: str
    status: str
    reported_minutes: int | None
    feedback: str
    problem: str
    attended: bool | None
    credited_minutes: int | None


@dataclass(frozen=True)
class FollowUpView:
    """A past mission as the referent follows it up: its people and their accounts."""

    mission: Mission
    neighbourhood_name: str
    beneficiary_name: str
    beneficiary_phone: str
    volunteers: list[VolunteerAccount]
    record: MissionFollowUp | None
    recurring: RecurringFlag | None

    @property
    def took_place(self) -> bool:
        """Whether the mission's time has come."""
        return self.mission.starts_at <= utcnow()

    @property
    def can_follow_up(self) -> bool:
        """Whether the referent may record how it went: it took place, with a volunteer."""
        return (self.took_place and self.mission.status in FOLLOW_UP_STATUSES
                and any(v.status == ParticipationStatus.ACCEPTED for v in self.volunteers))

    @property
    def is_collective(self) -> bool:
        """Whether it is a collective action (attendance instead of one account)."""
        return self.mission.kind == MissionKind.COLLECTIVE


def followup_view(session: Session, *, actor: Actor, mission_id: int) -> FollowUpView:
    """Everything the referent needs to follow a mission up (private: staff of the commune)."""
    mission = staff_mission(session, actor, mission_id)
    hood = session.get(Neighbourhood, mission.neighbourhood_id)
    person = session.get(Beneficiary, mission.beneficiary_id) if mission.beneficiary_id else None
    credited = {e.volunteer_id: e.minutes for e in session.exec(
        select(HourEntry).where(HourEntry.mission_id == mission_id)).all()}
    rows = session.exec(
        select(Participation, User.display_name)
        .join(User, User.id == Participation.volunteer_id)
        .where(Participation.mission_id == mission_id)
        .order_by(col(Participation.updated_at), col(Participation.id))
    ).all()
    volunteers = [VolunteerAccount(
        user_id=p.volunteer_id, name=name, status=p.status, reported_minutes=p.reported_minutes,
        feedback=p.feedback, problem=p.problem, attended=p.attended,
        credited_minutes=credited.get(p.volunteer_id)) for p, name in rows]
    record = session.exec(select(MissionFollowUp).where(
        MissionFollowUp.mission_id == mission_id)).first()
    return FollowUpView(
        mission=mission, neighbourhood_name=hood.name if hood else "",
        beneficiary_name=person.full_name if person else "",
        beneficiary_phone=(person.phone or "") if person else "",
        volunteers=volunteers, record=record,
        recurring=recurring_for(session, beneficiary_id=mission.beneficiary_id,
                                category=mission.category, now=mission.starts_at),
    )
