"""/d/[code]: a département's public site, without login."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.errors import NotFound
from heurecivique_app.i18n import format_duration
from heurecivique_app.presenters.departement import TownRow, town_rows
from heurecivique_app.presenters.stats import count_text
from heurecivique_app.services import public
from heurecivique_app.state.base import AppState


class DepartementState(AppState):
    found: bool = True
    code: str = ""
    name: str = ""
    contact_email: str = ""
    join_text: str = ""
    towns: list[TownRow] = []
    volunteers: str = "–"
    hours_year: str = "–"
    actions_done: str = "–"
    communes_count: str = "0"

    @rx.event
    def load(self):
        self.load_locale()
        self.code = str(self.router.page.params.get("code", "")).upper()
        try:
            with self._unit_of_work() as session:
                site = public.departement_site(session, code=self.code,
                                               timezone=self._settings.timezone)
        except NotFound:
            self.found, self.name, self.towns = False, "", []
            return
        self.found = True
        self.name, self.contact_email, self.join_text = (site.name, site.contact_email,
                                                         site.join_text)
        self.towns = town_rows(site)
        self.communes_count = str(len(site.communes))
        # Public: counts under 5 are « moins de 5 », as on each commune's site.
        self.volunteers = count_text(site.totals.volunteers, own_staff=False,
                                     locale=self.locale)
        self.hours_year = format_duration(site.totals.minutes_this_year, self.locale)
        self.actions_done = count_text(site.totals.actions_done, own_staff=False,
                                       locale=self.locale)
