"""The soak test's simulated people: raw websocket tabs speaking the app's protocol.

A :class:`Tab` is what a browser tab does with its socket: it connects with its
session cookie and a token it keeps for life (``sessionStorage``), its page's
``hydrate_and_load`` event riding in the socket.io CONNECT packet (as
.web/utils/state.js sends it: the backend then sends the whole state and runs the
page's ``on_load`` chain itself), then sends one event at a time and reads frames
until that event's answer. When its socket drops it reconnects, as the
frontend does (at once, then 200 ms × failed attempts), to its worker or, while
that one is down, to the other (what the reverse proxy's upstream failover does in
production), with the same boot event: the time from the drop to the page's
``on_load`` answer is its reconnect time, split into the socket's opening, the
whole state's arrival and the page load's (``phases``).

Frames: every event answer and every live broadcast is a ``42/_event,["event",
{"delta": ...}]`` frame; broadcasts are the ones carrying a ``live_version``
(handlers never set it; a hydrated state holds an empty one), answers are told
apart by the variables their handler sets (``Page`` and the marks below). A tab
whose server-side state is gone (Redis restarted empty) is rebuilt by Reflex on
its next event: the whole state (``is_hydrated`` false), the page's ``on_load``
answer, then the event's own answer; so the marks of actions name a value only
the action sets (an outcome, a message), never one a load resets to "".
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

EVENT_FRAME = '42/_event,["event",'
# A broadcast stamps a version (time_ns); the hydrated state's copy is still "".
LIVE_MARK = re.compile(r'"live_version_rx_state_":"\d')
ERROR_MARK = "backend_error"
FULL_STATE = '"is_hydrated_rx_state_":false'
CONNECT_REFUSED = "44/_event"
OUTCOME_SET = re.compile(r'"outcome_rx_state_":"(?!pending")\w+"')


def said(var: str) -> re.Pattern:
    """The mark of an answer that sets text variable ``var`` to something."""
    return re.compile(f'"{var}_rx_state_":"[^"]')


def shows(mission_id: int) -> re.Pattern:
    """The mark of a mission page's answer about ``mission_id``: every re-read of the page
    sets ``shown_id``, so the late answer of an event about another mission (sent on a
    socket that has since dropped, and delivered to this one) is not taken for it."""
    return re.compile(f'"shown_id_rx_state_":{mission_id}[,}}]')


class Boot:
    """What a (re)connecting tab waits for: the page's load answer, after the whole state
    (which may still carry the marks of the page's previous load: never the answer)."""

    def __init__(self, mark: re.Pattern) -> None:
        self.mark = mark
        self.hydrated_at: float | None = None

    def search(self, message: str) -> bool:
        return FULL_STATE not in message and bool(self.mark.search(message))


class AllOf:
    """A mark made of several: the frame must hold each (in any order)."""

    def __init__(self, *marks: re.Pattern) -> None:
        self.marks = marks

    def search(self, message: str) -> bool:
        return all(mark.search(message) for mark in self.marks)

ANSWER_TIMEOUT_S = 15.0  # then the person reloads the page (a new socket)
OPEN_TIMEOUT_S = 5.0
NO_ANSWER = "no answer"
PAGE_WAIT_S = 60.0  # a page being (re)loaded waits this long for its data
# Reflex's frontend (.web/utils/state.js) turns socket.io's own reconnection off: after
# a drop it reconnects at once, and after each failed attempt n (connect_error, or the
# transport closed before the namespace connected) waits 200 ms × n (n at most 10).
# (Until issue 21's fixes the tabs here waited as socket.io's default does, 1 s doubling
# up to 5 s, ±50 %: a second or more that no browser spends.)
RECONNECT_STEP_S = 0.2
RECONNECT_MAX_STEPS = 10
PARTICIPATION = re.compile(r'"my_participation_rx_state_":"(\w*)"')
OUTCOME = re.compile(r'"outcome_rx_state_":"(\w*)"')
MISSION_HREF = re.compile(r'"id":"(\d+)"[^{}]*?"status":"(\w+)"')


class Names:
    """Full names of the states and handlers the clients call (imported once per process)."""

    def __init__(self) -> None:
        from heurecivique_app.state.board import BoardState
        from heurecivique_app.state.console import ConsoleState
        from heurecivique_app.state.followup import FollowUpState
        from heurecivique_app.state.intake import IntakeState
        from heurecivique_app.state.match import MatchState
        from heurecivique_app.state.mission import MissionState

        # The frontend's one boot event (its app.initialEvents(), .web/utils/context.js).
        self.boot = f"{BoardState.get_root_state().get_full_name()}.hydrate_and_load"
        self.board = BoardState.get_full_name()
        self.mission = MissionState.get_full_name()
        self.console = ConsoleState.get_full_name()
        self.intake = IntakeState.get_full_name()
        self.match = MatchState.get_full_name()
        self.followup = FollowUpState.get_full_name()


@dataclass(frozen=True)
class Page:
    """A page a tab shows: its path and route query, its load handler, the mark of the
    load's answer (a variable only that handler sets)."""

    path: str
    query: dict
    load: str
    mark: re.Pattern


@dataclass
class Record:
    """What one client process measured, merged by the orchestrator."""

    # action -> [(monotonic send time, latency ms)] for answered events
    latencies: dict[str, list[tuple[float, float]]] = field(
        default_factory=lambda: defaultdict(list))
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failure_reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refusals: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # action -> the app's message -> how many times (what a refused action said)
    reasons: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    handler_errors: int = 0
    errors_5xx: int = 0
    # (monotonic time of the drop, seconds until the page was loaded again, phases: seconds
    # from the drop to the socket's opening, then to the whole state, then to the load)
    reconnects: list[tuple[float, float, dict]] = field(default_factory=list)
    # (monotonic send time, latency ms) of the events answered after a rebuilt state
    # (the server had lost the tab's state: Redis restarted empty)
    rebuilt: list[tuple[float, float]] = field(default_factory=list)
    never_back: int = 0
    reloads: int = 0  # pages reloaded after an answer did not come in time
    broadcasts: int = 0
    broadcasts_at: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # per s
    # whole states sent unasked: the server had lost the tab's state and rebuilt it
    state_rebuilds: int = 0
    # worker port -> tabs connected to it at the end (how the workers shared them)
    tabs_on: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    believed: dict[tuple[int, int], str] = field(default_factory=dict)
    unanswered: set[tuple[int, int]] = field(default_factory=set)
    # (volunteer, mission) -> [(monotonic time, what was sent or seen)], to explain a loss
    history: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))

    def as_json(self) -> dict:
        return {
            "latencies": dict(self.latencies), "failures": dict(self.failures),
            "failure_reasons": dict(self.failure_reasons),
            "refusals": dict(self.refusals),
            "reasons": {a: dict(texts) for a, texts in self.reasons.items()},
            "handler_errors": self.handler_errors,
            "errors_5xx": self.errors_5xx, "reconnects": self.reconnects,
            "rebuilt": self.rebuilt,
            "never_back": self.never_back, "reloads": self.reloads, "broadcasts": self.broadcasts,
            "state_rebuilds": self.state_rebuilds,
            "broadcasts_at": dict(self.broadcasts_at),
            "tabs_on": dict(self.tabs_on),
            "believed": [[v, m, s] for (v, m), s in self.believed.items()],
            "unanswered": [list(pair) for pair in self.unanswered],
            "history": [[v, m, steps] for (v, m), steps in self.history.items()],
        }


MESSAGE = re.compile(
    r'"(?:outcome_text|form_message|result|message|field_errors)_rx_state_":("[^"]*"|\{[^}]*\})')


def refused(record: Record, action: str, answer: str) -> None:
    """Count a refusal and what the page said about it."""
    record.refusals[action] += 1
    said = "; ".join(m for m in MESSAGE.findall(answer) if m not in ('""', "{}"))
    record.reasons[action][said[:120]] += 1


class Dropped(Exception):
    """The socket closed (or the answer never came) while an event waited for it."""


class Tab:
    """One browser tab of one signed-in person, with its own reconnecting socket."""

    def __init__(self, names: Names, ports: list[int], home: int, cookie: str,
                 record: Record, stop_at: float) -> None:
        self.names, self.ports, self.home, self.cookie = names, ports, home, cookie
        self.record, self.stop_at = record, stop_at
        self.token = str(uuid.uuid4())
        self.page: Page | None = None
        self.ws = None
        self.ready = asyncio.Event()
        self._waiter: tuple[re.Pattern, asyncio.Future] | None = None
        self._reader: asyncio.Task | None = None
        self._closing = False
        self._connecting = False
        self.port: int | None = None  # the worker of the open socket
        self._rebuilt = False  # a whole state came unasked while the current event waited

    def body(self, name: str, payload: dict | None = None, page: Page | None = None) -> dict:
        """One event sent from ``page`` (default: the tab's current page)."""
        page = page or self.page
        router = {"pathname": page.path, "asPath": page.path, "query": page.query}
        return {"token": self.token, "name": name, "router_data": router,
                "payload": payload or {}}

    def event(self, name: str, payload: dict | None = None, page: Page | None = None) -> str:
        """The frame of one event sent from ``page`` (default: the tab's current page)."""
        return "42/_event," + json.dumps(["event", self.body(name, payload, page)])

    # --- the socket ------------------------------------------------------------------------

    async def _open(self, port: int):
        """The websocket, engine.io open; the socket.io namespace is not connected yet."""
        ws = await connect(
            f"ws://127.0.0.1:{port}/_event/?EIO=4&transport=websocket&token={self.token}",
            additional_headers={"Cookie": f"hc_session={self.cookie}; hc_locale=fr"},
            origin=f"http://127.0.0.1:{port}", compression=None, max_queue=None,
            open_timeout=OPEN_TIMEOUT_S, ping_interval=None, close_timeout=1,
        )
        try:
            async with asyncio.timeout(OPEN_TIMEOUT_S):
                await ws.recv()  # engine.io open
        except BaseException:
            await ws.close()
            raise
        return ws

    async def connect(self, page: Page) -> dict:
        """Connect (to the home worker, else the other), hydrate and load ``page``; after a
        drop too, at once, as the frontend does. The phases' times (monotonic)."""
        self._connecting = True
        try:
            return await self._connect(page)
        finally:
            self._connecting = False

    async def _connect(self, page: Page) -> dict:
        self.page = page
        attempt = 0
        while time.monotonic() < self.stop_at:
            if attempt:  # as the frontend: at once after a drop, then 0.2 s, 0.4 s, ... 2 s
                await asyncio.sleep(RECONNECT_STEP_S * min(attempt, RECONNECT_MAX_STEPS))
            port = self.ports[(self.home + attempt) % len(self.ports)]
            attempt += 1
            try:
                self.ws = await self._open(port)
            except InvalidStatus as refused:
                if refused.response.status_code >= 500:
                    self.record.errors_5xx += 1
                continue
            except Exception:  # refused, reset, timed out: the next worker
                continue
            opened = time.monotonic()
            self.port = port
            boot = Boot(page.mark)
            future = asyncio.get_running_loop().create_future()
            self._waiter = (boot, future)
            self._reader = asyncio.create_task(self._read(self.ws))
            try:  # the page waits for its data as long as the socket stays up
                # From the page being reconnected, even if the person has meanwhile
                # tapped a link (navigate() changes self.page and waits for us).
                auth = {"event": self.body(self.names.boot, None, page)}
                await self._wait(self.ws.send("40/_event," + json.dumps(auth)), future,
                                 PAGE_WAIT_S)
            except Dropped:
                ws, self.ws = self.ws, None
                if ws is not None:
                    await ws.close()
                continue
            self.ready.set()
            return {"opened": opened, "hydrated": boot.hydrated_at,
                    "loaded": time.monotonic(), "attempts": attempt}
        raise Dropped("stopped before reconnecting")

    async def _read(self, ws) -> None:  # noqa: C901 - one dispatch per kind of frame
        try:
            async for message in ws:
                if message == "2":
                    await ws.send("3")
                    continue
                waiter = self._waiter
                if message.startswith(CONNECT_REFUSED):  # the frontend retries, as we do
                    if waiter is not None and not waiter[1].done():
                        waiter[1].set_exception(Dropped("connect refused"))
                    continue
                if not message.startswith(EVENT_FRAME):
                    continue
                if LIVE_MARK.search(message):
                    self.record.broadcasts += 1
                    self.record.broadcasts_at[int(time.monotonic())] += 1
                    continue
                if waiter is None or waiter[1].done():
                    continue
                if ERROR_MARK in message:
                    self.record.handler_errors += 1
                    waiter[1].set_result(message)
                elif FULL_STATE in message:
                    if isinstance(waiter[0], Boot):
                        waiter[0].hydrated_at = waiter[0].hydrated_at or time.monotonic()
                    else:  # the server had lost this tab's state and rebuilt it
                        self.record.state_rebuilds += 1
                        self._rebuilt = True
                elif waiter[0].search(message):
                    waiter[1].set_result(message)
        except Exception:
            pass
        finally:
            if self._waiter is not None and not self._waiter[1].done():
                self._waiter[1].set_exception(Dropped("socket closed"))
            if self.ws is ws and not self._closing and not self._connecting:
                self.ready.clear()
                asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        dropped = time.monotonic()
        self.ws = None
        # The proxy marks the upstream that dropped us as failed and tries the next one.
        self.home = (self.home + 1) % len(self.ports)
        try:
            times = await self.connect(self.page)
        except Dropped:
            self.record.never_back += 1
            return
        hydrated = times["hydrated"]
        phases = {
            "open_s": times["opened"] - dropped,
            "hydrate_s": hydrated - times["opened"] if hydrated else None,
            "load_s": times["loaded"] - (hydrated or times["opened"]),
            "attempts": times["attempts"],
        }
        self.record.reconnects.append((dropped, times["loaded"] - dropped, phases))

    async def _wait(self, sending, future: asyncio.Future, timeout: float) -> str:
        """Send (``sending``: the send coroutine), then wait for ``future`` (the waiter's)."""
        try:
            await sending
            async with asyncio.timeout(timeout):
                return await future
        except TimeoutError as late:
            raise Dropped(NO_ANSWER) from late
        except Dropped:
            raise
        except Exception as closed:
            raise Dropped(str(closed)) from closed
        finally:
            self._waiter = None

    async def _send(self, name: str, payload: dict | None, mark: re.Pattern,
                    timeout: float = ANSWER_TIMEOUT_S, page: Page | None = None) -> str:
        """Send one event; the first answer frame where ``mark`` is found."""
        future = asyncio.get_running_loop().create_future()
        self._waiter = (mark, future)
        return await self._wait(self.ws.send(self.event(name, payload, page)), future, timeout)

    async def _reload(self) -> None:
        """Reload the page on a new socket: an answer that comes late must not pass for
        the answer of a later event."""
        self.record.reloads += 1
        ws, self.ws = self.ws, None  # the reader's end then starts no reconnection
        # A new token, as a new tab: Reflex sends a token's answers to its current socket,
        # so with the old one the late answer would still come and mislead this page.
        self.token = str(uuid.uuid4())
        self.ready.clear()
        await ws.close()
        try:
            await self.connect(self.page)
        except Dropped:
            pass

    async def close(self) -> None:
        self._closing = True
        if self.ws is not None:
            self.record.tabs_on[str(self.port)] += 1
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()

    # --- timed actions ---------------------------------------------------------------------

    async def call(self, action: str, name: str, payload: dict | None,
                   mark: re.Pattern) -> str | None:
        """One timed action; None when it got no answer (counted as a failure)."""
        if not self.ready.is_set():
            try:
                async with asyncio.timeout(max(0.1, self.stop_at - time.monotonic())):
                    await self.ready.wait()
            except TimeoutError:
                return None
        sent = time.monotonic()
        self._rebuilt = False
        try:
            answer = await self._send(name, payload, mark)
        except Dropped as lost:
            self.record.failures[action] += 1
            self.record.failure_reasons[str(lost)[:80]] += 1
            if str(lost) == NO_ANSWER and self.ws is not None:
                await self._reload()
            return None
        if ERROR_MARK in answer:
            self.record.failures[action] += 1
            return None
        self.record.latencies[action].append((sent, (time.monotonic() - sent) * 1000))
        if self._rebuilt:
            self.record.rebuilt.append((sent, (time.monotonic() - sent) * 1000))
        return answer

    async def navigate(self, action: str, page: Page) -> str | None:
        self.page = page
        return await self.call(action, page.load, None, page.mark)


# --- the volunteers -------------------------------------------------------------------------


def board_page(names: Names) -> Page:
    return Page("/board", {}, f"{names.board}.load", said("hour_label"))


def mission_page(names: Names, mission_id: int) -> Page:
    return Page(f"/missions/{mission_id}", {"mission_id": str(mission_id)},
                f"{names.mission}.load", shows(mission_id))


def open_missions(answer: str) -> list[int]:
    return [int(i) for i, status in MISSION_HREF.findall(answer) if status == "open"]


@dataclass
class Volunteer:
    user_id: int
    tab: Tab
    rng: random.Random
    think_s: float
    past_mission: int | None = None
    first_mission: int = 0  # accepts only missions from this id on (see soak_world)
    board: list[int] = field(default_factory=list)
    mine: set[int] = field(default_factory=set)

    def _saw(self, mission_id: int, answer: str | None) -> None:
        """What the app told this volunteer about their place on ``mission_id``."""
        found = PARTICIPATION.search(answer or "")
        if not found:
            return
        pair = (self.user_id, mission_id)
        self.tab.record.unanswered.discard(pair)
        self.tab.record.history[pair].append((time.monotonic(), "saw " + found.group(1)))
        accepted = found.group(1) == "accepted"
        self.tab.record.believed[pair] = "accepted" if accepted else "not"
        (self.mine.add if accepted else self.mine.discard)(mission_id)

    async def browse(self) -> None:
        answer = await self.tab.navigate("browse_board", board_page(self.tab.names))
        if answer is not None:
            self.board = open_missions(answer) or self.board

    async def open(self, mission_id: int) -> bool:
        answer = await self.tab.navigate("open_mission", mission_page(self.tab.names,
                                                                       mission_id))
        self._saw(mission_id, answer)
        return answer is not None

    async def answer(self, action: str, mission_id: int, handler: str,
                     payload: dict | None) -> None:
        pair = (self.user_id, mission_id)
        self.tab.record.unanswered.add(pair)
        self.tab.record.history[pair].append((time.monotonic(), "sent " + handler))
        answer = await self.tab.call(action, f"{self.tab.names.mission}.{handler}", payload,
                                     AllOf(OUTCOME_SET, shows(mission_id)))
        self._saw(mission_id, answer)
        outcome = OUTCOME.search(answer or "")
        if outcome and outcome.group(1) not in ("accepted", "declined", "done"):
            refused(self.tab.record, action, answer)

    async def step(self) -> None:  # noqa: C901 - one weighted choice of what to do
        roll = self.rng.random()
        if roll < 0.35 or not self.board:
            await self.browse()
        elif roll < 0.55:
            await self.open(self.rng.choice(self.board))
        elif roll < 0.80:
            ours = [m for m in self.board if m >= self.first_mission and m not in self.mine]
            if not ours:
                return await self.browse()
            mission_id = self.rng.choice(ours)
            if await self.open(mission_id):
                await self.answer("accept", mission_id, "accept", {"shown_id": mission_id})
        elif roll < 0.95 and self.mine:
            mission_id = self.rng.choice(sorted(self.mine))
            if await self.open(mission_id):
                await self.answer("withdraw", mission_id, "cancel", {"form_data": {
                    "reason": "Empêchement", "shown_id": str(mission_id)}})
        elif self.past_mission is not None:
            if await self.open(self.past_mission):
                await self.tab.call(
                    "mark_done", f"{self.tab.names.mission}.mark_done",
                    {"form_data": {"minutes": "60", "feedback": "", "problem": "",
                                   "shown_id": str(self.past_mission)}},
                    AllOf(OUTCOME_SET, shows(self.past_mission)))
        else:
            await self.browse()
        return None

    async def run(self) -> None:
        await self.tab.connect(board_page(self.tab.names))
        answer = await self.tab.navigate("browse_board", board_page(self.tab.names))
        self.board = open_missions(answer or "")
        while True:
            pause = self.rng.expovariate(1 / self.think_s)
            if time.monotonic() + pause >= self.tab.stop_at:
                return
            await asyncio.sleep(pause)
            await self.step()


# --- the referents --------------------------------------------------------------------------


FIRST = ("Jeanne", "Louis", "Marie", "Pierre", "Yvonne", "René", "Odette", "Marcel")
LAST = ("Lebreton", "Guérin", "Piel", "Rouault", "Gaudin", "Hamon", "Le Goff", "Morel")


@dataclass
class Referent:
    tab: Tab
    rng: random.Random
    think_s: float
    hoods: list[int]
    past_missions: list[int]
    known: list[int] = field(default_factory=list)  # the console's open missions
    made: int = 0

    def _page(self, path: str, state: str, mark: re.Pattern, query: dict | None = None) -> Page:
        return Page(path, query or {}, f"{state}.load", mark)

    async def console(self) -> None:
        names = self.tab.names
        answer = await self.tab.navigate("console", self._page(
            "/console", names.console, re.compile('"pending_volunteers_rx_state_"')))
        self.known = open_missions(answer or "") or self.known

    async def intake(self) -> None:
        names = self.tab.names
        page = self._page("/console/intake", names.intake,
                          re.compile('"neighbourhood_options_rx_state_"'))
        if await self.tab.navigate("open_intake", page) is None:
            return
        self.made += 1
        n = self.rng.randrange(10**6)
        day = date.today() + timedelta(days=self.rng.randint(3, 9))
        form = {
            "category": self.rng.choice(("shopping", "visit", "walk", "digital")),
            "title": f"Coup de main n° {n}", "description": "Reçu par téléphone",
            "neighbourhood_id": str(self.rng.choice(self.hoods)), "channel": "phone",
            "beneficiary_name": " ".join((self.rng.choice(FIRST), self.rng.choice(LAST))),
            "beneficiary_phone": f"02 99 {n % 100:02d} {n // 100 % 100:02d} 00",
            "address": f"{n % 90 + 1} rue de la Poterie, 35500 Vitré", "access_notes": "",
            "consent": "on", "preferred_date": day.isoformat(), "preferred_time": "10:00",
            "duration_minutes": "60", "beneficiary_choice": "new",
            "insurance_acknowledged": "on", "publish": "on",
        }
        answer = await self.tab.call("intake", f"{names.intake}.submit_need",
                                     {"form_data": form}, said("form_message"))
        if answer is not None and '"form_ok_rx_state_":true' not in answer:
            refused(self.tab.record, "intake", answer)

    async def propose(self) -> None:
        if not self.known:
            return await self.console()
        names = self.tab.names
        mission_id = self.rng.choice(self.known)
        answer = await self.tab.navigate("open_match", self._page(
            f"/console/match/{mission_id}", names.match, re.compile('"rows_rx_state_"'),
            {"mission_id": str(mission_id)}))
        if answer is None:
            return None
        picks = re.findall(r'"id":"(\d+)"[^{}]*?"can_offer":"1","state":""', answer)
        if not picks:
            return None
        form = {f"pick_{i}": "on" for i in picks[:2]}
        done = await self.tab.call("propose", f"{names.match}.propose", {"form_data": form},
                                   said("result"))
        if done is not None and '"result_ok_rx_state_":true' not in done:
            refused(self.tab.record, "propose", done)
        return None

    async def follow_up(self) -> None:
        names = self.tab.names
        mission_id = self.rng.choice(self.past_missions)
        if await self.tab.navigate("open_followup", self._page(
                f"/console/missions/{mission_id}", names.followup,
                re.compile('"can_follow_up_rx_state_"'), {"mission_id": str(mission_id)})) is None:
            return
        form = {"minutes": str(self.rng.choice((45, 60, 90))), "went_well": "yes",
                "beneficiary_called": "on", "beneficiary_satisfaction": "5",
                "volunteer_satisfaction": "4", "incident": ""}
        answer = await self.tab.call("follow_up", f"{names.followup}.submit",
                                     {"form_data": form}, said("message"))
        if answer is not None and '"field_errors_rx_state_":{}' not in answer:
            refused(self.tab.record, "follow_up", answer)

    async def run(self) -> None:
        names = self.tab.names
        await self.tab.connect(self._page("/console", names.console,
                                          re.compile('"pending_volunteers_rx_state_"')))
        await self.console()
        while True:
            pause = self.rng.expovariate(1 / self.think_s)
            if time.monotonic() + pause >= self.tab.stop_at:
                return
            await asyncio.sleep(pause)
            roll = self.rng.random()
            if roll < 0.3:
                await self.console()
            elif roll < 0.5:
                await self.intake()
            elif roll < 0.75:
                await self.propose()
            else:
                await self.follow_up()


# --- one client process ---------------------------------------------------------------------


async def crowd(spec: dict) -> Record:
    """Run this process's share of people until ``spec['stop_at']`` (monotonic clock)."""
    names = Names()
    record = Record()
    stop_at = spec["stop_at"]
    ports = spec["ports"]
    people: list = []
    for i, (user_id, cookie, past) in enumerate(spec["volunteers"]):
        tab = Tab(names, ports, i % len(ports), cookie, record, stop_at)
        people.append(Volunteer(user_id, tab, random.Random(user_id), spec["think_s"],
                                past_mission=past, first_mission=spec["first_mission"]))
    for i, (user_id, cookie) in enumerate(spec["referents"]):
        tab = Tab(names, ports, i % len(ports), cookie, record, stop_at)
        people.append(Referent(tab, random.Random(-user_id), spec["referent_think_s"],
                               spec["hoods"], spec["past_missions"]))
    # Arrivals spread over the ramp, as people open the app, not all in one instant.
    ramp = spec["ramp_s"]

    async def live(person, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            await person.run()
        except Dropped:
            pass
        finally:
            await person.tab.close()

    await asyncio.gather(*[live(p, ramp * i / max(1, len(people)))
                           for i, p in enumerate(people)])
    return record


def run_crowd(spec: dict, out) -> None:
    """Process entry point: run the crowd, send its record as JSON through ``out``."""
    import gc

    gc.freeze()
    record = asyncio.run(crowd(spec))
    out.send(json.dumps({**record.as_json(), "cpu_s": time.process_time()}))
    out.close()
