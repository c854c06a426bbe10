"""/console/reports: the referent's triage queue of relay reports, and success stories."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.form_data import ticked, ticked_ids
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_id, form_text
from heurecivique_app.presenters.reports import RelayRow, TriageRow, relay_row, triage_row
from heurecivique_app.services import public, relays, selectors, triage
from heurecivique_app.state.base import AppState


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
    people_options: list[dict[str, str]] = []
    neighbourhood_options: list[dict[str, str]] = []
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
        self.people_options = [{"id": str(p.user_id), "name": p.name} for p in people]
        self.neighbourhood_options = [{"id": str(h.id), "name": h.name} for h in hoods]
        self.commune_slug = commune.slug
        self.reports = [triage_row(v, self.locale, tz) for v in views]
        self.loaded = True

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(STAFF_ROLES)
        if redirect is not None:
            return redirect
        self.answers = {}
        self.story_errors = {}
        self.story_message = ""
        self.photo_label = ""
        self._photo_name = None
        self._reload(actor)

    @rx.event
    def set_answer(self, report_id: str, text: str):
        self.answers = {**self.answers, str(report_id): str(text)[:1000]}

    def _act(self, action, success: str):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        try:
            with self._unit_of_work() as session:
                action(session, actor)
        except ValidationFailed as error:
            return rx.toast.error(next(iter(error.translated(self._tr).values())))
        except DomainError as error:
            return rx.toast.error(self._error_text(error))
        except ValueError:  # a report id that is not a number (a hand-made event)
            return rx.toast.error(self._tr(N_("This item no longer exists.")))
        self._reload(actor)
        return rx.toast.success(self._tr(success))

    @rx.event
    def to_mission(self, report_id: str):
        tz = self._settings.timezone
        return self._act(
            lambda s, a: triage.turn_into_mission(s, actor=a, report_id=int(report_id),
                                                  timezone=tz),
            N_("A mission draft is waiting in the console."))

    @rx.event
    def forward(self, report_id: str):
        to = self._settings.technical_services_email
        note = self.answers.get(str(report_id), "")
        return self._act(
            lambda s, a: triage.forward(s, actor=a, report_id=int(report_id), note=note, to=to),
            N_("Sent to the technical services."))

    @rx.event
    def close(self, report_id: str):
        answer = self.answers.get(str(report_id), "")
        return self._act(
            lambda s, a: triage.close(s, actor=a, report_id=int(report_id), answer=answer),
            N_("The report is closed; the relay sees your answer."))

    @rx.event
    def assign_relay(self, form_data: dict):
        """Attach the chosen resident to the ticked neighbourhoods (none: no longer a relay).

        Making someone a relay asks their date of birth, and a parent's consent under 15.
        """
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        hood_ids = ticked_ids(form_data, "hood-")
        enrolment = {key: form_text(form_data, key) for key in
                     ("birth_date", "parent_name", "parent_method", "parent_given_on")}
        try:
            with self._unit_of_work() as session:
                relays.assign_neighbourhoods(
                    session, actor=actor, user_id=form_id(form_text(form_data, "relay_user")) or 0,
                    neighbourhood_ids=hood_ids, enrolment=enrolment)
        except ValidationFailed as error:
            self.relay_errors = self._field_errors(error)
            return rx.toast.error(self._error_text(error))
        except DomainError as error:
            return rx.toast.error(self._error_text(error))
        self.relay_errors = {}
        self.relay_key += 1
        self._reload(actor)
        return rx.toast.success(self._tr(N_("The relay's neighbourhoods are saved.")))

    # --- success stories ----------------------------------------------------------------

    @rx.event
    async def upload_story_photo(self, files: list[rx.UploadFile]):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        if not files:
            return
        self._photo_name, error = await self._store_photo(files[0])
        self.story_errors = {"photo": error} if error else {}
        self.photo_label = "" if error else self._tr(N_("Photo attached (location data removed)."))

    @rx.event
    def publish_story(self, form_data: dict):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        try:
            with self._unit_of_work() as session:
                public.publish_story(
                    session, actor=actor, title=form_text(form_data, "story_title"),
                    text=form_text(form_data, "story_text"), photo_name=self._photo_name,
                    photo_consent=ticked(form_data, "photo_consent"))
        except ValidationFailed as error:
            names = {"title": "story_title", "text": "story_text"}
            self.story_errors = {names.get(k, k): self._tr(v) for k, v in error.errors.items()}
            self.story_ok = False
            self.story_message = self._error_text(error)
            return
        self.story_errors = {}
        self.story_ok = True
        self.story_message = self._tr(N_("The story is on the commune's public site."))
        self.story_key += 1
        self.photo_label = ""
        self._photo_name = None
