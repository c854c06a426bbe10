"""/account: my profile, pausing, my data (JSON), deleting my account."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import VOLUNTEER_ROLES
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.form_data import ticked
from heurecivique_app.domain.notifications import EMAIL, RELAY_KINDS
from heurecivique_app.domain.push import PUSH
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text
from heurecivique_app.domain.volunteering import availability_field
from heurecivique_app.i18n import format_phone
from heurecivique_app.presenters.options import Option, neighbourhood_options
from heurecivique_app.presenters.push import account_texts
from heurecivique_app.services import accounts, alerts, notifications, selectors, volunteering
from heurecivique_app.services.signup import ProfileForm
from heurecivique_app.state.base import AppState, page_load, signed_in


class AccountState(AppState):
    # The volunteer's own data, sent to their own tab only (the form's starting values).
    display_name: str = ""
    email: str = ""
    phone: str = ""
    neighbourhood_id: str = ""
    address: str = ""
    skills_note: str = ""
    max_distance_km: str = "2"
    ticked: list[str] = []
    volunteer_status: str = ""
    neighbourhood_options: list[Option] = []
    field_errors: dict[str, str] = {}
    # The account is gone: the page posts the logout form (a full page load, cookie cleared).
    deleted: bool = False
    form_message: str = ""
    form_ok: bool = False
    form_key: int = 0
    delete_error: str = ""
    # The boxes ticked in « Messages »: mail_<kind> for the kinds of e-mail the
    # volunteer keeps on, push_<kind> for those also pushed to their devices.
    choices_on: list[str] = []
    # The optional kinds this account receives (a relay also gets answers to reports).
    mail_offered: list[str] = []
    # The notifications section's texts in the user's language (presenters/push.py).
    push_texts: dict[str, str] = {}
    push_status_texts: str = "{}"  # JSON, read by assets/push.js
    mail_key: int = 0
    # Opt-in: alerts for new missions near home (off, instant, digest) and the nudge.
    alert_mode: str = "off"
    nudge: bool = False
    alert_key: int = 0

    def _reload(self, actor) -> None:
        with self._unit_of_work() as session:
            user, profile = accounts.my_profile(session, actor=actor)
            hoods = selectors.neighbourhoods(session, user.commune_id)
            choices = notifications.preferences(session, actor=actor)
            alert = alerts.choice(session, actor=actor)
            pushed = notifications.preferences(session, actor=actor, channel=PUSH)
        self.display_name = user.display_name
        self.email = user.email
        self.phone = format_phone(user.phone) if user.phone else ""
        self.neighbourhood_id = str(user.neighbourhood_id or "")
        self.address = profile.home_address
        self.skills_note = profile.skills_note
        distance = profile.max_distance_km
        self.max_distance_km = f"{distance:g}"
        self.ticked = [f"skill_{s}" for s in profile.skills] + [
            availability_field(day, part)
            for day, parts in profile.availability.items() for part in parts] + (
            ["departement_pool"] if profile.departement_pool else [])
        self.volunteer_status = profile.status
        self.neighbourhood_options = neighbourhood_options(hoods)
        self.form_key += 1
        self.choices_on = [f"mail_{kind}" for kind, on in choices.items() if on] + [
            f"push_{kind}" for kind, on in pushed.items() if on]
        self.mail_offered = list(choices)
        self.push_texts, self.push_status_texts = account_texts(self.locale)
        self.mail_key += 1
        self.alert_mode, self.nudge = alert.mode, alert.nudge
        self.alert_key += 1

    @rx.event
    @page_load(VOLUNTEER_ROLES)
    def load(self, actor):
        self.field_errors, self.form_message, self.delete_error = {}, "", ""
        self.deleted = False
        try:
            self._reload(actor)
        except DomainError:
            return rx.redirect("/")
        return None

    @rx.event
    @signed_in
    def save(self, actor, form_data: dict):
        done = self._run(lambda s: accounts.update_profile(
            s, actor=actor, form=ProfileForm.from_form(form_data),
            geocoder=self._adapters.geocoder))
        self.field_errors = done.fields
        if not done.ok:
            self.form_ok = False
            self.form_message = done.text
            return None
        self.form_ok = True
        self.form_message = self._tr(N_("Your profile is saved."))
        self._reload(actor)
        self.user_name = self.display_name
        return None

    @rx.event
    @signed_in
    def set_paused(self, actor, paused: bool):
        done = self._run(lambda s: volunteering.set_paused(s, actor=actor, paused=bool(paused)))
        if not done.ok:
            self.notice, self.notice_tone = done.text, "error"
            return None
        self._say(N_("Your participation is paused. Enjoy your break!") if paused
                  else N_("Welcome back! You can accept missions again."), "success")
        self._reload(actor)
        return None

    @rx.event
    @signed_in
    def save_mail_choices(self, actor, form_data: dict):
        """Each optional kind of message is on, per channel, when its box is ticked."""
        with self._unit_of_work() as session:
            for channel, prefix in ((EMAIL, "mail"), (PUSH, "push")):
                notifications.set_preferences(session, actor=actor, channel=channel, enabled={
                    kind: ticked(form_data, f"{prefix}_{kind}") for kind in RELAY_KINDS})
        self._say(N_("Your choices of e-mails are saved."), "success")
        self._reload(actor)
        return None

    @rx.event
    @signed_in
    def save_alerts(self, actor, form_data: dict):
        """Alerts for new missions near home (a mode) and the monthly nudge (a box)."""
        done = self._run(lambda s: alerts.set_choice(
            s, actor=actor, mode=form_text(form_data, "alert_mode"),
            nudge=ticked(form_data, "nudge")))
        if not done.ok:
            self.notice, self.notice_tone = done.text, "error"
            return None
        self._say(N_("Your alerts are saved."), "success")
        self._reload(actor)
        return None

    @rx.event
    @signed_in
    def delete_account(self, actor, form_data: dict):
        if not ticked(form_data, "confirm_delete"):
            self.delete_error = self._tr(N_("Tick the box to confirm."))
            return None
        done = self._run(lambda s: accounts.delete_account(s, actor=actor))
        if not done.ok:
            self.delete_error = done.text
            return None
        # Every login is revoked on the server; the page now posts the logout form, whose
        # full page load to /login clears what the tab held (pages/account.py).
        self.deleted = True
        return None
