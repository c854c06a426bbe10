"""After a mission, the volunteer's own account of it.

It took place, the time given, feedback, maybe a problem for the referent.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from heurecivique_app.domain.enums import MissionKind, MissionStatus, ParticipationStatus
from heurecivique_app.domain.errors import DomainError, NotAllowed
from heurecivique_app.domain.hours import TIME_GIVEN_RANGE, month_key
from heurecivique_app.domain.models import HourEntry, Mission, Participation
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import FormCheck, optional_text, whole_number
from heurecivique_app.services import notices
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.missions.base import (
    NOT_STARTED,
    mission_in_commune,
    participation_of,
    tell_referent,
)
from heurecivique_app.services.missions.lifecycle import mark_done


@dataclass
class Confirmation:
    """The confirmation form, as typed."""

    minutes: str = "60"
    feedback: str = ""
    problem: str = ""


def confirm(session: Session, *, actor: Actor, mission_id: int, form: Confirmation,
            timezone: str) -> Participation:
    """After the mission: it took place, the time spent, feedback, maybe a problem.

    The time reaches "my hour" through the ledger: the first confirmation marks
    an individual mission done (crediting every accepted volunteer, see
    :func:`.lifecycle.mark_done`). A collective action is marked done by the referent's
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
    mission = mission_in_commune(session, actor, mission_id)
    mine = participation_of(session, mission_id, actor.user_id)
    if mine is None or mine.status != ParticipationStatus.ACCEPTED:
        raise NotAllowed()
    if mine.confirmed_at is not None:
        raise DomainError(N_("You have already confirmed this mission. Thank you!"))
    if utcnow() < mission.starts_at:
        raise DomainError(NOT_STARTED)
    collective = mission.kind == MissionKind.COLLECTIVE
    if mission.status in (MissionStatus.OPEN, MissionStatus.FULL):
        if collective:  # one volunteer must not mark it done for everyone, no-shows included
            raise DomainError(N_("The referent records who came to a collective action on "
                                 "the day; you can add your account once that is done."))
        mark_done(session, actor=actor, mission_id=mission_id, timezone=timezone,
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
    tell_referent(session, "participation.confirmed", mission, actor, minutes=clean["minutes"])
    if clean["problem"]:
        tell_referent(session, "participation.problem", mission, actor,
                      problem=clean["problem"])
        notices.problem_reported(session, mission=mission, participation_id=mine.id or 0,
                                 volunteer=actor.display_name, problem=clean["problem"],
                                 timezone=timezone)
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
