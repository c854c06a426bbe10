"""The referent's console: follow the commune's missions live (intake: state/intake.py)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.text import N_
from heurecivique_app.presenters.missions import console_vars
from heurecivique_app.realtime.channels import console_channel
from heurecivique_app.realtime.live import live
from heurecivique_app.services.missions import lifecycle
from heurecivique_app.state.base import STAFF, AppState


class ConsoleState(AppState):
    # Broadcast to every console of the commune (see realtime/live.py).
    missions: list[dict[str, str]] = []
    waiting: list[dict[str, str]] = []
    activity: list[dict[str, str]] = []
    today: list[dict[str, str]] = []
    followups: list[dict[str, str]] = []
    pending_volunteers: list[dict[str, str]] = []
    new_reports: list[dict[str, str]] = []
    live_version: str = ""

    def _reload(self, actor) -> None:
        with self._unit_of_work() as session:
            shared = console_vars(session, actor.commune_id, self.locale,
                                  self._settings.timezone)
        self.missions = shared["missions"]
        self.waiting = shared["waiting"]
        self.activity = shared["activity"]
        for name in ("today", "followups", "pending_volunteers", "new_reports"):
            setattr(self, name, shared[name])

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(STAFF)
        if redirect is not None:
            return redirect
        self._reload(actor)
        live.watch(self.router.session.session_id, {console_channel(actor.commune_id)},
                   self.locale)

    def _mission_action(self, action, mission_id: str):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        try:
            with self._unit_of_work() as session:
                action(session, actor=actor, mission_id=int(mission_id))
        except (DomainError, ValueError) as error:
            message = error.message if isinstance(error, DomainError) else N_(
                "This item no longer exists.")
            return rx.toast.error(self._tr(message))
        self._reload(actor)

    @rx.event
    def publish(self, mission_id: str):
        return self._mission_action(lifecycle.publish_mission, mission_id)

    @rx.event
    def mark_done(self, mission_id: str):
        tz = self._settings.timezone
        return self._mission_action(
            lambda s, actor, mission_id: lifecycle.mark_done(
                s, actor=actor, mission_id=mission_id, timezone=tz),
            mission_id,
        )
