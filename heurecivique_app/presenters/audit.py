"""The audit log as the viewer and its CSV show it, translated. No reflex."""

from __future__ import annotations

import json
from typing import Any, TypedDict

from heurecivique_app.domain.event_kinds import EventKind
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_datetime_short, translate
from heurecivique_app.presenters.options import Option, option
from heurecivique_app.services.audit_log import AuditLine

SYSTEM_NAME = N_("The app (scheduled job)")


def _detail(detail: dict) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else ""


class AuditRow(TypedDict):
    """One entry of the audit log viewer (staff only)."""

    id: str
    when: str
    who: str  # the actor's name, or the app for a scheduled job
    action: str  # the event kind's code
    entity: str
    entity_id: str
    detail: str  # the entry's detail as JSON, "" when none


def audit_row(line: AuditLine, locale: str, timezone: str) -> AuditRow:
    """One entry of the viewer."""
    return AuditRow(id=str(line.id), when=format_datetime_short(line.at, locale, timezone),
                    who=line.actor_name or translate(SYSTEM_NAME, locale), action=line.action,
                    entity=line.entity, entity_id=str(line.entity_id or ""),
                    detail=_detail(line.detail))


def audit_table(lines: list[AuditLine], locale: str, timezone: str
                ) -> tuple[list[str], list[list[Any]]]:
    """The entries as a translated table, for the CSV export."""
    headers = [translate(h, locale) for h in (N_("When"), N_("Who"), N_("Action"),
                                              N_("Entity"), N_("Number"), N_("Detail"))]
    rows = [[r["when"], r["who"], r["action"], r["entity"], r["entity_id"], r["detail"]]
            for r in (audit_row(line, locale, timezone) for line in lines)]
    return headers, rows


def action_options() -> list[Option]:
    """Every action the log may hold, for the filter (codes: they are the log's own words)."""
    return [Option(id=kind.value, name=kind.value) for kind in EventKind]


def people_options(people: list[tuple[int, str]], locale: str) -> list[Option]:
    """Who may have acted, for the filter: the app's scheduled jobs first, then each person."""
    return [Option(id="system", name=translate(SYSTEM_NAME, locale)),
            *(option(person_id, name) for person_id, name in people)]
