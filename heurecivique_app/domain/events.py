"""Domain events, recorded during a transaction and published only after commit.

Services call :func:`record`; the database adapter flushes the recorded events
to the configured publisher when (and only when) the transaction commits.
Other effects outside the database (a mail) go through :func:`on_commit` for
the same reason: nothing leaves the server for a write that is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

_PENDING_KEY = "hc_pending_events"
_ACTIONS_KEY = "hc_after_commit"


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened, addressed to the boards it changes.

    Attributes:
        kind: e.g. "mission.accepted".
        commune_id: the commune whose referent consoles care.
        neighbourhood_id: the board that shows it, or None if no board changes.
        mission_id: the mission concerned, if any.
        actor_name: who did it, as shown in activity feeds.
        data: small public details (never addresses or phones).
    """

    kind: str
    commune_id: int
    neighbourhood_id: int | None = None
    mission_id: int | None = None
    actor_name: str = ""
    data: dict[str, Any] = field(default_factory=dict)


Publisher = Callable[[list[DomainEvent]], None]


def record(session: Session, event: DomainEvent) -> None:
    """Queue ``event`` on ``session``; it is published if the transaction commits."""
    session.info.setdefault(_PENDING_KEY, []).append(event)


def take_pending(session: Session) -> list[DomainEvent]:
    """Remove and return the events queued on ``session``."""
    return session.info.pop(_PENDING_KEY, [])


def on_commit(session: Session, action: Callable[[], object]) -> None:
    """Run ``action`` once the transaction of ``session`` commits; never if it rolls back."""
    session.info.setdefault(_ACTIONS_KEY, []).append(action)


def take_actions(session: Session) -> list[Callable[[], object]]:
    """Remove and return the actions queued on ``session`` by :func:`on_commit`."""
    return session.info.pop(_ACTIONS_KEY, [])
