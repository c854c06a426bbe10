"""Web push in Chromium: the account page's button subscribes this device, the real service
worker turns a pushed message into a notification (DevTools' ServiceWorker.deliverPushMessage
stands in for the push service) and a tap on it opens the mission's page."""

from __future__ import annotations

import json
import re
import sqlite3
import time

from conftest import PHONE, login
from playwright.sync_api import BrowserContext, Page, expect

from heurecivique_app.domain.notifications import MessageKind
from heurecivique_app.presenters.push import push_message

VOLUNTEER = "volontaire@vitre.demo"

# Read from the page, not the worker: Chromium may stop and restart an idle worker, and
# the registration's notifications outlive it.
NOTIFICATIONS_JS = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
  .map(n => ({title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url}))"""

# A tap on the notification: Chromium headless has no notification to click, so the test
# dispatches the event the browser would. A script-made event's waitUntil would throw, so
# the test lends it one that keeps the promise; the worker's own handler does the rest.
TAP_JS = """async () => {
  const [shown] = await self.registration.getNotifications();
  const event = new NotificationEvent("notificationclick", {notification: shown});
  let pending = null;
  Object.defineProperty(event, "waitUntil", {value: (promise) => { pending = promise; }});
  self.dispatchEvent(event);
  await pending;
  return (await self.registration.getNotifications()).length;
}"""


def _db(app_server) -> sqlite3.Connection:
    return sqlite3.connect(app_server.data_dir / "e2e.db")


def _controlled(page: Page, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate("navigator.serviceWorker.controller !== null"):
        assert time.monotonic() < deadline, "no service worker took control"
        page.wait_for_timeout(200)


def _registration_id(context: BrowserContext, page: Page, origin: str) -> tuple:
    cdp = context.new_cdp_session(page)
    found: dict[str, str] = {}
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.update(
        {r["scopeURL"]: r["registrationId"] for r in e["registrations"]}))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while origin + "/" not in found:
        assert time.monotonic() < deadline, f"no registration for {origin}: {found}"
        page.wait_for_timeout(100)
    return cdp, found[origin + "/"]


def _push(cdp, origin: str, registration: str, page: Page, message: dict) -> list[dict]:
    """Delivers a message as the push service would and returns the notifications shown.

    DevTools' delivery is fire-and-forget: on a loaded CI machine one delivery once showed
    nothing within 10 s. A push service retries an unacknowledged message, so the test
    delivers again once, and says so; a worker that shows nothing still fails."""
    for attempt in (1, 2):
        cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": origin, "registrationId": registration, "data": json.dumps(message)})
        deadline = time.monotonic() + 15
        while not (shown := page.evaluate(NOTIFICATIONS_JS)) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        if shown:
            return shown
        print(f"delivery {attempt}: no notification after 15 s")
    raise AssertionError("the service worker showed no notification for two deliveries")


def _tap(context: BrowserContext) -> int:
    """Taps the notification in the worker running now (it may have been restarted)."""
    return context.service_workers[-1].evaluate(TAP_JS)


def test_subscribe_then_a_push_shows_a_notification_that_opens_its_mission(new_context,
                                                                           app_server):
    context = new_context(PHONE)
    context.grant_permissions(["notifications"], origin=app_server.url)
    page = context.new_page()
    login(page, VOLUNTEER, "/account")
    _controlled(page)
    if not context.service_workers:
        context.wait_for_event("serviceworker")

    # Nothing is asked on page load: permission prompts only follow the button.
    assert page.evaluate("document.documentElement.getAttribute('data-push')") is None
    assert page.evaluate("typeof window.hcPush") == "undefined"  # push.js not loaded yet
    page.locator("[data-push-action=on]").click()
    expect(page.locator("html")).to_have_attribute("data-push", re.compile("on|error"))
    with _db(app_server) as db:
        [volunteer_id] = db.execute("SELECT id FROM user WHERE email = ?",
                                    (VOLUNTEER,)).fetchone()
        stored = db.execute("SELECT endpoint FROM push_subscription WHERE user_id = ?",
                            (volunteer_id,)).fetchall()
    state = page.locator("html").get_attribute("data-push")
    print("PushManager.subscribe in this Chromium:", state)  # the report quotes it
    if state == "on":
        # Chromium reached its push service: the real subscription is on the server.
        assert len(stored) == 1 and stored[0][0].startswith("https://")
        expect(page.locator(".push-status")).to_have_text(
            "Les notifications sont activées sur cet appareil.")
    else:
        # Chromium refuses push subscriptions in an incognito profile (every new_context;
        # a persistent profile instead waits for Google's push service, out of reach
        # here): the page says so, and the server side of the same request is checked
        # with the page's own cookie and origin.
        assert stored == []
        expect(page.locator(".push-status")).to_have_text(
            "Cela n'a pas fonctionné : les notifications sont inchangées. Réessayez plus tard.")
        refusal = page.evaluate("""async () => {
            const registration = await navigator.serviceWorker.ready;
            const key = (await (await fetch("/api/push/key")).json()).publicKey;
            try {
              await registration.pushManager.subscribe({userVisibleOnly: true,
                                                         applicationServerKey: key});
              return "subscribed";
            } catch (error) { return error.name + ": " + error.message; }
        }""")
        print("PushManager.subscribe refused:", refusal)
        assert refusal.startswith("AbortError"), refusal  # the push service, not our page
        status = page.evaluate("""async (p256dh) => (await fetch("/api/push/subscriptions", {
            method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json"},
            body: JSON.stringify({endpoint: "https://fcm.googleapis.com/fcm/send/e2e",
                                  keys: {p256dh, auth: "tBHItJI5svbpez7KI4CCXg"}})})).status""",
            "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM")
        assert status == 201
        with _db(app_server) as db:
            assert db.execute("SELECT count(*) FROM push_subscription WHERE user_id = ?",
                              (volunteer_id,)).fetchone()[0] == 1

    # The message the server would send for a proposal of a mission of the board.
    with _db(app_server) as db:
        mission_id, title = db.execute(
            "SELECT id, title FROM mission WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()
    message = push_message(MessageKind.PROPOSAL, {
        "mission_id": mission_id, "title": title, "starts_at": "2026-12-08T09:00:00+00:00",
        "neighbourhood": "Centre historique", "referent": "Léa"},
        locale="fr", timezone="Europe/Paris", commune_name="Vitré")
    cdp, registration = _registration_id(context, page, app_server.url)
    [shown] = _push(cdp, app_server.url, registration, page, message)
    assert shown == {"title": message["title"], "body": message["body"],
                     "tag": f"mission-{mission_id}", "url": f"/missions/{mission_id}"}

    # The tap opens the mission in the app's window.
    assert _tap(context) == 0  # the notification is closed
    page.wait_for_url(re.compile(rf".*/missions/{mission_id}/?$"))
    expect(page.locator("h1")).to_contain_text(title)

    # A message naming another site opens the app's home instead.
    [shown] = _push(cdp, app_server.url, registration, page,
                    {"title": "x", "body": "y", "url": "https://evil.example/"})
    assert shown["url"] == "/home"
    _tap(context)
    page.wait_for_url(re.compile(r".*/home/?$"))

    # Turning it off on this device forgets it on the server when the browser had one.
    page.goto("/account")
    page.locator("[data-push-action=off]").click()
    expect(page.locator("html")).to_have_attribute("data-push", re.compile("off|error"))
