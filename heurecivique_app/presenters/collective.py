"""The roster of a collective action as its attendance page shows it (staff only)."""

from __future__ import annotations

from sqlmodel import Session

from heurecivique_app.domain.models import Mission
from heurecivique_app.i18n import translate
from heurecivique_app.services import collective


def roster_vars(session: Session, mission_id: int, locale: str, timezone: str) -> dict:
    """The live part of the attendance page: who holds a place, who waits (staff only)."""
    lines = collective.roster(session, mission_id)
    mission = session.get(Mission, mission_id)
    if mission is None:
        return {}
    return {
        "capacity": translate("{taken} of {capacity} places taken", locale,
                              taken=mission.accepted_count, capacity=mission.capacity),
        "present_rows": [{
            "id": str(line.user_id), "name": line.name,
            "attended": "" if line.attended is None else ("1" if line.attended else "0"),
        } for line in lines if line.status == "accepted"],
        "waiting_rows": [{
            "id": str(line.user_id), "name": line.name,
            "position": translate("No. {position} on the waiting list", locale,
                                  position=line.position),
        } for line in lines if line.status == "waitlisted"],
    }
