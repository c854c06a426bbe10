"""A volunteer's status as an explicit state machine, like a mission's (``lifecycle``).

Pausing is one rule whoever asks, the volunteer (holidays) or a referent (the
volunteer asked them on the phone): a break can start before the interview
with a referent, and a volunteer coming back gets the status they had.
"""

from __future__ import annotations

from datetime import datetime

from heurecivique_app.domain.enums import VolunteerStatus as V
from heurecivique_app.domain.volunteering import status_after_pause

# Allowed moves. A referent's validation (after the interview) makes a volunteer active.
TRANSITIONS: dict[V, frozenset[V]] = {
    V.PENDING: frozenset({V.ACTIVE, V.PAUSED}),
    V.ACTIVE: frozenset({V.PAUSED}),
    V.PAUSED: frozenset({V.ACTIVE, V.PENDING}),
}


def can_change(current: str, target: str) -> bool:
    """Whether a volunteer may go from ``current`` to ``target``."""
    return V(target) in TRANSITIONS[V(current)]


def after_pause_request(current: str, *, paused: bool,
                        validated_at: datetime | None) -> V | None:
    """The status a pause (or resume) request leads to; None if there is nothing to do.

    Asking again for the status one already has (a double tap, two tabs) changes
    nothing rather than failing: the volunteer ends up where they asked to be.
    """
    target = V.PAUSED if paused else status_after_pause(validated_at)
    if V(current) == target or (not paused and V(current) != V.PAUSED):
        return None
    assert can_change(current, target), (current, target)
    return target
