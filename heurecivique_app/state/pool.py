"""/console/volunteers and /console/volunteers/[id]: the commune's volunteer pool."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.form_data import ticked
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_id, form_text
from heurecivique_app.presenters.counts import count_line
from heurecivique_app.presenters.emails import MailProblemRow, problem_rows
from heurecivique_app.presenters.options import Option
from heurecivique_app.presenters.pool import (
    ParticipationRow,
    PoolListRow,
    VolunteerDetail,
    pool_row,
    record_vars,
)
from heurecivique_app.services import notifications, pool, volunteering
from heurecivique_app.state.base import AppState, page_load, staff_only
from heurecivique_app.state.staff import StaffPageState


class PoolState(AppState):
    """The list and its search (what any referent of the commune may see)."""

    rows: list[PoolListRow] = []
    count_text: str = ""
    neighbourhood_options: list[Option] = []
    field_errors: dict[str, str] = {}  # only for a value the page's lists never offer

    def _search(self, actor, wanted: pool.PoolFilter) -> None:
        done = self._run(lambda s: pool.search_pool(s, actor=actor, wanted=wanted,
                                                    timezone=self._settings.timezone))
        self.field_errors = done.fields
        rows, total = done.value if done.ok else ([], 0)
        self.rows = [pool_row(row, self.locale) for row in rows]
        self.count_text = count_line(N_("Volunteers found: {count}"), total, len(rows),
                                     self.locale)

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.neighbourhood_options = self._neighbourhood_options(actor.commune_id)
        status = self.router.page.params.get("status", "")
        self._search(actor, pool.PoolFilter(status=status if isinstance(status, str) else ""))

    @rx.event
    @staff_only
    def search(self, actor, form_data: dict):
        text = {key: form_text(form_data, key) for key in
                ("text", "skill", "neighbourhood_id", "day", "part", "status")}
        self._search(actor, pool.PoolFilter(
            text=text["text"], skill=text["skill"], day=text["day"], part=text["part"],
            status=text["status"], neighbourhood_id=form_id(text["neighbourhood_id"])))


class VolunteerState(StaffPageState):
    """One volunteer's record; filled only after the server checked the commune."""

    volunteer: VolunteerDetail = {}
    # The referent's interview notes: read only by this commune's staff (this page).
    note: str = ""
    history: list[ParticipationRow] = []
    # E-mails to this volunteer that failed (the address refused, the server down).
    mail_problems: list[MailProblemRow] = []
    field_errors: dict[str, str] = {}
    form_message: str = ""
    found: bool = False
    _volunteer_id: int = 0

    def _reload(self, actor) -> None:
        with self._unit_of_work() as session:
            record = pool.volunteer_record(session, actor=actor, volunteer_id=self._volunteer_id,
                                           timezone=self._settings.timezone)
            problems = notifications.delivery_problems(session, actor=actor,
                                                       user_id=self._volunteer_id)
        self.mail_problems = problem_rows(problems, self.locale, self._settings.timezone)
        shown = record_vars(record, self.locale, self._settings.timezone)
        self.volunteer, self.note, self.history = (shown["volunteer"], shown["note"],
                                                   shown["history"])
        self.found = True

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.found, self.volunteer, self.note, self.history = False, {}, "", []
        self.mail_problems = []
        self.field_errors, self.form_message = {}, ""
        self._open_record(actor, "volunteer_id", "_volunteer_id")

    @rx.event
    @staff_only
    def validate(self, actor, form_data: dict):
        done = self._run(lambda s: pool.validate_volunteer(
            s, actor=actor, volunteer_id=self._volunteer_id,
            charter_checked=ticked(form_data, "charter"),
            note=form_text(form_data, "validation_note"),
            charter_version=self._settings.charter_version, timezone=self._settings.timezone))
        if isinstance(done.error, ValidationFailed):
            self.field_errors, self.form_message = done.fields, done.text
            return None
        if not done.ok:
            return done.toast()
        self.field_errors, self.form_message = {}, self._tr(N_("The volunteer is now active."))
        self._reload(actor)
        return None

    def _set_paused(self, actor, paused: bool):
        done = self._run(lambda s: volunteering.set_paused(
            s, actor=actor, volunteer_id=self._volunteer_id, paused=paused))
        if not done.ok:
            return done.toast()
        self._reload(actor)
        return None

    @rx.event
    @staff_only
    def pause(self, actor):
        return self._set_paused(actor, True)

    @rx.event
    @staff_only
    def resume(self, actor):
        return self._set_paused(actor, False)
