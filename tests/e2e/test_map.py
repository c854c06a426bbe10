"""The map of needs nearby, on a phone: areas, list by distance, radius, location, privacy."""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.request

from conftest import PHONE, TABLET, login
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from privacy import Traffic, add_another_communes_beneficiary, assert_nothing_private, database

from heurecivique_app.domain.geo import distance_m

# Near the Saint-Martin quarter (the demo volunteer lives in the Centre historique).
POSITION = {"latitude": 48.1250, "longitude": -1.2020}
# A marker as sent in a state delta: {"id": "12", ...public fields..., "center": [lat, lon]}.
MARKER = re.compile(r'"id":\s*"(\d+)"[^{}\[\]]*?"center":\s*\[\s*(-?\d+\.\d+)\s*,\s*'
                    r'(-?\d+\.\d+)\s*\]')
LEAFLET_CODE = "leaflet-pane"  # a class name only Leaflet's own code contains


def _metres(label: str) -> float:
    """'à 600 m' -> 600; 'à 1,2 km' -> 1200."""
    number, unit = re.search(r"([\d\s,.]+)\s*(k?m)\b", label).groups()
    value = float(number.replace("\u202f", "").replace(" ", "").replace(",", "."))
    return value * 1000 if unit == "km" else value


def _distances(page: Page) -> list[float]:
    return [_metres(text) for text in page.locator("#nearby-list .distance").all_inner_texts()]


def _exact_points(app_server) -> dict[str, tuple[float, float]]:
    """Every private point of a beneficiary's address, straight from the server's database."""
    with sqlite3.connect(app_server.data_dir / "e2e.db") as db:
        rows = db.execute("SELECT id, exact_lat, exact_lon FROM mission WHERE beneficiary_id "
                          "IS NOT NULL AND exact_lat IS NOT NULL").fetchall()
    assert len(rows) >= 20
    return {str(i): (lat, lon) for i, lat, lon in rows}


def _scripts_contain(app_server, urls: list[str], needle: str) -> bool:
    for url in urls:
        with urllib.request.urlopen(url if url.startswith("http") else app_server.url + url,
                                    timeout=10) as response:
            if needle in response.read().decode("utf-8", "replace"):
                return True
    return False


def test_volunteer_finds_needs_nearby_without_learning_addresses(new_context, app_server):
    context = new_context(PHONE)
    context.grant_permissions(["geolocation"], origin=app_server.url)
    context.set_geolocation(POSITION)
    add_another_communes_beneficiary(database(app_server))
    page = context.new_page()
    traffic = Traffic(page)
    frames = traffic.frames
    scripts: list[str] = []
    page.on("response", lambda r: scripts.append(r.url)
            if r.request.resource_type == "script" else None)

    login(page, "voisine@vitre.demo", "/board")
    expect(page.locator("#map-link")).to_be_visible()
    page.wait_for_load_state("networkidle")
    # The board did not load the map's code: Leaflet ships with the /map route only.
    assert scripts and not _scripts_contain(app_server, scripts, LEAFLET_CODE)

    page.locator("#map-link").click()
    page.wait_for_url(re.compile(r".*/map/?$"))  # a new document: /map/
    expect(page.locator("#map-origin")).to_contain_text("Centre historique")
    expect(page.locator(".leaflet-container")).to_be_visible()
    assert _scripts_contain(app_server, scripts, LEAFLET_CODE)

    # A list sorted by distance, and one coloured area per mission on the map.
    rows = page.locator("#nearby-list .nearby-row")
    expect(rows.first).to_contain_text("à ")
    count = rows.count()
    assert count >= 5
    distances = _distances(page)
    assert distances == sorted(distances) and max(distances) <= 2000
    expect(page.locator("path.leaflet-interactive")).to_have_count(count + 1)  # + my dot

    # Tapping an area opens its summary, with a link to the mission page.
    # The map came as a new document and is drawn again once its state arrives: tap
    # when the page has settled, not an area of the first drawing.
    # Until the popup shows: an area tapped while the map was being drawn again is gone,
    # and the home dot (one of the areas) opens nothing.
    page.wait_for_load_state("networkidle")
    popup = page.locator(".leaflet-popup-content")
    areas = page.locator("path.leaflet-interactive")
    for attempt in range(2 * (count + 1)):
        areas.nth(attempt % (count + 1)).dispatch_event("click")
        try:
            popup.wait_for(state="visible", timeout=1_000)
            break
        except PlaywrightTimeout:
            continue
    expect(popup).to_contain_text("Voir la mission")
    expect(popup.get_by_role("link", name="Voir la mission")).to_have_attribute(
        "href", re.compile(r"^/missions/\d+$"))

    # A smaller radius keeps only the nearest.
    page.select_option("#radius", "500")
    expect(rows).not_to_have_count(count)
    assert all(d <= 500 for d in _distances(page))

    # "Use my location": the browser's position becomes the centre of the search.
    page.select_option("#radius", "1000")
    page.locator("#use-location").click()
    expect(page.locator("#map-origin")).to_contain_text("Autour de votre position")
    expect(page.locator("#show-home")).to_be_visible()
    near_me = page.locator("#nearby-list .nearby-row").first
    expect(near_me).to_be_visible()

    # From the list to the mission page, where the accept button lives.
    near_me.get_by_role("link").click()
    page.wait_for_url(re.compile(r".*/missions/\d+"))
    expect(page.locator("#accept")).to_be_visible()

    # Privacy: each area sent to this browser is centred away from the address it stands
    # for (yet contains it), and no private coordinate appears in any frame.
    exact = _exact_points(app_server)
    sent = [(i, float(a), float(b)) for frame in frames for i, a, b in MARKER.findall(frame)]
    assert len({i for i, _, _ in sent}) >= count
    for mission_id, lat, lon in sent:
        if mission_id in exact:
            assert 50 <= distance_m(lat, lon, *exact[mission_id]) <= 250, mission_id
    blob = "\n".join(frames)
    for x, y in exact.values():
        for value in (x, y):
            assert json.dumps(value) not in blob and f"{value:.6f}" not in blob
    # Nor any other private field of a beneficiary, in any frame or answer.
    assert_nothing_private(traffic, database(app_server), "voisine@vitre.demo")


def test_referent_places_a_need_by_tapping_the_map(new_context, app_server):
    with sqlite3.connect(app_server.data_dir / "e2e.db") as db:
        mission_id, = db.execute("SELECT id FROM mission WHERE title = ?",
                                 ("Changer une ampoule au plafond",)).fetchone()
    page = new_context(TABLET).new_page()
    login(page, "referent@vitre.demo", "/console")
    expect(page.locator(f'.mission-row[data-mission-id="{mission_id}"] .place-link')) \
        .to_have_attribute("href", f"/place/{mission_id}")
    page.goto(f"/place/{mission_id}")
    expect(page.locator("#place-source")).to_contain_text("Localisé à partir de l'adresse")
    # The map's children (the marker, the click handler) mount a moment after its
    # container: wait for the marker, and tap again if the first tap came too early.
    expect(page.locator("#place-map path.leaflet-interactive")).to_have_count(1)
    box = page.locator("#place-map .leaflet-container").bounding_box()
    for _ in range(3):
        page.mouse.click(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2 + 40)
        try:
            expect(page.locator("#place-message")).to_be_visible(timeout=5000)
            break
        except AssertionError:
            continue
    expect(page.locator("#place-message")).to_contain_text("Point enregistré")
    expect(page.locator("#place-source")).to_contain_text("Placé sur la carte")
    with sqlite3.connect(app_server.data_dir / "e2e.db") as db:
        source, = db.execute("SELECT geo_source FROM mission WHERE id = ?",
                             (mission_id,)).fetchone()
    assert source == "map"

    # A mission that does not exist: skeletons while the page reads, then the message
    # (never the message first, for a mission that does exist).
    page.goto("/place/999999")
    expect(page.get_by_text("Cet élément n’existe plus.")).to_be_visible()
    expect(page.locator("#place-loading")).to_have_count(0)

    # A volunteer cannot open the placing page.
    volunteer = new_context(PHONE).new_page()
    login(volunteer, "volontaire2@vitre.demo", "/board")
    volunteer.goto(f"/place/{mission_id}")
    volunteer.wait_for_url(re.compile(r".*/$|.*/board|.*/home/?$"))
    expect(volunteer.locator("#place-map")).to_have_count(0)


def test_without_geolocation_the_map_falls_back_to_home(new_context, app_server):
    page = new_context(PHONE, locale="en-GB").new_page()  # no permission granted: denied
    login(page, "volontaire2@vitre.demo", "/board")
    page.goto("/map")
    expect(page.locator("#map-origin")).to_contain_text("Around your neighbourhood: Rachapt")
    expect(page.locator("#nearby-list .nearby-row").first).to_contain_text("at ")
    page.locator("#use-location").click()
    expect(page.get_by_role("status")).to_contain_text("Your position is not available")
    expect(page.locator("#map-origin")).to_contain_text("Rachapt")
    expect(page.locator("#show-home")).to_have_count(0)
