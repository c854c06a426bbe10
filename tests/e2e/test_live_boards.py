"""Live boards in the embedded mode: fan-out to the right viewers, reconnects, restarts."""

from __future__ import annotations

from conftest import PHONE, TABLET, login
from live_scenario import (
    accept_shows_live_on_board_a_and_console_never_on_board_b,
    console_row,
    open_mission,
)
from playwright.sync_api import WebSocket, expect


def test_an_accept_reaches_board_a_and_the_console_but_never_board_b(new_context):
    accept_shows_live_on_board_a_and_console_never_on_board_b(
        new_context, "Visite de convivialité et partie de belote")


def test_a_dropped_socket_comes_back_logged_in_on_the_current_board(new_context):
    title = "Prise en main de la tablette"
    viewer_context = new_context(PHONE)
    viewer = viewer_context.new_page()
    sockets: list[WebSocket] = []
    viewer.on("websocket", lambda ws: sockets.append(ws))
    login(viewer, "voisine@vitre.demo", "/board")
    card = viewer.locator(".mission-card", has_text=title)
    expect(card).to_contain_text("Ouverte")

    dropped = sockets[-1]
    viewer_context.set_offline(True)  # the socket drops; the change happens meanwhile
    if not dropped.is_closed():
        dropped.wait_for_event("close")
    volunteer = new_context(PHONE).new_page()
    login(volunteer, "volontaire@vitre.demo", "/board")
    open_mission(volunteer, title)
    volunteer.locator("#accept").click()
    expect(volunteer.locator("#outcome")).to_contain_text("Merci")
    viewer_context.set_offline(False)

    # Rebuilt from the database and the cookie on reconnect, not from what the tab held.
    expect(card).to_contain_text("Bénévole trouvé")
    expect(viewer.locator("#user-name")).to_have_text("Nathalie Rouxel")
    assert sockets[-1] is not dropped and not sockets[-1].is_closed()  # a new socket


def test_a_backend_restart_under_connected_clients(new_context, app_server):
    console = new_context(TABLET).new_page()
    login(console, "referent@vitre.demo", "/console")
    viewer = new_context(PHONE).new_page()
    login(viewer, "voisine@vitre.demo", "/board")
    expect(viewer.locator(".mission-card").first).to_be_visible()

    app_server.stop()
    app_server.start()  # every tab's in-memory state is gone

    # After the restart both tabs are still logged in and live: a change shows at once.
    volunteer = new_context(PHONE).new_page()
    login(volunteer, "volontaire@vitre.demo", "/board")
    title = "Courses au marché"
    mission_id = open_mission(volunteer, title)
    volunteer.locator("#accept").click()
    expect(volunteer.locator("#outcome")).to_contain_text("Merci")
    expect(viewer.locator(".mission-card", has_text=title)).to_contain_text("Bénévole trouvé")
    expect(viewer.locator("#user-name")).to_have_text("Nathalie Rouxel")
    expect(console_row(console, mission_id)).to_contain_text("Bénévole trouvé")


def test_a_relay_watches_each_of_their_neighbourhoods_boards(new_context):
    relay = new_context(PHONE).new_page()
    login(relay, "relais@vitre.demo", "/relay")
    links = relay.locator(".relay-board-link")
    expect(links).to_have_count(2)  # Rachapt and Sainte-Croix in the demo data
    links.filter(has_text="Sainte-Croix").click()
    relay.wait_for_url("**/board?n=*")
    expect(relay.get_by_role("heading", level=1)).to_contain_text("Sainte-Croix")
