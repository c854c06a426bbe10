"""/privacy and /insurance: public pages in plain words (no login)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.insurance import INSURANCE_VERSION
from heurecivique_app.domain.privacy import NOTICE_TEXT, NOTICE_VERSION
from heurecivique_app.i18n import negotiate
from heurecivique_app.services import public, retention
from heurecivique_app.state.base import AppState


class InfoState(AppState):
    """The information notice with this commune's own periods, and the texts' versions."""

    notice_text: str = ""
    notice_version: str = NOTICE_VERSION
    insurance_version: str = INSURANCE_VERSION

    @rx.event
    def load(self):
        self.locale = negotiate(self.router.headers.cookie, self.router.headers.accept_language)
        with self._unit_of_work() as session:
            commune = public.home_commune(session, slug=self._settings.commune_slug)
            policy = (retention.retention_of(session, commune.id) if commune is not None
                      else retention.RetentionPolicy())
        self.notice_text = self._tr(NOTICE_TEXT, days=policy.mission_contact_days,
                                    months=policy.inactive_months)
