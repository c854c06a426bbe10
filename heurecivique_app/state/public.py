"""/c/[slug]: the commune's public site, without login."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.errors import NotFound
from heurecivique_app.i18n import format_duration, format_phone
from heurecivique_app.presenters.public import StoryRow, story_row
from heurecivique_app.presenters.stats import count_text
from heurecivique_app.services import public
from heurecivique_app.state.base import AppState


class PublicState(AppState):
    found: bool = True
    commune_slug: str = ""
    commune_name: str = ""
    theme_color: str = "#1d4ed8"
    contact_phone: str = ""
    contact_phone_href: str = ""
    contact_email: str = ""
    town_hall_address: str = ""
    public_text: str = ""
    has_logo: bool = False
    volunteers: str = "–"
    hours_month: str = "–"
    hours_year: str = "–"
    actions_done: str = "–"
    stories: list[StoryRow] = []

    @rx.event
    def load(self):
        self.load_locale()
        self.commune_slug = str(self.router.page.params.get("slug", ""))
        try:
            with self._unit_of_work() as session:
                commune = public.commune_by_slug(session, self.commune_slug)
                figures = public.counters(session, commune_id=commune.id,
                                          timezone=self._settings.timezone)
                published = public.stories(session, commune_id=commune.id)
        except NotFound:
            self.found = False
            self.commune_name = ""
            self.stories = []
            return
        self.found = True
        self.commune_name = commune.name
        self.theme_color = commune.theme_color
        phone = commune.contact_phone
        self.contact_phone = format_phone(phone) if phone.startswith("+") else phone
        self.contact_phone_href = "tel:" + phone.replace(" ", "")
        self.contact_email = commune.contact_email
        self.town_hall_address = commune.town_hall_address
        self.public_text = commune.public_text
        self.has_logo = bool(commune.logo_name)
        # Public: counts under 5 are « moins de 5 » (presenters/stats.py, issue 20).
        self.volunteers = count_text(figures.volunteers, own_staff=False, locale=self.locale)
        self.hours_month = format_duration(figures.minutes_this_month, self.locale)
        self.hours_year = format_duration(figures.minutes_this_year, self.locale)
        self.actions_done = count_text(figures.actions_done, own_staff=False,
                                       locale=self.locale)
        self.stories = [story_row(s) for s in published]
