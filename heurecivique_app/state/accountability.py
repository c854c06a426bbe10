"""/console/audit (the audit log) and /console/privacy (retention, registers): staff only."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text
from heurecivique_app.presenters.audit import AuditRow, action_options, audit_row, people_options
from heurecivique_app.presenters.counts import count_line
from heurecivique_app.presenters.options import Option
from heurecivique_app.presenters.register import (
    ErasureLine,
    PurgeRunRow,
    RegisterRow,
    erasure_line,
    purge_run_row,
    register_rows,
)
from heurecivique_app.services import audit_log, register, retention
from heurecivique_app.state.base import AppState, page_load, staff_only

FILTER_KEYS = ("action", "who", "entity", "from", "to")


class AuditState(AppState):
    """The commune's audit log, filtered; filled only for its staff."""

    rows: list[AuditRow] = []
    count_text: str = ""
    action_options: list[Option] = []
    people_options: list[Option] = []
    field_errors: dict[str, str] = {}
    csv_href: str = "/api/audit.csv"

    def _search(self, actor, data) -> None:
        tz = self._settings.timezone
        try:
            wanted = audit_log.parse_filter(data)
        except ValidationFailed as error:
            self.field_errors = self._field_errors(error)
            return
        self.field_errors = {}
        with self._unit_of_work() as session:
            lines = audit_log.audit_entries(session, actor=actor, wanted=wanted, timezone=tz)
            people = audit_log.audit_people(session, actor=actor)
        self.rows = [audit_row(line, self.locale, tz) for line in lines]
        self.count_text = count_line(N_("{count} entry(ies)"), len(lines), len(lines),
                                     self.locale)
        self.people_options = people_options(people, self.locale)
        query = wanted.as_query()
        self.csv_href = "/api/audit.csv" + (f"?{urlencode(query)}" if query else "")

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.action_options = action_options()
        params = self.router.page.params
        self._search(actor, {k: params.get(k, "") for k in FILTER_KEYS})

    @rx.event
    @staff_only
    def apply(self, actor, form_data: dict):
        self._search(actor, {k: form_text(form_data, k) for k in FILTER_KEYS})


class PrivacyState(AppState):
    """Retention periods, the register of processings, erasure requests and purge runs."""

    days: str = ""
    months: str = ""
    is_default: bool = True
    register_rows: list[RegisterRow] = []
    erasures: list[ErasureLine] = []
    runs: list[PurgeRunRow] = []
    field_errors: dict[str, str] = {}
    message: str = ""
    form_key: int = 0

    def _reload(self, actor) -> None:
        settings, tz = self._settings, self._settings.timezone
        with self._unit_of_work() as session:
            policy = retention.retention_of(session, actor.commune_id)
            processings = register.commune_register(
                session, actor=actor, contact_visible_hours=settings.contact_visible_hours_after,
                session_hours=settings.session_ttl_hours,
                charter_version=settings.charter_version)
            erasures = retention.erasure_register(session, actor=actor)
            runs = retention.purge_runs(session, actor=actor)
        self.days, self.months = str(policy.mission_contact_days), str(policy.inactive_months)
        self.is_default = policy.is_default
        self.register_rows = register_rows(processings, self.locale)
        self.erasures = [erasure_line(e, self.locale, tz) for e in erasures]
        self.runs = [purge_run_row(r, self.locale, tz) for r in runs]

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.field_errors, self.message = {}, ""
        self._reload(actor)

    @rx.event
    @staff_only
    def save_retention(self, actor, form_data: dict):
        done = self._run(lambda s: retention.update_retention(
            s, actor=actor, mission_contact_days=form_text(form_data, "mission_contact_days"),
            inactive_months=form_text(form_data, "inactive_months")))
        self.field_errors = done.fields
        if not done.ok:
            self.message = done.text
            return
        self.message = self._tr(N_("The retention periods are saved."))
        self.form_key += 1
        self._reload(actor)
