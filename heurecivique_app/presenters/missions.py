"""Rows of missions as the boards and the console show them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, TypedDict

from babel.dates import format_timedelta
from babel.numbers import format_decimal
from sqlmodel import Session

from heurecivique_app.domain.event_kinds import EventKind
from heurecivique_app.domain.models import Mission, Neighbourhood
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.i18n import format_duration, format_when, translate
from heurecivique_app.presenters.labels import category_label, status_label
from heurecivique_app.services import dashboard, selectors
from heurecivique_app.services.selectors import MissionCard


class MissionRow(TypedDict):
    """One mission card as the boards, the volunteer's home and the console show it."""

    id: str
    title: str
    category: str
    status: str
    status_label: str
    when: str
    duration: str
    neighbourhood: str
    places: str
    href: str
    # What the console may do with it; derived from the status, the same for all staff.
    can_publish: bool
    can_close: bool


class WaitingRow(MissionRow):
    """A published mission nobody took yet, with how long it has waited."""

    age: str


class ActivityRow(TypedDict):
    """One line of the referent's live feed."""

    text: str
    when: str


class PendingVolunteerRow(TypedDict):
    """A volunteer who signed up and waits for their interview."""

    id: str
    name: str
    neighbourhood: str
    since: str
    href: str


class NewReportRow(TypedDict):
    """A relay's report nobody triaged yet."""

    id: str
    title: str
    neighbourhood: str
    when: str
    href: str

ACTIVITY_TEXTS: dict[EventKind, str] = {
    EventKind.NEED_CREATED: N_("{actor} recorded the need “{title}”"),
    EventKind.MISSION_PUBLISHED: N_("{actor} published “{title}”"),
    EventKind.MISSION_ACCEPTED: N_("{actor} accepted “{title}”"),
    EventKind.MISSION_DECLINED: N_("{actor} declined “{title}”"),
    EventKind.MISSION_DONE: N_("{actor} marked “{title}” as done"),
    EventKind.MISSION_CANCELLED: N_("{actor} cancelled “{title}”"),
    # The volunteer app (the reason and the problem themselves are on the mission's follow-up).
    EventKind.PARTICIPATION_CANCELLED: N_("{actor} cancelled their participation in “{title}”"),
    EventKind.PARTICIPATION_CONFIRMED: N_("{actor} confirmed that “{title}” took place"),
    EventKind.PARTICIPATION_PROBLEM: N_("{actor} reported a problem on “{title}”"),
    EventKind.VOLUNTEER_SIGNED_UP: N_("{actor} signed up as a volunteer"),
    EventKind.VOLUNTEER_PAUSED: N_("{actor} paused their participation"),
    EventKind.VOLUNTEER_RESUMED: N_("{actor} resumed their participation"),
    EventKind.MISSION_PROPOSED: N_("{actor} proposed “{title}” to volunteers"),
    EventKind.MISSION_ASSIGNED: N_("{actor} assigned a volunteer to “{title}”"),
    EventKind.MISSION_WAITLISTED: N_("{actor} joined the waiting list of “{title}”"),
    EventKind.MISSION_PROMOTED: N_("A volunteer moved up from the waiting list of “{title}”"),
    EventKind.MISSION_FOLLOWED_UP: N_("{actor} recorded the follow-up of “{title}”"),
    EventKind.MISSION_CLOSED: N_("{actor} closed “{title}”"),
    EventKind.NEED_DUPLICATED: N_("{actor} duplicated the need “{title}”"),
    EventKind.ATTENDANCE_RECORDED: N_("{actor} checked attendance at “{title}”"),
    EventKind.MISSION_EDITED: N_("{actor} changed “{title}”"),
    EventKind.MISSION_VOLUNTEER_REMOVED: N_("{actor} took a volunteer off “{title}”"),
    EventKind.MISSION_HANDED_OVER: N_("{actor} handed “{title}” to another volunteer"),
    EventKind.MISSION_EXPIRED: N_("“{title}” expired: nobody took it before its start"),
}


def card_row(card: MissionCard, locale: str, timezone: str) -> MissionRow:
    """One mission card, every field already translated and formatted."""
    return {
        "id": str(card.id),
        "title": card.title,
        "category": category_label(card.category, locale),
        "status": card.status,
        "status_label": status_label(card.status, locale),
        "when": format_when(card.starts_at, locale, timezone),
        "duration": format_duration(card.duration_minutes, locale),
        "neighbourhood": card.neighbourhood_name,
        "places": translate("{count} place(s) left", locale, count=card.places_left),
        "href": f"/missions/{card.id}",
        "can_publish": card.status == "draft",
        "can_close": card.status == "full",
    }


def board_vars(session: Session, neighbourhood_id: int, locale: str, timezone: str
               ) -> dict[str, Any]:
    """What every viewer of one neighbourhood board sees."""
    hood = session.get(Neighbourhood, neighbourhood_id)
    if hood is None:
        return {"missions": []}
    cards = selectors.board_cards(session, hood)
    return {"missions": [card_row(card, locale, timezone) for card in cards]}


# How many rows each pane of the console lists (its heading counts them all).
PANE_LIMITS = {"missions": 50, "waiting": 20, "activity": 15}


def console_vars(session: Session, commune_id: int, locale: str, timezone: str
                 ) -> dict[str, Any]:
    """What every referent console of one commune sees: its panes and their counts."""
    now = utcnow()
    cards = selectors.commune_missions(session, commune_id=commune_id,
                                       limit=PANE_LIMITS["missions"])
    waiting = selectors.missions_waiting(session, commune_id=commune_id,
                                         limit=PANE_LIMITS["waiting"])
    feed = selectors.commune_activity(session, commune_id=commune_id,
                                      limit=PANE_LIMITS["activity"], actions=ACTIVITY_TEXTS)
    counts = dashboard.pane_counts(session, commune_id=commune_id, timezone=timezone,
                                   activity_actions=ACTIVITY_TEXTS, now=now)
    return {
        **dashboard_vars(session, commune_id, locale, timezone),
        "missions": [card_row(card, locale, timezone) for card in cards],
        "waiting": [
            WaitingRow(**card_row(item.card, locale, timezone),
                       age=translate("waiting for {age}", locale, age=format_timedelta(
                           now - item.published_at, locale=locale)))
            for item in waiting
        ],
        "activity": [
            ActivityRow(text=translate(ACTIVITY_TEXTS[a.action], locale, actor=a.actor_name,
                                       title=a.mission_title),
                        when=format_when(a.at, locale, timezone))
            for a in feed
            if a.action in ACTIVITY_TEXTS
        ],
        "counts": pane_count_texts(counts, locale),
    }


def pane_count_texts(counts: dashboard.PaneCounts, locale: str) -> dict[str, str]:
    """Each pane's count as its heading shows it.

    A number in the locale's digits; the feed's says it counts today's events, its
    list going further back.
    """
    texts = {name: format_decimal(value, locale=locale)
             for name, value in asdict(counts).items()}
    texts["activity_today"] = translate(N_("{count} today"), locale,
                                        count=texts["activity_today"])
    return texts


def _follow_row(card: MissionCard, locale: str, timezone: str) -> MissionRow:
    return {**card_row(card, locale, timezone), "href": f"/console/missions/{card.id}"}


def dashboard_vars(session: Session, commune_id: int, locale: str, timezone: str
                   ) -> dict[str, Any]:
    """Today's missions, follow-ups due, volunteers awaiting validation, new relay reports."""
    today = dashboard.todays_missions(session, commune_id=commune_id, timezone=timezone)
    due = dashboard.followups_due(session, commune_id=commune_id)
    pending = dashboard.volunteers_awaiting_validation(session, commune_id=commune_id)
    reports = dashboard.new_reports(session, commune_id=commune_id)
    return {
        "today": [_follow_row(card, locale, timezone) for card in today],
        "followups": [_follow_row(card, locale, timezone) for card in due],
        "pending_volunteers": [PendingVolunteerRow(
            id=str(p.user_id), name=p.name, neighbourhood=p.neighbourhood,
            since=format_when(p.signed_up, locale, timezone),
            href=f"/console/volunteers/{p.user_id}",
        ) for p in pending],
        "new_reports": [NewReportRow(
            id=str(r.id), title=r.title, neighbourhood=r.neighbourhood,
            when=format_when(r.created_at, locale, timezone), href="/console/reports",
        ) for r in reports],
    }


def mission_vars(session: Session, mission_id: int, locale: str, timezone: str
                 ) -> dict[str, Any]:
    """The public, changing part of a mission page: its status, places, date and text."""
    card = selectors.mission_card(session, mission_id)
    if card is None:
        return {}
    row = card_row(card, locale, timezone)
    mission = session.get(Mission, mission_id)  # already loaded by mission_card
    return {"status": row["status"], "status_label": row["status_label"],
            "places": row["places"], "title": row["title"], "when": row["when"],
            "duration": row["duration"], "neighbourhood": row["neighbourhood"],
            "description": mission.description if mission else ""}


def staff_page_vars(session: Session, mission_id: int, locale: str, timezone: str
                    ) -> dict[str, Any]:
    """The broadcast of a referent's page of one mission: nothing but a new version.

    Those pages hold private data (the beneficiary's phone, who takes part), so no
    payload is shared: each staff tab re-reads its own page from its session when
    the version changes (``components.live_follow``).
    """
    return {"live_version": ""}
