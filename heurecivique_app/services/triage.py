"""The referent's triage queue of relay reports.

Each report in the queue can be turned into a mission draft, forwarded to the
town's technical services by e-mail, exported as CSV, or closed with an answer
that the relay sees on their phone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from heurecivique_app.adapters.spreadsheets import to_csv
from heurecivique_app.domain import events
from heurecivique_app.domain.community import (
    IssueCategory,
    RelayReport,
    ReportKind,
    ReportStatus,
)
from heurecivique_app.domain.enums import Category, Channel, MissionKind, MissionStatus
from heurecivique_app.domain.errors import InvalidTransition, NotFound, ValidationFailed
from heurecivique_app.domain.models import Mission, Neighbourhood, User
from heurecivique_app.domain.notifications import DEFAULT_TIMEZONE, MessageKind
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    known_id,
    optional_text,
    required_text,
)
from heurecivique_app.services import notices, notifications
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit
from heurecivique_app.services.relays import commune_reports

# Which kind of collective action usually answers an issue; the referent edits the draft.
ISSUE_TO_MISSION_CATEGORY = {
    IssueCategory.COMFORT: Category.CLEANUP,
    IssueCategory.HEALTH: Category.VISIT,
    IssueCategory.SAFETY: Category.COLLECTIVE_EVENT,
}

_NEXT: dict[str, set[str]] = {
    ReportStatus.NEW: {ReportStatus.MISSION, ReportStatus.FORWARDED, ReportStatus.CLOSED},
    ReportStatus.MISSION: {ReportStatus.CLOSED},
    ReportStatus.FORWARDED: {ReportStatus.CLOSED},
    ReportStatus.CLOSED: set(),
}

def _report(session: Session, actor: Actor, report_id: int) -> RelayReport:
    report = session.get(RelayReport, known_id(report_id))
    if report is None or not actor.sees(report.commune_id):
        raise NotFound()
    require_staff(actor, report.commune_id)
    return report


def _move(session: Session, actor: Actor, report: RelayReport, status: str,
          **detail: object) -> None:
    if status not in _NEXT[report.status]:
        raise InvalidTransition(N_("This report has already been dealt with."))
    before = report.status
    report.status = status
    report.updated_at = utcnow()
    session.add(report)
    session.flush()
    audit(session, actor=actor, action=f"report.{status}", entity="relay_report",
          entity_id=report.id, commune_id=report.commune_id, before=before, **detail)
    events.record(session, events.DomainEvent(
        kind=f"report.{status}", commune_id=report.commune_id,
        actor_name=actor.display_name, data={"title": report.title},
    ))


def turn_into_mission(
    session: Session, *, actor: Actor, report_id: int, timezone: str
) -> Mission:
    """Make the report a mission draft the referent completes and publishes from the console.

    A need already has its draft (written when the relay reported it); an issue
    gets a collective mission draft in its neighbourhood, a week ahead.
    """
    report = _report(session, actor, report_id)
    if report.mission_id is not None:
        mission = session.get(Mission, report.mission_id)
        assert mission is not None
    else:
        hood = session.get(Neighbourhood, report.neighbourhood_id)
        assert hood is not None
        day = (utcnow().astimezone(ZoneInfo(timezone)) + timedelta(days=7)).date()
        starts = datetime.combine(day, time(10, 0), tzinfo=ZoneInfo(timezone))
        mission = Mission(
            commune_id=report.commune_id, neighbourhood_id=hood.id,
            kind=MissionKind.COLLECTIVE,
            category=ISSUE_TO_MISSION_CATEGORY.get(report.category, Category.CLEANUP),
            title=report.title, description=report.description, channel=Channel.RELAY,
            capacity=2, status=MissionStatus.DRAFT,
            approx_lat=report.lat if report.lat is not None else hood.lat,
            approx_lon=report.lon if report.lon is not None else hood.lon,
            exact_address=hood.name, starts_at=starts, duration_minutes=60,
            created_by_id=actor.user_id,
        )
        session.add(mission)
        session.flush()
        report.mission_id = mission.id
        audit(session, actor=actor, action="need.created", entity="mission",
              entity_id=mission.id, commune_id=report.commune_id, channel=Channel.RELAY,
              published=False)
    _move(session, actor, report, ReportStatus.MISSION, mission_id=mission.id)
    return mission


def forward(session: Session, *, actor: Actor, report_id: int, note: str, to: str,
            timezone: str = DEFAULT_TIMEZONE) -> RelayReport:
    """Send the report to the technical services; ``note`` is also the relay's answer.

    The e-mail is a job of the same transaction (sent by the job runner after
    commit): a report marked forwarded is always mailed, and never twice.
    """
    report = _report(session, actor, report_id)
    if report.kind != ReportKind.ISSUE:
        # A neighbour's need is personal: it stays with the CCAS.
        raise InvalidTransition(N_("Only neighbourhood issues go to the technical services."))
    try:
        note = optional_text(note, max_length=1000)
    except FieldError as exc:
        raise ValidationFailed({"answer": exc.message}, params={"answer": exc.params}) from exc
    hood = session.get(Neighbourhood, report.neighbourhood_id)
    relay = session.get(User, report.relay_id)
    place = hood.name if hood else ""
    if report.lat is not None and report.lon is not None:
        place += f" ({report.lat:.5f}, {report.lon:.5f})"
    # The move comes first: if the report was already handled, nothing is sent.
    report.answer = note
    _move(session, actor, report, ReportStatus.FORWARDED, to=to)
    notifications.notify_address(
        session, kind=MessageKind.REPORT_FORWARD, event=f"report.forwarded:{report.id}", to=to,
        params={"report_id": report.id, "title": report.title, "category": report.category,
                "place": place, "relay": relay.display_name if relay else "",
                "created_at": report.created_at.isoformat(), "description": report.description,
                "note": note},
        commune=notifications.commune_look(session, report.commune_id),
        attachments=[report.photo_name] if report.photo_name else [])
    if note:
        _answer_relay(session, report, timezone)
    return report


def _answer_relay(session: Session, report: RelayReport, timezone: str) -> None:
    notices.report_answered(session, report_id=report.id or 0, relay_id=report.relay_id,
                            commune_id=report.commune_id, title=report.title,
                            answer=report.answer, status=report.status, timezone=timezone)


def close(session: Session, *, actor: Actor, report_id: int, answer: str,
          timezone: str = DEFAULT_TIMEZONE) -> RelayReport:
    """Close the report with an answer the relay reads (and is e-mailed)."""
    report = _report(session, actor, report_id)
    try:
        text = required_text(answer, max_length=1000)
    except FieldError as exc:
        raise ValidationFailed({"answer": exc.message}, params={"answer": exc.params}) from exc
    report.answer = text
    _move(session, actor, report, ReportStatus.CLOSED)
    _answer_relay(session, report, timezone)
    return report


CSV_COLUMNS = ("id", "date", "neighbourhood", "kind", "category", "title", "description",
               "status", "answer", "lat", "lon", "relay")


def export_csv(session: Session, *, actor: Actor) -> bytes:
    """The commune's reports as CSV, through the one CSV writer of the exports.

    Semicolons, a BOM, typed formulas kept as text (adapters.spreadsheets).
    """
    rows = [[v.id, v.created_at.strftime("%Y-%m-%d %H:%M"), v.neighbourhood_name, v.kind,
             v.category, v.title, v.description, v.status, v.answer, v.lat, v.lon,
             v.relay_name]
            for v in commune_reports(session, actor=actor, limit=10_000)]
    audit(session, actor=actor, action="report.exported", entity="relay_report",
          entity_id=None, commune_id=actor.commune_id)
    return to_csv(CSV_COLUMNS, rows)
