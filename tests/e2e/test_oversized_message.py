"""A message too big for the websocket: the server cannot answer, the page says so."""

from __future__ import annotations

from conftest import PHONE
from playwright.sync_api import expect


def test_a_message_over_the_socket_limit_gets_a_translated_alert(new_context):
    page = new_context(PHONE).new_page()
    closed: list[str] = []
    page.on("websocket", lambda ws: ws.on("close", lambda _ws: closed.append("closed")))
    page.goto("/signup?c=vitre")
    expect(page.get_by_role("heading", level=1)).to_have_text("Devenir volontaire")
    alert = page.locator("#message-too-big")
    expect(alert).to_be_hidden()
    # 1.5 million characters pasted into a free-text field (the form has no size limit
    # of its own; the service would refuse it, but the frame never reaches it).
    page.locator("#skills_note").evaluate("(area) => { area.value = 'x'.repeat(1500000); }")
    page.locator("#signup-next").click()  # every step's fields go with each step's check
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("trop volumineux pour parvenir au serveur")
    expect(alert).to_have_attribute("role", "alert")
    # The server does close the socket: the alert is the only word the user gets. The
    # page shows the alert as it sends, so the close comes a moment later.
    for _ in range(100):
        if closed:
            break
        page.wait_for_timeout(100)
    assert closed
    # A normal submission afterwards hides it again (Reflex reconnected meanwhile).
    page.locator("#skills_note").evaluate("(area) => { area.value = 'Bricolage'; }")
    page.locator("#signup-next").click()
    expect(alert).to_be_hidden()
    expect(page.locator("#form-message")).to_be_visible()  # the empty form's errors came back
