"""The mission lifecycle as an explicit state machine."""

from __future__ import annotations

from datetime import datetime

from heurecivique_app.domain.enums import MissionStatus as S
from heurecivique_app.domain.errors import InvalidTransition
from heurecivique_app.domain.text import N_

# Allowed moves. "full" means every place is taken; a cancellation reopens it.
TRANSITIONS: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.OPEN, S.CANCELLED}),
    S.OPEN: frozenset({S.FULL, S.DONE, S.CANCELLED, S.EXPIRED}),
    S.FULL: frozenset({S.OPEN, S.DONE, S.CANCELLED}),
    S.DONE: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
}

_REFUSALS: dict[S, str] = {
    S.OPEN: N_("This mission cannot be published from its current status."),
    S.FULL: N_("This mission is not open to volunteers."),
    S.DONE: N_("Only a mission with a volunteer can be marked as done."),
    S.CLOSED: N_("Only a mission marked as done can be closed."),
    S.CANCELLED: N_("This mission can no longer be cancelled."),
    S.EXPIRED: N_("Only an open mission can expire."),
}


def can_transition(current: str, target: str) -> bool:
    """Whether a mission may go from ``current`` to ``target``."""
    return S(target) in TRANSITIONS[S(current)]


def check_transition(current: str, target: str) -> S:
    """Return the target status, or raise a translatable InvalidTransition."""
    if not can_transition(current, target):
        raise InvalidTransition(
            _REFUSALS.get(S(target), N_("This change of status is not possible.")),
            current=current,
            target=target,
        )
    return S(target)


def status_after_acceptance(accepted_count: int, capacity: int) -> S:
    """Status once ``accepted_count`` volunteers hold a place."""
    return S.FULL if accepted_count >= capacity else S.OPEN


# A mission whose start has passed takes no more volunteers: nobody should turn up
# at a door an hour late, and an unfilled one expires (see :func:`expires`).
STARTED = N_("This mission has already started: it can no longer be accepted.")

# The referent may still change or cancel a mission while it is to come.
UNDER_CONTROL = frozenset({S.DRAFT, S.OPEN, S.FULL})
NOT_UNDER_CONTROL = N_("This mission can no longer be changed.")


def takes_volunteers(starts_at: datetime, now: datetime) -> bool:
    """Whether a place may still be taken: only before the mission starts."""
    return now < starts_at


def expires(status: str, accepted_count: int, starts_at: datetime, now: datetime) -> bool:
    """Whether an open mission nobody took is past its start, so leaves the boards."""
    return S(status) == S.OPEN and accepted_count == 0 and not takes_volunteers(starts_at, now)


def under_control(status: str) -> bool:
    """Whether the referent may still edit, cancel or re-staff a mission."""
    return S(status) in UNDER_CONTROL
