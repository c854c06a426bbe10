"""/signup: a resident signs up from the commune's poster (QR code), then confirms by e-mail."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import reflex as rx

from heurecivique_app.domain.validation import form_text
from heurecivique_app.presenters.charter import CharterArticle, charter_articles
from heurecivique_app.presenters.options import Option, neighbourhood_options
from heurecivique_app.services import public, selectors, signup
from heurecivique_app.state.base import AppState

STEPS = signup.SIGNUP_STEPS
STEP_COUNT = len(STEPS)


class SignupState(AppState):
    commune_slug: str = ""
    commune_name: str = ""
    commune_found: bool = True
    neighbourhood_options: list[Option] = []
    # Several communes and none named by the link: the new volunteer picks theirs (id = slug).
    commune_choices: list[Option] = []
    field_errors: dict[str, str] = {}
    # The step shown, from 1 (services/signup.py SIGNUP_STEPS); the page hides the others.
    step: int = 1
    # Next or Back was used: the page moves the focus to the new step's heading (not on
    # the first paint, where it would skip the page's header and title).
    step_changed: bool = False
    form_message: str = ""
    sending: bool = False
    # Set by every valid form, new or taken e-mail alike: the page must not tell which
    # (services/signup.py). The e-mail carries the next step.
    mail_sent: bool = False
    # The articles in the user's language (components/volunteer.py charter_text).
    charter_articles: list[CharterArticle] = []
    # The page's own load has run. Until then Next and Sign up stay disabled: a tap
    # before the app is ready would have the browser submit the form itself, as a GET
    # with every field, the password included, in the address.
    loaded: bool = False

    @rx.event
    def load(self):
        self.load_locale()
        self.charter_articles = charter_articles(self.locale)
        query = parse_qs(urlsplit(str(self.router.url)).query)
        self.commune_slug = (query.get("c") or [""])[0]
        self.field_errors, self.form_message, self.sending = {}, "", False
        self.mail_sent = False
        self.step, self.step_changed = 1, False
        with self._unit_of_work() as session:
            commune = signup.find_commune(session, self.commune_slug)
            hoods = selectors.neighbourhoods(session, commune.id) if commune else []
            towns = public.communes(session) if commune is None and not self.commune_slug \
                else []
        self.commune_found = commune is not None
        self.commune_name = commune.name if commune else ""
        self.commune_slug = commune.slug if commune else self.commune_slug
        self.neighbourhood_options = neighbourhood_options(hoods)
        self.commune_choices = [Option(id=t.slug, name=t.name) for t in towns]
        self.loaded = True

    @rx.event
    def find_commune(self, form_data: dict):
        """Several communes, none named by the link: the one whose quarters hold the address."""
        done = self._run(lambda s: signup.commune_for_address(
            s, address=form_text(form_data, "home_address"),
            geocoder=self._adapters.geocoder).slug)
        self.field_errors = done.fields
        if done.ok:
            return rx.redirect(f"/signup?c={done.value}")  # a new query: load runs again
        return None

    @rx.event
    def submit(self, form_data: dict):
        """Next: check the shown step's fields on the server; on the last step, sign up.

        The page posts the whole form each time (the other steps are hidden, their
        values kept by the browser), and only the last step writes anything.
        """
        self.sending = True
        yield
        form = signup.SignupForm.from_form(form_data, commune_slug=self.commune_slug,
                                           locale=self.locale)
        step = STEPS[min(max(self.step, 1), STEP_COUNT) - 1]
        if step is not STEPS[-1]:
            done = self._run(lambda s: signup.check_step(
                s, form=form, step=step, geocoder=self._adapters.geocoder))
            self.sending = False
            self.field_errors = done.fields
            self.form_message = "" if done.ok else done.text
            if done.ok:
                self._show_step(self.step + 1)
            return
        site = self._settings.public_url or "{0.scheme}://{0.netloc}".format(
            urlsplit(str(self.router.url)))
        done = self._run(lambda s: signup.sign_up(
            s, form=form, geocoder=self._adapters.geocoder, site_url=site))
        self.sending = False
        self.field_errors = done.fields
        if not done.ok:
            self.form_message = done.text
            # A field of an earlier step (its check passed, the whole form's did not):
            # back to the first step holding an error.
            failed = [STEPS.index(found) + 1 for found in map(signup.step_of, done.fields)
                      if found is not None]
            if failed and min(failed) != self.step:
                self._show_step(min(failed))
            return
        # The same state whatever sign_up returned (a new account or None for a taken e-mail).
        self.form_message = ""
        self.mail_sent = True

    @rx.event
    def back(self):
        """The previous step, its values as typed (the browser kept them); nothing checked."""
        self.field_errors, self.form_message = {}, ""
        self._show_step(self.step - 1)

    def _show_step(self, number: int) -> None:
        self.step = min(max(number, 1), STEP_COUNT)
        self.step_changed = True
