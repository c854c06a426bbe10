"""The volunteer's side of a mission: accept with a current charter, decline, cancel
before the cut-off, confirm afterwards (time, feedback, a problem for the referent),
and pausing participation.

The place-taking itself stays in :mod:`services.missions` (accept, decline,
mark done); these use cases add the volunteer app's rules around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from heurecivique_app.domain import events
from heurecivique_app.domain.charter import CHARTER_VERSION, charter_is_current
from heurecivique_app.domain.enums import (
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import DomainError, NotAllowed
from heurecivique_app.domain.hours import TIME_GIVEN_RANGE, month_key
from heurecivique_app.domain.models import HourEntry, Mission, Participation, VolunteerProfile
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import FormCheck, optional_text, whole_number
from heurecivique_app.domain.volunteering import status_after_pause
from heurecivique_app.services import missions
from heurecivique_app.services.actor import Actor, require_volunteer
from heurecivique_app.services.audit import audit


class CharterOutdated(DomainError):
    """The charter changed since this volunteer approved it: they must approve it again."""

    def __init__(self) -> None:
        super().__init__(N_("The charter has changed: read it and approve it again "
                            "before accepting a mission."))


def _profile(session: Session, actor: Actor) -> VolunteerProfile:
    require_volunteer(actor)
    profile = session.get(VolunteerProfile, actor.user_id)
    if profile is None:
        raise NotAllowed()
    return profile


def _participation(session: Session, mission_id: int, volunteer_id: int
                   ) -> Participation | None:
    return session.exec(select(Participation).where(
        Participation.mission_id == mission_id, Participation.volunteer_id == volunteer_id,
    )).first()


def _emit(session: Session, kind: str, mission: Mission, actor: Actor, **data) -> None:
    """Audit (the referent's feed reads mission entries) and tell the consoles."""
    audit(session, actor=actor, action=kind, entity="mission", entity_id=mission.id,
          commune_id=mission.commune_id, **data)
    events.record(session, events.DomainEvent(
        kind=kind, commune_id=mission.commune_id, neighbourhood_id=mission.neighbourhood_id,
        mission_id=mission.id, actor_name=actor.display_name,
        data={"title": mission.title, **data}))


def charter_current(session: Session, *, actor: Actor) -> bool:
    return charter_is_current(_profile(session, actor).charter_version)


def approve_charter(session: Session, *, actor: Actor) -> VolunteerProfile:
    """Record that the volunteer approved the charter in force (version and time)."""
    profile = _profile(session, actor)
    profile.charter_version = CHARTER_VERSION
    profile.charter_accepted_at = utcnow()
    session.add(profile)
    audit(session, actor=actor, action="volunteer.charter_approved", entity="user",
          entity_id=actor.user_id, commune_id=actor.commune_id, version=CHARTER_VERSION)
    return profile


def accept(session: Session, *, actor: Actor, mission_id: int) -> Mission:
    """Accept a mission (an open one, or one a referent proposed), charter permitting."""
    if not charter_is_current(_profile(session, actor).charter_version):
        raise CharterOutdated()
    return missions.accept_mission(session, actor=actor, mission_id=mission_id)


def decline(session: Session, *, actor: Actor, mission_id: int, reason: str) -> Participation:
    """Say no (to a proposal or an open mission), with an optional reason for the referent."""
    clean = FormCheck()
    clean.take("reason", lambda: optional_text(reason, max_length=500))
    text = clean.result()["reason"]
    return missions.decline_mission(session, actor=actor, mission_id=mission_id, reason=text)


def cancel_deadline(mission: Mission, cutoff_hours: int) -> datetime:
    """The last moment a volunteer may cancel in the app.

    Someone waits at home for an individual mission: ``cutoff_hours`` before it, so
    the referent has time to find another volunteer. A collective action's waiting
    list fills the place at once, so cancelling stays open until it starts.
    """
    if mission.kind == MissionKind.COLLECTIVE:
        return mission.starts_at
    return mission.starts_at - timedelta(hours=cutoff_hours)


def cancel(session: Session, *, actor: Actor, mission_id: int, reason: str,
           cutoff_hours: int, now: datetime | None = None) -> Participation:
    """Withdraw from an accepted mission before its deadline; the referent is told.

    Raises:
        ValidationFailed: the reason is missing or too long.
        DomainError: too late (phone the referent), or not accepted.
    """
    check = FormCheck()
    check.take("reason", lambda: optional_text(reason, max_length=500))
    text = check.result()["reason"]
    if not text:
        check.errors["reason"] = N_("Tell the referent why, in a few words.")
        check.result()
    mission = missions.mission_in_commune(session, actor, mission_id)
    mine = _participation(session, mission_id, actor.user_id)
    if mine is None or mine.status != ParticipationStatus.ACCEPTED:
        raise DomainError(N_("You are not taking part in this mission."))
    if (now or utcnow()) > cancel_deadline(mission, cutoff_hours):
        raise DomainError(N_("It is too late to cancel in the app: please phone the "
                             "referent at the town hall."))
    participation = missions.decline_mission(session, actor=actor, mission_id=mission_id,
                                             reason=text)
    _emit(session, "participation.cancelled", mission, actor, reason=text)
    return participation


@dataclass
class Confirmation:
    minutes: str = "60"
    feedback: str = ""
    problem: str = ""


def confirm(session: Session, *, actor: Actor, mission_id: int, form: Confirmation,
            timezone: str) -> Participation:
    """After the mission: it took place, the time spent, feedback, maybe a problem.

    The time reaches "my hour" through the ledger: the first confirmation marks
    an individual mission done (crediting every accepted volunteer, see
    ``missions.mark_done``). A collective action is marked done by the referent's
    attendance check; after it, a volunteer's confirmation adds their own entry if
    missing, unless they were recorded absent.
    A problem goes to the referent (stored and sent to the consoles).
    """
    check = FormCheck()
    check.take("minutes", lambda: whole_number(form.minutes, low=15, high=480,
                                               out_of_range=TIME_GIVEN_RANGE))
    check.take("feedback", lambda: optional_text(form.feedback, max_length=1000))
    check.take("problem", lambda: optional_text(form.problem, max_length=1000))
    clean = check.result()
    mission = missions.mission_in_commune(session, actor, mission_id)
    mine = _participation(session, mission_id, actor.user_id)
    if mine is None or mine.status != ParticipationStatus.ACCEPTED:
        raise NotAllowed()
    if mine.confirmed_at is not None:
        raise DomainError(N_("You have already confirmed this mission. Thank you!"))
    if utcnow() < mission.starts_at:  # hours are given, never promised
        raise DomainError(missions.NOT_STARTED)
    collective = mission.kind == MissionKind.COLLECTIVE
    if mission.status in (MissionStatus.OPEN, MissionStatus.FULL):
        if collective:  # one volunteer must not mark it done for everyone, no-shows included
            raise DomainError(N_("The referent records who came to a collective action on "
                                 "the day; you can add your account once that is done."))
        missions.mark_done(session, actor=actor, mission_id=mission_id, timezone=timezone,
                           minutes=clean["minutes"])
    elif mission.status in (MissionStatus.DONE, MissionStatus.CLOSED):
        if not (collective and mine.attended is False):  # recorded absent: no hour
            _credit_own_time(session, actor, mission, clean["minutes"], timezone)
    else:
        raise DomainError(N_("This mission can no longer be confirmed."))
    now = utcnow()
    mine.confirmed_at = now
    mine.reported_minutes = clean["minutes"]
    mine.feedback = clean["feedback"]
    mine.problem = clean["problem"]
    mine.updated_at = now
    session.add(mine)
    _emit(session, "participation.confirmed", mission, actor, minutes=clean["minutes"])
    if clean["problem"]:
        _emit(session, "participation.problem", mission, actor, problem=clean["problem"])
    session.flush()
    return mine


def _credit_own_time(session: Session, actor: Actor, mission: Mission, minutes: int,
                     timezone: str) -> None:
    exists = session.exec(select(HourEntry.id).where(
        HourEntry.volunteer_id == actor.user_id, HourEntry.mission_id == mission.id)).first()
    if exists is None:
        session.add(HourEntry(volunteer_id=actor.user_id, mission_id=mission.id or 0,
                              minutes=minutes, month=month_key(mission.starts_at, timezone),
                              recorded_by_id=actor.user_id))


def set_paused(session: Session, *, actor: Actor, paused: bool) -> VolunteerProfile:
    """Pause participation (holidays) or resume it.

    Resuming gives back the status the volunteer had: active if a referent
    validated them, else pending.
    """
    profile = _profile(session, actor)
    if paused:
        profile.status = VolunteerStatus.PAUSED
    else:
        profile.status = status_after_pause(profile.validated_at)
    session.add(profile)
    audit(session, actor=actor, action="volunteer.paused" if paused else "volunteer.resumed",
          entity="user", entity_id=actor.user_id, commune_id=actor.commune_id)
    events.record(session, events.DomainEvent(
        kind="volunteer.paused", commune_id=actor.commune_id, actor_name=actor.display_name,
        data={"paused": paused}))
    return profile
