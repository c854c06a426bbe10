"""The referent's console: take in a need, follow the commune's missions live."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import CATEGORY_LABELS, STAFF_ROLES, STATUS_LABELS
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.rules import IntakeAnswers
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_when
from heurecivique_app.realtime.channels import console_channel
from heurecivique_app.realtime.hub import hub
from heurecivique_app.services import intake, missions, selectors
from heurecivique_app.state.base import AppState

STAFF = {role.value for role in STAFF_ROLES}

ACTIVITY_TEXTS = {
    "need.created": N_("{actor} recorded the need “{title}”"),
    "mission.published": N_("{actor} published “{title}”"),
    "mission.accepted": N_("{actor} accepted “{title}”"),
    "mission.declined": N_("{actor} declined “{title}”"),
    "mission.done": N_("{actor} marked “{title}” as done"),
    "mission.cancelled": N_("{actor} cancelled “{title}”"),
}


def _ticked(form_data: dict, name: str) -> bool:
    return str(form_data.get(name, "")).lower() in {"on", "true", "1", "yes"}


class ConsoleState(AppState):
    neighbourhood_options: list[dict[str, str]] = []
    missions: list[dict[str, str]] = []
    activity: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    form_message: str = ""
    form_key: int = 0  # bumped to reset the intake form after a success

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            hoods = selectors.neighbourhoods(session, actor.commune_id)
            cards = selectors.console_missions(session, actor=actor, limit=50)
            feed = selectors.recent_activity(session, actor=actor)
        self.neighbourhood_options = [{"id": str(h.id), "name": h.name} for h in hoods]
        self.missions = [
            {
                "id": str(c.id),
                "title": c.title,
                "category": self._tr(CATEGORY_LABELS.get(c.category, c.category)),
                "status": c.status,
                "status_label": self._tr(STATUS_LABELS[c.status]),
                "when": format_when(c.starts_at, self.locale, tz),
                "neighbourhood": c.neighbourhood_name,
                "can_publish": "1" if c.status == "draft" else "",
                "can_close": "1" if c.status == "full" else "",
            }
            for c in cards
        ]
        self.activity = [
            {
                "text": self._tr(ACTIVITY_TEXTS.get(a.action, a.action),
                                 actor=a.actor_name, title=a.mission_title),
                "when": format_when(a.at, self.locale, tz),
            }
            for a in feed
            if a.action in ACTIVITY_TEXTS
        ]

    def _live_refresh(self) -> None:
        actor = self._actor()
        if actor is not None and actor.is_staff:
            self._reload(actor)

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(STAFF)
        if redirect is not None:
            return redirect
        self.field_errors = {}
        self.form_message = ""
        self._reload(actor)
        hub.watch(self.router.session.client_token, ConsoleState,
                  {console_channel(actor.commune_id)})

    def _staff(self):
        actor = self._actor()
        return actor if actor is not None and actor.is_staff else None

    @rx.event
    def submit_need(self, form_data: dict):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        form = intake.NeedForm(
            category=str(form_data.get("category", "")),
            title=str(form_data.get("title", "")),
            description=str(form_data.get("description", "")),
            neighbourhood_id=str(form_data.get("neighbourhood_id", "")),
            channel=str(form_data.get("channel", "")),
            beneficiary_name=str(form_data.get("beneficiary_name", "")),
            beneficiary_phone=str(form_data.get("beneficiary_phone", "")),
            address=str(form_data.get("address", "")),
            access_notes=str(form_data.get("access_notes", "")),
            consent=_ticked(form_data, "consent"),
            preferred_date=str(form_data.get("preferred_date", "")),
            preferred_time=str(form_data.get("preferred_time", "")),
            duration_minutes=str(form_data.get("duration_minutes", "")),
            answers=IntakeAnswers(
                replaces_professional=_ticked(form_data, "replaces_professional"),
                recurring=_ticked(form_data, "recurring"),
                urgent=_ticked(form_data, "urgent"),
                insurance_acknowledged=_ticked(form_data, "insurance_acknowledged"),
            ),
        )
        publish = _ticked(form_data, "publish")
        try:
            with self._unit_of_work() as session:
                intake.create_need(session, actor=actor, form=form, publish=publish,
                                   timezone=self._settings.timezone)
        except ValidationFailed as error:
            self.field_errors = self._field_errors(error)
            self.form_message = self._error_text(error)
            return
        self.field_errors = {}
        self.form_message = self._tr(
            N_("The mission is on its neighbourhood board.") if publish
            else N_("The need is saved as a draft.")
        )
        self.form_key += 1
        self._reload(actor)

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
        return self._mission_action(missions.publish_mission, mission_id)

    @rx.event
    def mark_done(self, mission_id: str):
        tz = self._settings.timezone
        return self._mission_action(
            lambda s, actor, mission_id: missions.mark_done(
                s, actor=actor, mission_id=mission_id, timezone=tz),
            mission_id,
        )
