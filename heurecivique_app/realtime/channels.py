"""Which live channels a domain event concerns. Pure; no reflex."""

from __future__ import annotations

from heurecivique_app.domain.events import DomainEvent

# Events that change what a board or a console shows. Anything else fans out to nobody.
BOARD_EVENTS = frozenset({
    "mission.published", "mission.accepted", "mission.declined", "mission.withdrawn",
    "mission.cancelled", "mission.done", "need.created", "volunteer.validated",
})


def board_channel(neighbourhood_id: int) -> str:
    return f"board:{neighbourhood_id}"


def console_channel(commune_id: int) -> str:
    return f"console:{commune_id}"


def channels_for(event: DomainEvent) -> set[str]:
    """The channels to notify: the neighbourhood's board (if any) and the commune's consoles."""
    if event.kind not in BOARD_EVENTS:
        return set()
    channels = {console_channel(event.commune_id)}
    if event.neighbourhood_id is not None:
        channels.add(board_channel(event.neighbourhood_id))
    return channels
