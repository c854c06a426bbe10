"""/signup: a resident signs up from the commune's poster (QR code), then is logged in."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import reflex as rx

from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.models import User
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate
from heurecivique_app.presenters.charter import charter_articles
from heurecivique_app.services import selectors, signup
from heurecivique_app.state.base import AppState
from heurecivique_app.wiring import MAIL_SENDER


class SignupState(AppState):
    commune_slug: str = ""
    commune_name: str = ""
    commune_found: bool = True
    neighbourhood_options: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    form_message: str = ""
    sending: bool = False
    # The one-time, two-minute code the page posts to /api/auth/handoff for the cookie
    # (pages/signup.py); only this tab's state holds it, and it is used up at once.
    handoff_code: str = ""
    # Set when the e-mail already had an account: its owner was told by e-mail, and the
    # page says a message was sent rather than "this e-mail is taken".
    mail_sent: bool = False
    # The articles in the user's language (components/volunteer.py charter_text).
    charter_articles: list[dict[str, str]] = []

    @rx.event
    def load(self):
        self.load_locale()
        self.charter_articles = charter_articles(self.locale)
        query = parse_qs(urlsplit(str(self.router.url)).query)
        self.commune_slug = (query.get("c") or [""])[0]
        self.field_errors, self.form_message, self.sending = {}, "", False
        self.handoff_code, self.mail_sent = "", False
        with self._unit_of_work() as session:
            commune = signup.find_commune(session, self.commune_slug)
            hoods = selectors.neighbourhoods(session, commune.id) if commune else []
        self.commune_found = commune is not None
        self.commune_name = commune.name if commune else ""
        self.commune_slug = commune.slug if commune else self.commune_slug
        self.neighbourhood_options = [{"id": str(h.id), "name": h.name} for h in hoods]

    @rx.event
    def submit(self, form_data: dict):
        self.sending = True
        yield
        form = signup.SignupForm.from_form(form_data, commune_slug=self.commune_slug,
                                           locale=self.locale)
        try:
            with self._unit_of_work() as session:
                user = signup.sign_up(session, form=form, geocoder=self._adapters.geocoder,
                                      on_taken=self._tell_owner)
                code = signup.open_handoff(session, user=user) if user else ""
        except DomainError as error:
            self.sending = False
            self.field_errors = (self._field_errors(error)
                                 if isinstance(error, ValidationFailed) else {})
            self.form_message = self._error_text(error)
            return
        self.field_errors = {}
        self.form_message = ""
        self.sending = user is not None
        self.mail_sent = user is None
        self.handoff_code = code

    def _tell_owner(self, owner: User) -> None:
        """E-mail the owner of an address someone tried to sign up with (services/signup.py)."""
        site = self._settings.public_url or "{0.scheme}://{0.netloc}".format(
            urlsplit(str(self.router.url)))
        self._adapters.outbox.send(
            sender=MAIL_SENDER, to=owner.email,
            subject=translate(N_("Your HeureCivique account"), owner.locale),
            body=translate(N_(
                "Hello,\n\nSomeone, maybe you, has just tried to sign up to HeureCivique with "
                "this email address. You already have an account: log in at {url}\n\n"
                "If it was not you, nothing has changed on your account and you can ignore "
                "this message."), owner.locale, url=f"{site}/login"))
