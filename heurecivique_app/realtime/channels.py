"""Which live channels a domain event concerns. Pure; no reflex."""

from __future__ import annotations

from heurecivique_app.domain.event_kinds import EventKind as K
from heurecivique_app.domain.events import DomainEvent

# Events that change what a board, a mission page or a console shows. Anything
# else (a user editing their profile, a login) fans out to nobody.
BOARD_EVENTS = frozenset({
    K.MISSION_PUBLISHED, K.MISSION_ACCEPTED, K.MISSION_DECLINED, K.MISSION_WITHDRAWN,
    K.MISSION_CANCELLED, K.MISSION_DONE, K.NEED_CREATED, K.MISSION_ASSIGNED,
    K.MISSION_EDITED, K.MISSION_VOLUNTEER_REMOVED, K.MISSION_HANDED_OVER, K.MISSION_EXPIRED,
})

# Events that change only what the commune's consoles show (pool, follow-up, feed).
CONSOLE_EVENTS = frozenset({
    K.VOLUNTEER_SIGNED_UP, K.VOLUNTEER_VALIDATED, K.VOLUNTEER_PAUSED,
    K.PARTICIPATION_CANCELLED, K.PARTICIPATION_CONFIRMED, K.PARTICIPATION_PROBLEM,
    K.REPORT_CREATED, K.MISSION_PROPOSED,
    K.MISSION_WAITLISTED, K.MISSION_PROMOTED, K.MISSION_FOLLOWED_UP, K.MISSION_CLOSED,
    K.ATTENDANCE_RECORDED,
})

# Events that change who takes part in a mission: the referent's roster of it
# (attendance page) follows them live. Staff only: the roster names people.
ROSTER_EVENTS = frozenset({
    K.MISSION_ACCEPTED, K.MISSION_ASSIGNED, K.MISSION_WITHDRAWN, K.MISSION_WAITLISTED,
    K.MISSION_PROMOTED,
    K.MISSION_DONE, K.MISSION_CANCELLED, K.MISSION_CLOSED, K.ATTENDANCE_RECORDED,
    K.MISSION_EDITED, K.MISSION_VOLUNTEER_REMOVED, K.MISSION_HANDED_OVER, K.MISSION_EXPIRED,
})

# The referent's own pages of one mission (follow-up, matching) follow every change of it;
# their broadcast carries no data: each staff tab re-reads its page from its session.
STAFF_MISSION_KINDS = ("followup", "match")


def board_channel(neighbourhood_id: int) -> str:
    return f"board:{neighbourhood_id}"


def console_channel(commune_id: int) -> str:
    return f"console:{commune_id}"


def mission_channel(mission_id: int) -> str:
    return f"mission:{mission_id}"


def roster_channel(mission_id: int) -> str:
    return f"roster:{mission_id}"


def staff_mission_channels(mission_id: int) -> set[str]:
    """The channels of the referent's own pages of one mission."""
    return {f"{kind}:{mission_id}" for kind in STAFF_MISSION_KINDS}


def inbox_channel(user_id: int) -> str:
    """One person's notification centre: only that person's tabs watch it."""
    return f"inbox:{user_id}"


def channels_for(event: DomainEvent) -> set[str]:
    """The commune's consoles and dashboards, and the board and page of the mission if it
    is public; for a notification, the recipients' own channels."""
    if event.kind == K.INBOX_CHANGED:
        return {inbox_channel(user_id) for user_id in event.data.get("user_ids", ())}
    channels: set[str] = set()
    if event.kind in CONSOLE_EVENTS or event.kind in BOARD_EVENTS:
        channels.add(stats_channel(event.commune_id))
    if event.kind in ROSTER_EVENTS and event.mission_id is not None:
        channels.add(roster_channel(event.mission_id))
    if event.mission_id is not None and (
            event.kind in BOARD_EVENTS or event.kind in CONSOLE_EVENTS
            or event.kind in ROSTER_EVENTS):
        channels |= staff_mission_channels(event.mission_id)
    if event.kind in CONSOLE_EVENTS:
        return channels | {console_channel(event.commune_id)}
    if event.kind not in BOARD_EVENTS:
        return channels
    channels.add(console_channel(event.commune_id))
    moved_from = event.data.get("moved_from")
    if isinstance(moved_from, int):  # the mission left that board for another
        channels.add(board_channel(moved_from))
    if event.neighbourhood_id is not None:
        channels.add(board_channel(event.neighbourhood_id))
        if event.mission_id is not None:
            channels.add(mission_channel(event.mission_id))
    return channels


def stats_channel(commune_id: int) -> str:
    """The commune's evaluation dashboards (and its département's): any change moves them."""
    return f"stats:{commune_id}"


def parse(channel: str) -> tuple[str, int]:
    """("board", 3) from "board:3"."""
    kind, _, key = channel.partition(":")
    return kind, int(key)
