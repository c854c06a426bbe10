"""/console/intake: a referent takes in a need (phone, flyer, e-mail, relay)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components.forms import ticked
from heurecivique_app.domain.errors import PossibleDuplicates, ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_phone
from heurecivique_app.services import intake
from heurecivique_app.state.base import STAFF, AppState


class IntakeState(AppState):
    neighbourhood_options: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    form_message: str = ""
    form_ok: bool = False
    form_key: int = 0  # bumped to reset the form after a success
    # Known people who look like the one typed: this commune's staff may see them.
    matches: list[dict[str, str]] = []
    created_mission_id: str = ""

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(STAFF)
        if redirect is not None:
            return redirect
        self.field_errors, self.form_message, self.form_ok = {}, "", False
        self.matches, self.created_mission_id = [], ""
        self.neighbourhood_options = self._neighbourhood_options(actor.commune_id)

    @rx.event
    def submit_need(self, form_data: dict):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        form = intake.NeedForm.from_form(form_data)
        publish = ticked(form_data, "publish")
        self.form_ok = False
        try:
            with self._unit_of_work() as session:
                mission = intake.create_need(session, actor=actor, form=form, publish=publish,
                                             timezone=self._settings.timezone,
                                             geocoder=self._adapters.geocoder,
                                             geo_salt=self._settings.geo_salt)
                mission_id = mission.id
        except ValidationFailed as error:
            self.field_errors = self._field_errors(error)
            self.form_message = self._error_text(error)
            return
        except PossibleDuplicates as warning:
            self.field_errors = {}
            self.matches = [
                {"id": str(m.id), "name": m.full_name, "address": m.address,
                 "phone": format_phone(m.phone) if m.phone else "",
                 "neighbourhood": m.neighbourhood,
                 "missions": self._tr("{count} earlier need(s)", count=m.missions)}
                for m in warning.matches
            ]
            self.form_message = self._error_text(warning)
            return
        self.field_errors, self.matches = {}, []
        self.form_ok = True
        self.created_mission_id = str(mission_id)
        self.form_message = self._tr(
            N_("The mission is on its neighbourhood board.") if publish
            else N_("The need is saved as a draft.")
        )
        self.form_key += 1
