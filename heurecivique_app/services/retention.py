"""Personal data's lifecycle: each commune's retention periods, the purge, erasure on request.

The purge (:func:`purge`) is run once a day by the job runner (``jobs.kinds``:
``retention.purge``). It is idempotent: what it erased is marked
(``Mission.purged_at``, ``Beneficiary.contact_erased_at`` / ``pseudonymised_at``),
so a second run on the same day erases nothing more, and each run is logged in
``purge_run`` and, per commune that had something erased, in the audit log.

What is erased and when (defaults in :mod:`domain.privacy`):

- ``mission_contact_days`` after a mission closed: its exact address and point,
  the notes written about it (the volunteers' feedback, problems and reasons,
  the follow-up's incident), the point of the relay report it came from; and,
  once every mission of the beneficiary is so purged, the beneficiary's phone,
  address and access notes;
- after ``inactive_months`` without activity: the beneficiary's name becomes its
  initials, their contact and notes are erased. Missions, hours and follow-up
  figures stay: the statistics never needed the person.

The messages about those missions go too. A finished delivery job (an e-mail or a
push sent, or given up) is deleted ``FINISHED_JOB_DAYS`` after it finished, the
shortest period a commune may choose: its payload holds what the message said (the
morning summary lists beneficiaries' names and phones). Other jobs stay: a
recurring run's row (its key names the day or the month) is what keeps a worker
starting later from running that day's or month's run again. A notification-centre
item goes after its reader's commune's ``mission_contact_days`` (a withdrawal's
reason, a volunteer's name).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select, update

from heurecivique_app.domain.community import RelayReport
from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.domain.followup import MissionFollowUp
from heurecivique_app.domain.inbox import InboxItem
from heurecivique_app.domain.models import Beneficiary, Mission, Participation, User
from heurecivique_app.domain.notifications import Job, JobStatus
from heurecivique_app.domain.privacy import (
    CLOSED_STATUSES,
    DEFAULT_INACTIVE_MONTHS,
    DEFAULT_MISSION_CONTACT_DAYS,
    ERASURE_CHANNEL_LABELS,
    INACTIVE_MONTHS_RANGE,
    MISSION_CONTACT_DAYS_RANGE,
    CommuneRetention,
    ErasureChannel,
    ErasureRequest,
    PurgeRun,
    inactive_before,
    initials,
    mission_closed_at,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    known_id,
    one_of,
    whole_number,
)
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit
from heurecivique_app.services.notifications import SEND_EMAIL
from heurecivique_app.services.push import SEND_PUSH

log = logging.getLogger(__name__)

UNDER_WAY = (MissionStatus.DRAFT, MissionStatus.OPEN, MissionStatus.FULL)
STILL_UNDER_WAY = N_(
    "This person still has {count} need(s) under way: cancel them or close them first, "
    "then erase the record."
)
ALREADY_ERASED = N_("This record has already been erased.")


@dataclass(frozen=True)
class RetentionPolicy:
    """A commune's retention periods, and whether they are the documented defaults."""

    mission_contact_days: int = DEFAULT_MISSION_CONTACT_DAYS
    inactive_months: int = DEFAULT_INACTIVE_MONTHS
    is_default: bool = True


def retention_of(session: Session, commune_id: int) -> RetentionPolicy:
    """The commune's periods (the defaults when it chose none)."""
    row = session.get(CommuneRetention, commune_id)
    if row is None:
        return RetentionPolicy()
    return RetentionPolicy(row.mission_contact_days, row.inactive_months, is_default=False)


def update_retention(session: Session, *, actor: Actor, mission_contact_days: object,
                     inactive_months: object) -> RetentionPolicy:
    """Set the actor's commune's periods (staff only), within the allowed bounds.

    Raises:
        NotAllowed: not staff of a commune.
        ValidationFailed: a period is not a whole number within its bounds; nothing written.
    """
    require_staff(actor, actor.commune_id)
    check = FormCheck()
    low, high = MISSION_CONTACT_DAYS_RANGE
    check.take("mission_contact_days",
               lambda: whole_number(mission_contact_days, low=low, high=high))  # type: ignore[arg-type]
    low_m, high_m = INACTIVE_MONTHS_RANGE
    check.take("inactive_months",
               lambda: whole_number(inactive_months, low=low_m, high=high_m))  # type: ignore[arg-type]
    clean = check.result()
    row = session.get(CommuneRetention, actor.commune_id) or CommuneRetention(
        commune_id=actor.commune_id)
    before = retention_of(session, actor.commune_id)
    row.mission_contact_days = clean["mission_contact_days"]
    row.inactive_months = clean["inactive_months"]
    row.updated_by_id = actor.user_id
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit(session, actor=actor, action="retention.updated", entity="commune",
          entity_id=actor.commune_id, commune_id=actor.commune_id,
          before=[before.mission_contact_days, before.inactive_months],
          after=[row.mission_contact_days, row.inactive_months])
    return retention_of(session, actor.commune_id)


# --- the purge ---------------------------------------------------------------------------


CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's limits


def purge_missions(session: Session, missions: list[Mission], now: datetime) -> None:
    """Erase these missions' exact places and the notes written about them (idempotent).

    The notes are erased by one UPDATE per table and chunk of ids, not through the
    ORM: the session's rows are expired afterwards, so nothing stale is read back.
    """
    for mission in missions:
        if mission.beneficiary_id is not None:
            # A collective action's place is public; a beneficiary's is their home.
            mission.exact_address = ""
            mission.exact_lat = None
            mission.exact_lon = None
        mission.purged_at = now
        session.add(mission)
    session.flush()
    ids = [m.id for m in missions]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for statement in (
            update(Participation).where(col(Participation.mission_id).in_(chunk))
            .values(feedback="", problem="", reason=""),
            update(MissionFollowUp).where(col(MissionFollowUp.mission_id).in_(chunk))
            .values(incident=""),
            update(RelayReport).where(col(RelayReport.mission_id).in_(chunk))
            .values(lat=None, lon=None),
        ):
            session.execute(statement.execution_options(synchronize_session=False))
    if ids:
        session.expire_all()


def _has_contact(person: Beneficiary) -> bool:
    return bool(person.phone or person.address or person.access_notes)


def _erase_contact(person: Beneficiary, now: datetime) -> None:
    person.phone = None
    person.address = ""
    person.access_notes = ""
    person.contact_erased_at = now


def pseudonymise(session: Session, person: Beneficiary, now: datetime) -> None:
    """Initials only, contact and notes erased, every mission purged (the figures stay)."""
    person.full_name = initials(person.full_name)
    person.notes = ""
    _erase_contact(person, now)
    person.pseudonymised_at = now
    session.add(person)
    purge_missions(session, list(session.exec(select(Mission).where(
        Mission.beneficiary_id == person.id, col(Mission.purged_at).is_(None))).all()), now)


def _policies(session: Session) -> dict[int, RetentionPolicy]:
    return {row.commune_id: RetentionPolicy(row.mission_contact_days, row.inactive_months,
                                            is_default=False)
            for row in session.exec(select(CommuneRetention)).all()}


# A delivery's payload is of no use once sent; kept a little for the record of a
# failed delivery, never longer than the shortest period a commune may choose.
FINISHED_JOB_DAYS = MISSION_CONTACT_DAYS_RANGE[0]
FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.SKIPPED)
DELIVERIES = (SEND_EMAIL, SEND_PUSH)


def forget_old_messages(session: Session, policies: dict[int, RetentionPolicy],
                        now: datetime) -> tuple[int, int]:
    """Delete finished delivery jobs and notification-centre items past their period.

    Returns:
        How many jobs and how many items were deleted.
    """
    jobs = session.execute(delete(Job).where(
        col(Job.kind).in_(DELIVERIES), col(Job.status).in_(FINISHED),
        col(Job.finished_at) < now - timedelta(days=FINISHED_JOB_DAYS))).rowcount
    items = 0
    own = {commune_id: p.mission_contact_days for commune_id, p in policies.items()}
    for commune_id, days in own.items():
        items += session.execute(delete(InboxItem).where(
            col(InboxItem.created_at) < now - timedelta(days=days),
            col(InboxItem.user_id).in_(select(User.id).where(User.commune_id == commune_id)),
        )).rowcount
    # Everyone else (communes with the default period, staff of no commune).
    others = select(User.id).where(or_(col(User.commune_id).is_(None),
                                       col(User.commune_id).not_in(list(own))))
    items += session.execute(delete(InboxItem).where(
        col(InboxItem.created_at) < now - timedelta(days=DEFAULT_MISSION_CONTACT_DAYS),
        col(InboxItem.user_id).in_(others))).rowcount
    return jobs, items


def purge(session: Session, *, now: datetime) -> PurgeRun:
    """Erase what each commune's periods say is due at ``now``; log the run.

    Safe to run any number of times: what was erased is marked and never counted again.
    """
    policies = _policies(session)
    default = RetentionPolicy()
    counts: dict[int, list[int]] = {}

    def count(commune_id: int, index: int) -> None:
        counts.setdefault(commune_id, [0, 0, 0])[index] += 1

    # No commune keeps less than the shortest period: older than that in SQL, the rest
    # (each commune's own period, the later of end and last change) in Python.
    soonest = now - timedelta(days=MISSION_CONTACT_DAYS_RANGE[0])
    closed = session.exec(select(Mission).where(
        col(Mission.status).in_([s.value for s in CLOSED_STATUSES]),
        col(Mission.purged_at).is_(None), Mission.starts_at <= soonest,
        Mission.updated_at <= soonest)).all()
    due = []
    for mission in closed:
        days = policies.get(mission.commune_id, default).mission_contact_days
        ended = mission_closed_at(mission.status, mission.starts_at, mission.duration_minutes,
                                  mission.updated_at)
        if ended is not None and ended <= now - timedelta(days=days):
            due.append(mission)
            count(mission.commune_id, 0)
    purge_missions(session, due, now)

    # Chosen by what they still hold, not by the marks: a person who came back (the
    # intake clears the marks) is purged again when their new needs are over.
    people = [p for p in session.exec(select(Beneficiary).where(or_(
        col(Beneficiary.pseudonymised_at).is_(None), col(Beneficiary.phone).is_not(None),
        Beneficiary.address != "", Beneficiary.access_notes != "", Beneficiary.notes != "",
    ))).all() if _has_contact(p) or p.notes or p.full_name != initials(p.full_name)]
    missions_of: dict[int, list[Mission]] = {}
    for mission in session.exec(select(Mission).where(
            col(Mission.beneficiary_id).in_([p.id for p in people]))).all():
        missions_of.setdefault(mission.beneficiary_id or 0, []).append(mission)
    for person in people:
        policy = policies.get(person.commune_id, default)
        theirs = missions_of.get(person.id or 0, [])
        if any(m.status not in CLOSED_STATUSES for m in theirs):
            continue  # help under way: nothing of theirs is due
        last = max([person.created_at, person.updated_at or person.created_at,
                    *(max(m.updated_at, m.starts_at + timedelta(minutes=m.duration_minutes))
                      for m in theirs)])
        if last < inactive_before(now, policy.inactive_months):
            pseudonymise(session, person, now)
            count(person.commune_id, 2)
        elif (_has_contact(person) and theirs
              and all(m.purged_at is not None for m in theirs)):
            _erase_contact(person, now)
            session.add(person)
            count(person.commune_id, 1)
    jobs, items = forget_old_messages(session, policies, now)
    run = PurgeRun(as_of=now, ran_at=utcnow(),
                   missions_purged=sum(c[0] for c in counts.values()),
                   contacts_erased=sum(c[1] for c in counts.values()),
                   beneficiaries_pseudonymised=sum(c[2] for c in counts.values()))
    session.add(run)
    session.flush()
    for commune_id, (missions, contacts, people_) in sorted(counts.items()):
        audit(session, actor=None, action="retention.purged", entity="purge_run",
              entity_id=run.id, commune_id=commune_id, missions=missions,
              contacts=contacts, pseudonymised=people_)
    log.info("retention: %s finished jobs and %s notification-centre items deleted",
             jobs, items)
    return run


def purge_runs(session: Session, *, actor: Actor, limit: int = 20) -> list[PurgeRun]:
    """The latest runs of the purge, newest first (staff only)."""
    require_staff(actor, actor.commune_id)
    return list(session.exec(select(PurgeRun).order_by(col(PurgeRun.id).desc())
                             .limit(limit)).all())


# --- erasure on request --------------------------------------------------------------------


def beneficiary_in_commune(session: Session, actor: Actor, beneficiary_id: object) -> Beneficiary:
    """The beneficiary, for staff of their commune (another commune's id: NotFound)."""
    person = session.get(Beneficiary, known_id(beneficiary_id))
    if person is None or not actor.sees(person.commune_id):
        raise NotFound()
    require_staff(actor, person.commune_id)
    return person


def _received_on(value: object, today: date) -> date:
    text = value.strip() if isinstance(value, str) else ""
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise FieldError(N_("Enter a date, e.g. 2026-12-31.")) from exc
    if day > today:
        raise FieldError(N_("The date cannot be in the future."))
    return day


def erase_on_request(session: Session, *, actor: Actor, beneficiary_id: object,
                     channel: object, received_on: object) -> ErasureRequest:
    """Erase a beneficiary's personal data now, at their request; note it in the register.

    The record keeps its initials and its missions' figures; the register and the
    audit log keep who carried it out and when.

    Raises:
        NotFound: no such beneficiary in the actor's commune.
        NotAllowed: not staff.
        ValidationFailed: the channel or the date is wrong; nothing written.
        DomainError: a need of theirs is still under way, or the record was erased.
    """
    person = beneficiary_in_commune(session, actor, beneficiary_id)
    now = utcnow()
    check = FormCheck()
    check.take("channel", lambda: one_of(channel, ErasureChannel,  # type: ignore[arg-type]
                                         N_("Choose how the request reached you.")))
    check.take("received_on", lambda: _received_on(received_on, now.date()))
    clean = check.result()
    if person.pseudonymised_at is not None:
        raise DomainError(ALREADY_ERASED)
    under_way = session.exec(select(Mission.id).where(
        Mission.beneficiary_id == person.id,
        col(Mission.status).in_([s.value for s in UNDER_WAY]))).all()
    if under_way:
        raise DomainError(STILL_UNDER_WAY, count=len(under_way))
    pseudonymise(session, person, now)
    request = ErasureRequest(
        commune_id=person.commune_id, beneficiary_id=person.id, channel=clean["channel"],
        received_at=datetime.combine(clean["received_on"], datetime.min.time(), tzinfo=now.tzinfo),
        done_at=now, done_by_id=actor.user_id)
    session.add(request)
    session.flush()
    audit(session, actor=actor, action="beneficiary.erased", entity="beneficiary",
          entity_id=person.id, commune_id=person.commune_id, request_id=request.id,
          channel=request.channel)
    return request


@dataclass(frozen=True)
class ErasureRow:
    """A line of the erasure register: no personal data, only the record's initials."""

    id: int
    beneficiary_id: int
    initials: str
    channel_label: str
    received_at: datetime
    done_at: datetime
    done_by: str


def erasure_register(session: Session, *, actor: Actor) -> list[ErasureRow]:
    """The commune's erasure requests, newest first (staff only)."""
    require_staff(actor, actor.commune_id)
    rows = session.exec(
        select(ErasureRequest, Beneficiary.full_name, User.display_name)
        .join(Beneficiary, Beneficiary.id == ErasureRequest.beneficiary_id)
        .join(User, User.id == ErasureRequest.done_by_id)
        .where(ErasureRequest.commune_id == actor.commune_id)
        .order_by(col(ErasureRequest.id).desc())).all()
    return [ErasureRow(r.id or 0, r.beneficiary_id, name,
                       ERASURE_CHANNEL_LABELS.get(r.channel, r.channel), r.received_at,
                       r.done_at, by) for r, name, by in rows]
