"""The roster of a collective action as its attendance page shows it (staff only)."""

from __future__ import annotations

from typing import TypedDict

from sqlmodel import Session

from heurecivique_app.domain.models import Mission
from heurecivique_app.i18n import translate
from heurecivique_app.services import collective


class PresentRow(TypedDict):
    """Someone holding a place: a box to tick when they came."""

    id: str
    name: str
    attended: str  # "1" came, "0" did not, "" not recorded yet


class WaitingRow(TypedDict):
    """Someone on the action's waiting list, in order."""

    id: str
    name: str
    position: str  # "No. 2 on the waiting list", translated


class RosterVars(TypedDict):
    """The live part of the attendance page, broadcast to the referents on it."""

    capacity: str
    present_rows: list[PresentRow]
    waiting_rows: list[WaitingRow]


def roster_vars(session: Session, mission_id: int, locale: str, timezone: str
                ) -> RosterVars | dict:
    """The live part of the attendance page: who holds a place, who waits (staff only).

    An empty dict when the mission is gone (the broadcast then changes nothing).
    """
    lines = collective.roster(session, mission_id)
    mission = session.get(Mission, mission_id)
    if mission is None:
        return {}
    return RosterVars(
        capacity=translate("{taken} of {capacity} places taken", locale,
                           taken=mission.accepted_count, capacity=mission.capacity),
        present_rows=[PresentRow(
            id=str(line.user_id), name=line.name,
            attended="" if line.attended is None else ("1" if line.attended else "0"),
        ) for line in lines if line.status == "accepted"],
        waiting_rows=[WaitingRow(
            id=str(line.user_id), name=line.name,
            position=translate("No. {position} on the waiting list", locale,
                               position=line.position),
        ) for line in lines if line.status == "waitlisted"],
    )
