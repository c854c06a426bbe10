"""The audit log as the viewer and its CSV show it, translated. No reflex."""

from __future__ import annotations

import json
from typing import Any

from heurecivique_app.domain.event_kinds import EventKind
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_datetime_short, translate
from heurecivique_app.services.audit_log import AuditLine

SYSTEM_NAME = N_("The app (scheduled job)")


def _detail(detail: dict) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else ""


def audit_row(line: AuditLine, locale: str, timezone: str) -> dict[str, str]:
    """One entry of the viewer."""
    return {"id": str(line.id), "when": format_datetime_short(line.at, locale, timezone),
            "who": line.actor_name or translate(SYSTEM_NAME, locale), "action": line.action,
            "entity": line.entity, "entity_id": str(line.entity_id or ""),
            "detail": _detail(line.detail)}


def audit_table(lines: list[AuditLine], locale: str, timezone: str
                ) -> tuple[list[str], list[list[Any]]]:
    """The entries as a translated table, for the CSV export."""
    headers = [translate(h, locale) for h in (N_("When"), N_("Who"), N_("Action"),
                                              N_("Entity"), N_("Number"), N_("Detail"))]
    rows = [[r["when"], r["who"], r["action"], r["entity"], r["entity_id"], r["detail"]]
            for r in (audit_row(line, locale, timezone) for line in lines)]
    return headers, rows


def action_options() -> list[dict[str, str]]:
    """Every action the log may hold, for the filter (codes: they are the log's own words)."""
    return [{"id": kind.value, "name": kind.value} for kind in EventKind]
