"""A person's own live channel: their tab keeps it whatever boards the page watches, leaves
it when nobody (or someone else) is signed in, and its broadcast carries a version only."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace

from reflex_base.constants.state import FIELD_MARKER

from heurecivique_app.presenters.inbox import inbox_vars
from heurecivique_app.realtime import live as live_module
from heurecivique_app.realtime.live import LiveBoards
from heurecivique_app.settings import Settings


class _EveryNamespace:
    """The same rooms whatever the namespace asked for."""

    def __init__(self, rooms: dict) -> None:
        self._rooms = rooms

    def get(self, _namespace, _default=None) -> dict:
        return self._rooms

    def __getitem__(self, _namespace) -> dict:
        return self._rooms


class FakeManager:
    """socket.io's room bookkeeping, for one namespace."""

    def __init__(self) -> None:
        self.by_sid: dict[str, set[str]] = {}
        self.connected = {"tab"}

    @property
    def rooms(self) -> _EveryNamespace:
        """Every namespace's rooms as socket.io keeps them: room -> its sockets, room None
        holding every connected one (a closed socket is out of all its rooms)."""
        rooms: dict = {None: dict.fromkeys(self.connected)}
        for sid in self.connected:
            for room in self.by_sid.get(sid, set()):
                rooms.setdefault(room, {})[sid] = sid
        return _EveryNamespace(rooms)

    def basic_enter_room(self, sid, namespace, room):
        self.by_sid.setdefault(sid, set()).add(room)

    def basic_leave_room(self, sid, namespace, room):
        self.by_sid.get(sid, set()).discard(room)


class FakeState:
    @classmethod
    def get_full_name(cls) -> str:
        return "state.app_state"


def _worker() -> tuple[LiveBoards, FakeManager]:
    worker = LiveBoards()
    worker.register("board", FakeState, lambda *a: {"rows": []})
    worker.register("inbox", FakeState, inbox_vars, version_var="inbox_version", personal=True)
    manager = FakeManager()
    worker._app = SimpleNamespace(sio=SimpleNamespace(manager=manager))  # noqa: SLF001
    return worker, manager


def test_a_tab_keeps_its_persons_channel_across_pages_and_leaves_it_at_logout() -> None:
    worker, manager = _worker()
    worker.follow_person("tab", "inbox:7", "fr")
    worker.watch("tab", {"board:1"}, "fr")
    assert manager.by_sid["tab"] == {"hc:inbox:7:fr", "hc:board:1:fr"}
    worker.watch("tab", {"board:2"}, "fr")  # another page: its boards change, not the person
    assert manager.by_sid["tab"] == {"hc:inbox:7:fr", "hc:board:2:fr"}
    worker.follow_person("tab", "inbox:9", "fr")  # another user signed in on the same tab
    assert manager.by_sid["tab"] == {"hc:inbox:9:fr", "hc:board:2:fr"}
    worker.follow_person("tab", None, "fr")  # nobody signed in any more
    assert manager.by_sid["tab"] == {"hc:board:2:fr"}


def test_the_persons_broadcast_is_a_version_and_nothing_else(monkeypatch) -> None:
    monkeypatch.setattr(live_module, "get_settings", lambda: Settings.from_env({}))
    monkeypatch.setattr(live_module, "session_scope", contextlib.nullcontext)
    worker, _ = _worker()
    [(room, update)] = worker._payloads([("inbox:7", "fr")], "v1")  # noqa: SLF001
    assert room == "hc:inbox:7:fr"
    assert update == {"delta": {"state.app_state": {f"inbox_version{FIELD_MARKER}": "v1"}}}


def test_an_event_whose_socket_is_gone_moves_nothing_and_does_not_fail() -> None:
    """A worker finishing the events it received after closing its sockets (a rolling
    restart), or a tab that reloaded: the page load's work is done, the socket is not
    there to watch anything (socket.io raised KeyError and the event failed)."""
    worker, manager = _worker()
    manager.connected = set()
    worker.follow_person("tab", "inbox:7", "fr")
    worker.watch("tab", {"board:1"}, "fr")
    assert manager.by_sid == {}


def test_rooms_are_known_without_scanning_and_closed_sockets_forgotten() -> None:
    """``_move`` keeps its own index of each socket's rooms (socket.io's get_rooms scans
    every room of the worker): a room socket.io took the socket out of is joined again,
    and the entries of closed sockets do not pile up."""
    worker, manager = _worker()
    worker.watch("tab", {"board:1"}, "fr")
    manager.by_sid["tab"].discard("hc:board:1:fr")  # socket.io's doing, not ours
    worker.watch("tab", {"board:1"}, "fr")
    assert manager.by_sid["tab"] == {"hc:board:1:fr"}
    for n in range(500):  # tabs that came and went, one at a time
        manager.connected = {f"tab{n}"}
        worker.watch(f"tab{n}", {"board:1"}, "fr")
    assert manager.by_sid["tab499"] == {"hc:board:1:fr"}
    assert len(worker._joined) <= 2 * len(manager.connected) + 101  # noqa: SLF001
