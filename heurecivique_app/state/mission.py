"""One mission seen by a volunteer: accept, decline, mark done; contact after acceptance."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import VOLUNTEER_ROLES
from heurecivique_app.domain.errors import AlreadyTaken, NotFound
from heurecivique_app.domain.lifecycle import takes_volunteers
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import form_text
from heurecivique_app.i18n import format_phone
from heurecivique_app.presenters.missions import card_row
from heurecivique_app.presenters.pool import skills_text
from heurecivique_app.realtime.channels import mission_channel
from heurecivique_app.realtime.live import live
from heurecivique_app.services import selectors, volunteer_home
from heurecivique_app.services.missions import confirmation, participation
from heurecivique_app.state.base import AppState, page_load, signed_in


class MissionState(AppState):
    found: bool = False
    loaded: bool = False  # the first read is done (until then the page holds its room)
    title: str = ""
    category: str = ""
    # status, status_label and places are also broadcast to everyone on this page.
    status: str = ""
    status_label: str = ""
    live_version: str = ""
    when: str = ""
    duration: str = ""
    neighbourhood: str = ""
    places: str = ""
    description: str = ""
    skills_wanted: str = ""  # translated labels, comma-separated
    my_participation: str = ""
    # A full collective action still takes sign-ups, on its waiting list.
    is_collective: bool = False
    # Private contact: filled only when the server allows this user to see it.
    contact_name: str = ""
    contact_phone: str = ""  # E.164, for the tel: link
    contact_phone_label: str = ""
    contact_address: str = ""
    contact_notes: str = ""
    # The volunteer app: may I still cancel, did I confirm, is my charter current.
    can_cancel: bool = False
    # Its start has passed: no more places to take (domain.lifecycle.takes_volunteers).
    started: bool = False
    confirmed: bool = False
    charter_ok: bool = True
    field_errors: dict[str, str] = {}
    # The outcome of the last tap: "", "pending", "accepted", "taken", "error", "done".
    outcome: str = ""
    outcome_text: str = ""
    # The mission these values describe: the page sends it back with every action, which
    # then goes through only if it is also the page's address and the saved state's
    # mission (see _still_shown).
    shown_id: int = 0
    _mission_id: int = 0

    @rx.var
    def has_contact(self) -> bool:
        return self.contact_address != ""

    @rx.var
    def calendar_href(self) -> str:
        return f"/api/missions/{self._mission_id}/calendar.ics"

    @rx.var
    def charter_href(self) -> str:
        return f"/charter?next=/missions/{self._mission_id}"

    def _reload(self, actor) -> None:
        try:
            with self._reading() as session:  # one session for the whole page
                detail = selectors.mission_detail(
                    session, actor=actor, mission_id=self._mission_id,
                    contact_hours_after=self._settings.contact_visible_hours_after,
                )
                part = volunteer_home.my_part(session, actor=actor, mission_id=detail.card.id,
                                              cutoff_hours=self._settings.cancel_cutoff_hours)
                standing = volunteer_home.standing(session, actor=actor)
        except NotFound:
            self.found = False
            self.loaded = True
            self.shown_id = 0
            return
        card = detail.card
        row = card_row(card, self.locale, self._settings.timezone)
        self.found = True
        self.loaded = True
        self.shown_id = card.id
        self.title = card.title
        self.category = row["category"]
        self.status = row["status"]
        self.status_label = row["status_label"]
        self.when = row["when"]
        self.duration = row["duration"]
        self.neighbourhood = card.neighbourhood_name
        self.places = row["places"]
        self.description = detail.description
        self.skills_wanted = skills_text(list(detail.skills_wanted), self.locale)
        self.my_participation = detail.my_participation or ""
        self.is_collective = card.kind == "collective"
        contact = detail.contact
        self.contact_name = contact.beneficiary_name if contact else ""
        self.contact_phone = contact.phone if contact else ""
        self.contact_phone_label = format_phone(contact.phone) if contact else ""
        self.contact_address = contact.address if contact else ""
        self.contact_notes = contact.access_notes if contact else ""
        self.can_cancel = bool(part and part.can_cancel)
        self.started = not takes_volunteers(card.starts_at, utcnow())
        self.confirmed = bool(part and part.confirmed)
        self.charter_ok = standing.charter_current if standing else True
        live.watch(self.router.session.session_id, {mission_channel(card.id)}, self.locale)

    @rx.event
    @page_load(VOLUNTEER_ROLES)
    def load(self, actor):
        self.outcome = ""
        self.outcome_text = ""
        self.field_errors = {}
        self._mission_id = self._route_id()
        self._reload(actor)

    @rx.event
    @signed_in
    def follow_live(self, actor):
        """A broadcast of this mission reached a tab whose own part may have changed (on the
        waiting list): re-read this viewer's view, from the session, not from the client."""
        self._reload(actor)

    def _still_shown(self, actor, shown) -> bool:
        """Whether an action tapped on this page may act on the state's mission.

        The tab's address (the event's route), the mission the page displays (``shown``,
        sent back by the page) and the mission the saved state holds must be one: a
        late answer from a worker that stopped, or a page load that was not saved, can
        leave them apart, and an accept must never take a place on a mission other than
        the one the volunteer sees. When they differ, nothing is done: the page shows
        its address's mission again and asks to tap again.
        """
        route = self._route_id()
        # Not sent (0, absent): an older page; the address and the state still must agree.
        if route == self._mission_id and (shown in (None, "", 0) or str(shown) == str(route)):
            return True
        self._mission_id = route
        self.field_errors = {}
        self._reload(actor)
        self.outcome = "error"
        self.outcome_text = self._tr(N_(
            "This page was not up to date: here is the mission again. Check it and tap "
            "again."))
        return False

    def _answer(self, actor, action, success_outcome: str, success_text: str) -> None:
        """Call one service for the logged-in user and turn its outcome into a message."""
        done = self._run(action)
        if isinstance(done.error, AlreadyTaken):
            self.outcome, self.outcome_text = "taken", done.text
        elif not done.ok:
            self.field_errors = done.fields
            self.outcome, self.outcome_text = "error", done.text
        else:
            self.field_errors = {}
            self.outcome, self.outcome_text = success_outcome, self._tr(success_text)
        self._reload(actor)

    @rx.event
    @signed_in
    def accept(self, actor, shown_id: int = 0):
        if not self._still_shown(actor, shown_id):
            return
        # Show "pending" at once; the server's answer follows in the same event.
        self.outcome, self.outcome_text = "pending", self._tr("Sending your answer…")
        yield
        self._answer(
            actor,
            lambda s: participation.accept_mission(s, actor=actor, mission_id=self._mission_id,
                                                   timezone=self._settings.timezone),
            "accepted", N_("Thank you! The mission is yours. The contact details are below."),
        )
        # A full collective action: the place taken is one on its waiting list.
        if self.outcome == "accepted" and self.my_participation == "waitlisted":
            self.outcome_text = self._tr(N_(
                "The action is full: you are on its waiting list and will move up if someone "
                "cancels."))

    @rx.event
    @signed_in
    def decline(self, actor, form_data: dict):
        if not self._still_shown(actor, form_data.get("shown_id")):
            return
        reason = form_text(form_data, "reason")
        self._answer(
            actor,
            lambda s: participation.decline_mission(s, actor=actor, mission_id=self._mission_id,
                                                    reason=reason,
                                                    timezone=self._settings.timezone),
            "declined", N_("Noted. The referent will see your answer."),
        )

    @rx.event
    @signed_in
    def cancel(self, actor, form_data: dict):
        if not self._still_shown(actor, form_data.get("shown_id")):
            return
        reason = form_text(form_data, "reason")
        self._answer(
            actor,
            lambda s: participation.withdraw(s, actor=actor, mission_id=self._mission_id,
                                             reason=reason,
                                             cutoff_hours=self._settings.cancel_cutoff_hours,
                                             timezone=self._settings.timezone),
            "declined", N_("Your participation is cancelled. The referent has been told."),
        )

    @rx.event
    @signed_in
    def mark_done(self, actor, form_data: dict):
        """After the mission: it took place, time spent, feedback, maybe a problem."""
        if not self._still_shown(actor, form_data.get("shown_id")):
            return
        form = confirmation.Confirmation(
            minutes=form_text(form_data, "minutes"),
            feedback=form_text(form_data, "feedback"),
            problem=form_text(form_data, "problem"),
        )
        self._answer(
            actor,
            lambda s: confirmation.confirm(s, actor=actor, mission_id=self._mission_id,
                                           form=form, timezone=self._settings.timezone),
            "done", N_("Well done! Your time has been added to your hour this month."),
        )
