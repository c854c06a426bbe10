"""The referent's console: follow the commune's missions live (intake: state/intake.py)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.validation import known_id
from heurecivique_app.presenters.missions import (
    ActivityRow,
    MissionRow,
    NewReportRow,
    PendingVolunteerRow,
    WaitingRow,
    console_vars,
)
from heurecivique_app.presenters.options import Option, option
from heurecivique_app.realtime.channels import console_channel
from heurecivique_app.realtime.live import live
from heurecivique_app.services import auth
from heurecivique_app.services.actor import choose_commune, communes_in_reach
from heurecivique_app.services.missions import lifecycle
from heurecivique_app.state.base import AppState, page_load, staff_only


class ConsoleState(AppState):
    # Broadcast to every console of the commune (see realtime/live.py).
    missions: list[MissionRow] = []
    waiting: list[WaitingRow] = []
    activity: list[ActivityRow] = []
    today: list[MissionRow] = []
    followups: list[MissionRow] = []
    pending_volunteers: list[PendingVolunteerRow] = []
    new_reports: list[NewReportRow] = []
    # Each pane's count in all, formatted (presenters.missions.pane_count_texts).
    counts: dict[str, str] = {}
    live_version: str = ""
    # Coordinators and platform administrators: the communes they may work on (several),
    # and the one this login works on (kept on the server: services.actor.choose_commune).
    commune_choices: list[Option] = []
    commune_id: str = ""
    commune_error: str = ""

    def _reload(self, actor) -> None:
        with self._unit_of_work() as session:
            shared = console_vars(session, actor.commune_id, self.locale,
                                  self._settings.timezone)
        for name, value in shared.items():  # the same vars the live broadcast sets
            setattr(self, name, value)

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self._reload(actor)
        with self._unit_of_work() as session:
            choices = communes_in_reach(session, actor=actor)
        self.commune_choices = ([option(c.commune_id, c.name) for c in choices]
                                if len(choices) > 1 else [])
        self.commune_id = str(actor.commune_id)
        self.commune_error = ""
        live.watch(self.router.session.session_id, {console_channel(actor.commune_id)},
                   self.locale)

    @rx.event
    @staff_only
    def choose_commune(self, actor, form: dict):
        """Work on another commune of the coordinator's reach (checked by the service)."""
        digest = auth.session_digest(self._cookie(auth.SESSION_COOKIE) or "")
        wanted = form.get("commune") if isinstance(form, dict) else None
        done = self._run(lambda s: choose_commune(
            s, actor=actor, session_digest=digest, commune_id=known_id(wanted)))
        if not done.ok:
            self.commune_error = done.text
            return None
        # A full reload: every panel and the live channel follow the new commune.
        return rx.redirect("/console")

    def _mission_action(self, actor, action):
        done = self._run(action)
        if not done.ok:
            return done.toast()
        self._reload(actor)
        return None

    @rx.event
    @staff_only
    def publish(self, actor, mission_id: str):
        return self._mission_action(actor, lambda s: lifecycle.publish_mission(
            s, actor=actor, mission_id=known_id(mission_id)))

    @rx.event
    @staff_only
    def mark_done(self, actor, mission_id: str):
        return self._mission_action(actor, lambda s: lifecycle.mark_done(
            s, actor=actor, mission_id=known_id(mission_id), timezone=self._settings.timezone))
