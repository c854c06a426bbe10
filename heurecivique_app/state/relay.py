"""The neighbourhood relay's phone pages: report a need or an issue, follow the reports."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import RELAY_ROLES
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text
from heurecivique_app.presenters.options import Option, neighbourhood_options
from heurecivique_app.presenters.reports import (
    ReportRow,
    ShareableRow,
    report_row,
    shareable_row,
)
from heurecivique_app.services import intake, relays, report_photos, selectors
from heurecivique_app.state.base import AppState, Outcome, page_load, relay_only

PHOTO_NOT_SENT = N_("The photo could not be sent: check the connection and choose it again.")


class RelayState(AppState):
    neighbourhood_options: list[Option] = []
    reports: list[ReportRow] = []
    # Open missions of the relay's neighbourhoods, to share (public card data only).
    shareable: list[ShareableRow] = []
    field_errors: dict[str, str] = {}
    form_message: str = ""
    form_ok: bool = False
    form_key: int = 0
    photo_label: str = ""
    loaded: bool = False
    # The stored photo of the report being written (a random file name, server side only).
    _photo_name: str | None = None

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            hoods = relays.relay_neighbourhoods(session, relay_id=actor.user_id)
            mine = relays.my_reports(session, actor=actor)
            cards = [card for hood in hoods
                     for card in selectors.board(session, actor=actor, neighbourhood_id=hood.id)
                     if card.status == "open"]
        self.neighbourhood_options = neighbourhood_options(hoods)
        self.reports = [report_row(r, self.locale, tz) for r in mine]
        self.shareable = [shareable_row(c, self.locale, tz) for c in cards]
        self.loaded = True

    @rx.event
    @page_load(RELAY_ROLES)
    def load(self, actor):
        self.field_errors = {}
        self.form_message = ""
        self.form_ok = False
        self.photo_label = ""
        self._photo_name = None
        self._reload(actor)

    @rx.event
    @relay_only
    def photo_sent(self, actor, answer: dict):
        """The photo input posted its file to ``/api/relay/photo``: the route's JSON answer.

        The photo goes with the report only if the answer's ticket was signed for the
        relay this tab's session cookie names (``services.report_photos``); a refusal,
        translated by the route in the page's language, is shown under the field. An
        emptied input (``cleared``) takes the photo off the report.
        """
        answer = answer if isinstance(answer, dict) else {}
        self._photo_name = report_photos.photo_from_ticket(
            self._settings.secret_key, actor=actor, ticket=answer.get("ticket"))
        self.field_errors = {k: v for k, v in self.field_errors.items() if k != "photo"}
        if self._photo_name is None and not answer.get("cleared"):
            self.field_errors["photo"] = self._photo_refusal(answer)
        self.photo_label = ("" if self._photo_name is None
                            else self._tr(N_("Photo attached (location data removed).")))

    def _photo_refusal(self, answer: dict) -> str:
        """The route's own words (read by the tab that sent the file, as text), or ours
        when the answer was not the route's JSON (a proxy's 413, no network)."""
        error = answer.get("error")
        if isinstance(error, str) and error:
            return error[:300]
        if answer.get("status") == 413:
            return self._tr(report_photos.TOO_BIG,
                            size=self._settings.max_photo_bytes // (1024 * 1024))
        return self._tr(PHOTO_NOT_SENT)

    def _done(self, actor, message: str) -> None:
        self.field_errors = {}
        self.form_ok = True
        self.form_message = self._tr(message)
        self.form_key += 1
        self.photo_label = ""
        self._photo_name = None
        self._reload(actor)

    def _answer(self, actor, done: Outcome, message: str) -> None:
        if done.ok:
            self._done(actor, message)
            return
        self.form_ok = False
        if isinstance(done.error, ValidationFailed):
            self.field_errors = done.fields
        self.form_message = done.text

    @rx.event
    @relay_only
    def submit_issue(self, actor, form_data: dict):
        form = relays.IssueForm(
            category=form_text(form_data, "category"),
            title=form_text(form_data, "title"),
            description=form_text(form_data, "description"),
            neighbourhood_id=form_text(form_data, "neighbourhood_id"),
            lat=form_text(form_data, "lat"),
            lon=form_text(form_data, "lon"),
            photo_name=self._photo_name,
        )
        done = self._run(lambda s: relays.report_issue(s, actor=actor, form=form,
                                                       timezone=self._settings.timezone))
        self._answer(actor, done, N_("Thank you! The town hall has received your report."))

    @rx.event
    @relay_only
    def submit_need(self, actor, form_data: dict):
        form = intake.NeedForm.from_form(form_data)
        done = self._run(lambda s: relays.report_need(
            s, actor=actor, form=form, timezone=self._settings.timezone,
            geocoder=self._adapters.geocoder, geo_salt=self._settings.geo_salt))
        self._answer(actor, done, N_("Thank you! The referent will call your neighbour back."))
