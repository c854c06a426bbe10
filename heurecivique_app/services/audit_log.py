"""Reading the audit log: the commune's staff see who did what, when, with filters.

Only entries of the actor's commune; the filters come from a form or a URL's
query and are checked like any input (a bad one: ValidationFailed, nothing read).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from heurecivique_app.domain.event_kinds import EventKind
from heurecivique_app.domain.models import AuditEntry, User
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import FieldError, FormCheck, form_id
from heurecivique_app.services.actor import Actor, require_staff

MAX_ROWS = 500
# Who may appear as "who" in the filter: the "system" (the purge) has no account.
SYSTEM = "system"


@dataclass(frozen=True)
class AuditFilter:
    """Checked filters of the audit log (None: any)."""

    action: str | None = None
    actor_id: int | None = None
    system_only: bool = False
    entity: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as a URL's query (for the CSV link), empty ones left out."""
        values = {"action": self.action or "",
                  "who": SYSTEM if self.system_only else str(self.actor_id or ""),
                  "entity": self.entity or "",
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else ""}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class AuditLine:
    """One entry as the viewer shows it."""

    id: int
    at: datetime
    actor_name: str  # "" for the system
    action: str
    entity: str
    entity_id: int | None
    detail: dict


def _text(data: Mapping[str, object], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise FieldError(N_("Enter a valid date.")) from exc


def parse_filter(data: Mapping[str, object]) -> AuditFilter:
    """The filters typed in the form or the URL.

    Raises:
        ValidationFailed: an unknown action, person or date; the message names the field.
    """
    check = FormCheck()

    def action() -> str | None:
        text = _text(data, "action")
        if text and text not in {k.value for k in EventKind}:
            raise FieldError(N_("Choose a value from the list."))
        return text or None

    def who() -> tuple[int | None, bool]:
        text = _text(data, "who")
        if text == SYSTEM:
            return None, True
        if not text:
            return None, False
        person = form_id(text)
        if person is None:
            raise FieldError(N_("Choose a value from the list."))
        return person, False

    def entity() -> str | None:
        text = _text(data, "entity")
        if text and (len(text) > 32 or not text.replace("_", "").isalpha()):
            raise FieldError(N_("Choose a value from the list."))
        return text or None

    check.take("action", action)
    check.take("who", who)
    check.take("entity", entity)
    check.take("from", lambda: _day(_text(data, "from")))
    check.take("to", lambda: _day(_text(data, "to")))
    clean = check.result()
    if clean["from"] and clean["to"] and clean["from"] > clean["to"]:
        check.errors["to"] = N_("The end date is before the start date.")
        check.result()
    actor_id, system_only = clean["who"]
    return AuditFilter(action=clean["action"], actor_id=actor_id, system_only=system_only,
                       entity=clean["entity"], date_from=clean["from"], date_to=clean["to"])


def audit_entries(session: Session, *, actor: Actor, wanted: AuditFilter, timezone: str,
                  limit: int = MAX_ROWS) -> list[AuditLine]:
    """The commune's audit entries that match, newest first (staff only).

    Dates are the commune's local days (``timezone``), both ends included.
    """
    require_staff(actor, actor.commune_id)
    zone = ZoneInfo(timezone)
    query = (select(AuditEntry, User.display_name)
             .join(User, User.id == AuditEntry.actor_id, isouter=True)
             .where(AuditEntry.commune_id == actor.commune_id))
    if wanted.action:
        query = query.where(AuditEntry.action == wanted.action)
    if wanted.system_only:
        query = query.where(col(AuditEntry.actor_id).is_(None))
    elif wanted.actor_id:
        query = query.where(AuditEntry.actor_id == wanted.actor_id)
    if wanted.entity:
        query = query.where(AuditEntry.entity == wanted.entity)
    if wanted.date_from:
        query = query.where(AuditEntry.at >= datetime.combine(wanted.date_from, time(),
                                                              tzinfo=zone))
    if wanted.date_to:
        query = query.where(AuditEntry.at < datetime.combine(
            wanted.date_to + timedelta(days=1), time(), tzinfo=zone))
    rows = session.exec(query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
                        .limit(limit)).all()
    return [AuditLine(id=entry.id or 0, at=entry.at, actor_name=name or "",
                      action=entry.action, entity=entry.entity, entity_id=entry.entity_id,
                      detail=entry.detail or {}) for entry, name in rows]


def audit_people(session: Session, *, actor: Actor) -> list[tuple[int, str]]:
    """The commune's people who appear in its audit log, by name (the "who" filter)."""
    require_staff(actor, actor.commune_id)
    ids = select(AuditEntry.actor_id).where(AuditEntry.commune_id == actor.commune_id,
                                            col(AuditEntry.actor_id).is_not(None)).distinct()
    rows = session.exec(select(User.id, User.display_name).where(
        col(User.id).in_(ids), User.commune_id == actor.commune_id)
        .order_by(User.display_name)).all()
    return [(uid, name) for uid, name in rows if uid is not None]
