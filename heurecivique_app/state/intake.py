"""/console/intake: a referent takes in a need (phone, flyer, e-mail, relay)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import PossibleDuplicates
from heurecivique_app.domain.form_data import ticked
from heurecivique_app.domain.text import N_
from heurecivique_app.presenters.intake import KnownPersonRow, known_person_row
from heurecivique_app.presenters.options import Option
from heurecivique_app.services import intake
from heurecivique_app.state.base import AppState, page_load, staff_only


class IntakeState(AppState):
    neighbourhood_options: list[Option] = []
    field_errors: dict[str, str] = {}
    form_message: str = ""
    form_ok: bool = False
    form_key: int = 0  # bumped to reset the form after a success
    # Known people who look like the one typed: this commune's staff may see them.
    matches: list[KnownPersonRow] = []
    created_mission_id: str = ""

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.field_errors, self.form_message, self.form_ok = {}, "", False
        self.matches, self.created_mission_id = [], ""
        self.neighbourhood_options = self._neighbourhood_options(actor.commune_id)

    @rx.event
    @staff_only
    def submit_need(self, actor, form_data: dict):
        form = intake.NeedForm.from_form(form_data)
        publish = ticked(form_data, "publish")
        self.form_ok = False
        done = self._run(lambda s: intake.create_need(
            s, actor=actor, form=form, publish=publish, timezone=self._settings.timezone,
            geocoder=self._adapters.geocoder, geo_salt=self._settings.geo_salt).id)
        if not done.ok:
            self.field_errors, self.form_message = done.fields, done.text
            if isinstance(done.error, PossibleDuplicates):
                self.matches = [known_person_row(m, self.locale) for m in done.error.matches]
            return
        self.field_errors, self.matches = {}, []
        self.form_ok = True
        self.created_mission_id = str(done.value)
        self.form_message = self._tr(
            N_("The mission is on its neighbourhood board.") if publish
            else N_("The need is saved as a draft.")
        )
        self.form_key += 1
