"""Speaking the app's websocket protocol (socket.io over /_event) without a browser:
what any script can send, with any token and any cookie."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from conftest import PASSWORD
from websockets.asyncio.client import connect

# Imported here, on the test's own thread: Reflex registers state classes in a context
# variable, which a first import on run()'s worker thread would leave on that thread.
from heurecivique_app.state.base import AppState

# (handler's full name, page path, payload), and optionally the route's query (the
# parameters of a dynamic route such as /missions/[mission_id], as a browser sends them)
Call = tuple[str, str, dict] | tuple[str, str, dict, dict]


def http_login(base: str, email: str) -> str:
    """Log in through the HTTP route; returns the session cookie's value."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "next": "/"}).encode()
    try:
        urllib.request.build_opener(NoRedirect).open(base + "/api/auth/login", data=data)
    except urllib.error.HTTPError as response:
        cookie = response.headers["set-cookie"]
        return cookie.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError("no login redirect")


async def call_handlers(port: int, cookie: str | None, calls: list[Call],
                        token: str | None = None, hydrate_path: str = "/console") -> list[str]:
    """Hydrate as a page would, call each handler once; every frame received.

    ``token`` is the tab's Reflex token (a new one if None); ``cookie`` the
    session cookie sent with the handshake (none if None).
    """
    token = token or str(uuid.uuid4())
    root = AppState.get_root_state().get_full_name()

    def event(name: str, path: str, payload: dict, query: dict | None = None) -> str:
        router = {"pathname": path, "asPath": path, "query": query or {}}
        body = {"token": token, "name": name, "router_data": router, "payload": payload}
        return "42/_event," + json.dumps(["event", body])

    headers = {"Cookie": f"hc_session={cookie}; hc_locale=fr" if cookie else "hc_locale=fr"}
    frames: list[str] = []
    async with connect(
        f"ws://127.0.0.1:{port}/_event/?EIO=4&transport=websocket&token={token}",
        additional_headers=headers,
        origin=f"http://127.0.0.1:{port}", compression=None, ping_interval=None,
    ) as ws:
        await ws.recv()
        await ws.send("40/_event,")
        while not (await ws.recv()).startswith("40/_event"):
            pass
        await ws.send(event(f"{root}.hydrate", hydrate_path, {}))
        for name, path, payload, *query in calls:
            await ws.send(event(name, path, payload, *query))
        deadline = asyncio.get_running_loop().time() + 6
        while asyncio.get_running_loop().time() < deadline:
            try:
                message = await asyncio.wait_for(ws.recv(), timeout=1)
            except TimeoutError:
                continue
            if message == "2":
                await ws.send("3")
            else:
                frames.append(message)
    return frames


def run(coroutine):
    """Run a coroutine on a thread of its own (Playwright's sync API holds this one's loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
