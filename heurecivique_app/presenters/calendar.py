"""A mission as an iCalendar (.ics) event: the invitation e-mailed and the page download.

Only what the volunteer may keep in a calendar app outside our control: the
mission's title, time, neighbourhood and a link to its page (the exact address
and the beneficiary's contact stay in the app, behind the login).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate

ICS_TYPE = "text/calendar"


def mission_ics(*, mission_id: int, title: str, starts_at: datetime, duration_minutes: int,
                neighbourhood: str, url: str, commune: str, locale: str,
                domain: str = "heurecivique") -> bytes:
    """One VEVENT in a VCALENDAR (METHOD:PUBLISH), UTF-8 bytes.

    The UID is stable per mission, so a second invitation (the mission moved)
    updates the calendar's entry instead of adding another; SEQUENCE follows the
    start time for the same reason.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//L'Heure Civique//HeureCivique//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    place = translate(N_("{neighbourhood}, {commune}"), locale, neighbourhood=neighbourhood,
                      commune=commune)
    text = translate(N_("A mission of L'Heure Civique. The address and the contact are on "
                        "the mission's page: {url}"), locale, url=url)
    event = Event.new(uid=f"mission-{mission_id}@{domain}", summary=title, start=starts_at,
                      end=starts_at + timedelta(minutes=duration_minutes), location=place,
                      description=text, url=url, stamp=datetime.now(starts_at.tzinfo),
                      sequence=int(starts_at.timestamp()) // 60 % 2**31)
    calendar.add_component(event)
    return calendar.to_ical()
