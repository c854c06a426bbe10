"""The follow-up page of one mission (/console/missions/<id>), for the commune's staff.

Unlike the boards' rows this is private to the commune's staff: the beneficiary's
contact is there so the referent can call them back.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import TypedDict
from zoneinfo import ZoneInfo

from heurecivique_app.domain.followup import RECURRING_EXPLANATION
from heurecivique_app.domain.lifecycle import under_control
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_duration, format_phone, format_when, translate
from heurecivique_app.presenters.labels import category_label, status_label
from heurecivique_app.services.followup import FollowUpView, VolunteerAccount
from heurecivique_app.services.missions.control import CONCERNED, edit_values

PARTICIPATION_LABELS = {"accepted": N_("Holds a place"), "waitlisted": N_("On the waiting list"),
                        "declined": N_("Declined"), "cancelled": N_("Withdrew"),
                        "proposed": N_("Proposed")}


class VolunteerAccountRow(TypedDict):
    """One volunteer of the mission and what they said about it."""

    id: str
    name: str
    status: str
    reported: str
    credited: str
    feedback: str
    problem: str
    attended: str  # "Present" / "Absent", or "" while nobody checked
    can_take_off: bool  # holds a place, waits or was offered it, on a mission still to come


class FollowUpFormValues(TypedDict):
    """The follow-up form, prefilled from an earlier follow-up or the planned duration."""

    minutes: str
    went_well: str  # "yes" / "no" / ""
    called: str  # "1" when ticked
    beneficiary_satisfaction: str
    volunteer_satisfaction: str
    incident: str


class MissionEditValues(TypedDict):
    """The edit form of a mission still to come, prefilled with the mission as it is."""

    title: str
    description: str
    day: str
    hour: str
    duration_minutes: str
    capacity: str
    address: str
    neighbourhood_id: str


class FollowUpVars(TypedDict):
    """Every var of the follow-up page, by name."""

    mission_id: str
    title: str
    status: str
    status_label: str
    category: str
    when: str
    duration: str
    neighbourhood: str
    is_collective: bool
    can_follow_up: bool
    beneficiary_name: str
    beneficiary_phone: str
    beneficiary_phone_label: str
    volunteers: list[VolunteerAccountRow]
    recurring_text: str
    form: FollowUpFormValues
    duplicate_default: str
    under_control: bool
    edit: MissionEditValues


def _minutes(minutes: int | None, locale: str) -> str:
    return format_duration(minutes, locale) if minutes else ""


def volunteer_account_row(account: VolunteerAccount, locale: str,
                          controlled: bool = False) -> VolunteerAccountRow:
    """One volunteer's account of the mission, translated.

    ``controlled``: the mission is still to come, so the referent may take them off.
    """
    attended = ("" if account.attended is None
                else translate(N_("Present") if account.attended else N_("Absent"), locale))
    return VolunteerAccountRow(
        id=str(account.user_id), name=account.name,
        status=translate(PARTICIPATION_LABELS.get(account.status, account.status), locale),
        reported=_minutes(account.reported_minutes, locale),
        credited=_minutes(account.credited_minutes, locale),
        feedback=account.feedback, problem=account.problem, attended=attended,
        can_take_off=controlled and account.status in CONCERNED,
    )


def form_values(view: FollowUpView) -> FollowUpFormValues:
    """The earlier follow-up if any; else the time a volunteer reported, or the planned one."""
    record = view.record
    reported = next((v.reported_minutes for v in view.volunteers if v.reported_minutes), None)
    if record is None:
        return FollowUpFormValues(
            minutes=str(reported or view.mission.duration_minutes), went_well="", called="",
            beneficiary_satisfaction="", volunteer_satisfaction="", incident="")
    return FollowUpFormValues(
        minutes=str(record.minutes),
        went_well="yes" if record.went_well else "no",
        called="1" if record.beneficiary_called else "",
        beneficiary_satisfaction=str(record.beneficiary_satisfaction or ""),
        volunteer_satisfaction=str(record.volunteer_satisfaction or ""),
        incident=record.incident,
    )


def followup_vars(view: FollowUpView, locale: str, timezone: str, now: datetime
                  ) -> FollowUpVars:
    """The whole page; a duplicate is offered a week after the mission (or after now)."""
    mission = view.mission
    flag = view.recurring
    controlled = under_control(mission.status)
    next_week = max(mission.starts_at, now) + timedelta(days=7)
    return FollowUpVars(
        mission_id=str(mission.id),
        title=mission.title,
        status=mission.status,
        status_label=status_label(mission.status, locale),
        category=category_label(mission.category, locale),
        when=format_when(mission.starts_at, locale, timezone),
        duration=format_duration(mission.duration_minutes, locale),
        neighbourhood=view.neighbourhood_name,
        is_collective=view.is_collective,
        can_follow_up=view.can_follow_up,
        beneficiary_name=view.beneficiary_name,
        beneficiary_phone=view.beneficiary_phone,
        beneficiary_phone_label=(format_phone(view.beneficiary_phone)
                                 if view.beneficiary_phone else ""),
        volunteers=[volunteer_account_row(v, locale, controlled) for v in view.volunteers],
        recurring_text=(translate(RECURRING_EXPLANATION, locale, count=flag.count,
                                  days=flag.days) if flag else ""),
        form=form_values(view),
        duplicate_default=next_week.astimezone(ZoneInfo(timezone)).date().isoformat(),
        under_control=controlled,
        edit=MissionEditValues(**asdict(edit_values(mission, timezone))),
    )
