"""/console/reports: the referent's triage queue of relay reports, and success stories."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.form_data import ticked, ticked_ids
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text, known_id
from heurecivique_app.presenters.options import Option, neighbourhood_options, option
from heurecivique_app.presenters.reports import RelayRow, TriageRow, relay_row, triage_row
from heurecivique_app.services import public, relays, selectors, triage
from heurecivique_app.state.base import AppState, page_load, staff_only


class TriageState(AppState):
    reports: list[TriageRow] = []
    commune_slug: str = ""
    # The answer typed for each report (by id), sent with "forward" or "close".
    answers: dict[str, str] = {}
    story_errors: dict[str, str] = {}
    story_message: str = ""
    story_ok: bool = False
    story_key: int = 0
    photo_label: str = ""
    # The relay panel: who watches which neighbourhood (staff only page).
    relay_rows: list[RelayRow] = []
    people_options: list[Option] = []
    neighbourhood_options: list[Option] = []
    relay_key: int = 0
    relay_errors: dict[str, str] = {}
    loaded: bool = False
    _photo_name: str | None = None

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            views = relays.commune_reports(session, actor=actor)
            commune = public.commune_by_id(session, actor.commune_id)
            people = relays.relay_candidates(session, actor=actor)
            hoods = selectors.neighbourhoods(session, actor.commune_id)
        self.relay_rows = [relay_row(p) for p in people if p.is_relay]
        self.people_options = [option(p.user_id, p.name) for p in people]
        self.neighbourhood_options = neighbourhood_options(hoods)
        self.commune_slug = commune.slug
        self.reports = [triage_row(v, self.locale, tz) for v in views]
        self.loaded = True

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.answers = {}
        self.story_errors = {}
        self.story_message = ""
        self.photo_label = ""
        self._photo_name = None
        self._reload(actor)

    @rx.event
    def set_answer(self, report_id: str, text: str):
        self.answers = {**self.answers, str(report_id): str(text)[:1000]}

    def _act(self, actor, action, success: str):
        """Run ``action(session)``; a toast says how it went (a form's first field error)."""
        done = self._run(action)
        if not done.ok:
            return rx.toast.error(next(iter(done.fields.values()), done.text))
        self._reload(actor)
        return rx.toast.success(self._tr(success))

    @rx.event
    @staff_only
    def to_mission(self, actor, report_id: str):
        return self._act(actor, lambda s: triage.turn_into_mission(
            s, actor=actor, report_id=known_id(report_id), timezone=self._settings.timezone),
            N_("A mission draft is waiting in the console."))

    @rx.event
    @staff_only
    def forward(self, actor, report_id: str):
        note = self.answers.get(str(report_id), "")
        return self._act(actor, lambda s: triage.forward(
            s, actor=actor, report_id=known_id(report_id), note=note,
            to=self._settings.technical_services_email, timezone=self._settings.timezone),
            N_("Sent to the technical services."))

    @rx.event
    @staff_only
    def close(self, actor, report_id: str):
        answer = self.answers.get(str(report_id), "")
        return self._act(actor, lambda s: triage.close(
            s, actor=actor, report_id=known_id(report_id), answer=answer,
            timezone=self._settings.timezone),
            N_("The report is closed; the relay sees your answer."))

    @rx.event
    @staff_only
    def assign_relay(self, actor, form_data: dict):
        """Attach the chosen resident to the ticked neighbourhoods (none: no longer a relay).

        Making someone a relay asks their date of birth, and a parent's consent under 15:
        their errors show at their fields, and the form keeps what was typed.
        """
        hood_ids = ticked_ids(form_data, "hood-")
        enrolment = {key: form_text(form_data, key) for key in
                     ("birth_date", "parent_name", "parent_method", "parent_given_on")}
        done = self._run(lambda s: relays.assign_neighbourhoods(
            s, actor=actor, user_id=known_id(form_data.get("relay_user")),
            neighbourhood_ids=hood_ids, enrolment=enrolment))
        self.relay_errors = done.fields
        if not done.ok:
            return done.toast()
        self.relay_key += 1
        self._reload(actor)
        return rx.toast.success(self._tr(N_("The relay's neighbourhoods are saved.")))

    # --- success stories ----------------------------------------------------------------

    @rx.event
    @staff_only
    async def upload_story_photo(self, actor, files: list[rx.UploadFile]):
        if not files:
            return
        self._photo_name, error = await self._store_photo(files[0])
        self.story_errors = {"photo": error} if error else {}
        self.photo_label = "" if error else self._tr(N_("Photo attached (location data removed)."))

    @rx.event
    @staff_only
    def publish_story(self, actor, form_data: dict):
        done = self._run(lambda s: public.publish_story(
            s, actor=actor, title=form_text(form_data, "story_title"),
            text=form_text(form_data, "story_text"), photo_name=self._photo_name,
            photo_consent=ticked(form_data, "photo_consent")))
        if not done.ok:
            names = {"title": "story_title", "text": "story_text"}
            self.story_errors = {names.get(k, k): v for k, v in done.fields.items()}
            self.story_ok = False
            self.story_message = done.text
            return
        self.story_errors = {}
        self.story_ok = True
        self.story_message = self._tr(N_("The story is on the commune's public site."))
        self.story_key += 1
        self.photo_label = ""
        self._photo_name = None
