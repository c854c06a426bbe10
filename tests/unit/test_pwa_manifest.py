"""The installable app's manifest and offline page (presenters/pwa.py), and its icons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from heurecivique_app.presenters import pwa
from heurecivique_app.services.public import PublicCommune

ROOT = Path(__file__).resolve().parents[2]
VITRE = PublicCommune(1, "Vitré", "vitre", "#8c1d40", "", "")


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((pwa._luminance(a), pwa._luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_manifest_has_what_chromium_needs_to_install() -> None:
    manifest = pwa.manifest(VITRE, "fr")
    assert manifest["name"] == "L'Heure Civique à Vitré"
    assert len(manifest["short_name"]) <= 12
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["theme_color"] == "#8c1d40"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    json.dumps(manifest)  # served as JSON


def test_manifest_follows_the_language() -> None:
    assert pwa.manifest(VITRE, "en")["name"] == "L'Heure Civique in Vitré"
    assert pwa.manifest(VITRE, "en")["lang"] == "en"
    assert pwa.manifest(VITRE, "xx")["lang"] == "fr"


@pytest.mark.parametrize("stored", ["red", "#12", "javascript:alert(1)", ""])
def test_a_colour_that_is_not_hex_falls_back_to_the_default(stored: str) -> None:
    commune = PublicCommune(1, "X", "x", stored, "", "")
    assert pwa.manifest(commune, "fr")["theme_color"] == pwa.DEFAULT_THEME
    assert pwa.manifest(None, "fr")["theme_color"] == pwa.DEFAULT_THEME


@pytest.mark.parametrize("colour", ["#8c1d40", "#1d4ed8", "#ffeb3b", "#fff", "#000000"])
def test_header_text_is_readable_on_any_commune_colour(colour: str) -> None:
    assert _contrast(colour, pwa.text_on(colour)) >= 4.5


def test_offline_page_says_what_works_and_what_does_not_in_both_languages() -> None:
    french = pwa.offline_page("fr", VITRE)
    english = pwa.offline_page("en", VITRE)
    assert '<html lang="fr">' in french and "Vous êtes hors ligne" in french
    assert "Ce qui fonctionne sans réseau" in french and "Ce qui demande le réseau" in french
    assert '<html lang="en">' in english and "What needs the network" in english
    for page in (french, english):
        assert "<script" not in page  # must render with nothing but itself
        assert 'id="offline-retry" href=""' in page


def test_offline_page_escapes_translated_text() -> None:
    assert "neighbour&#x27;s address" in pwa.offline_page("en", None)


@pytest.mark.parametrize(("name", "size", "maskable"), [
    ("icon-192.png", 192, False), ("icon-512.png", 512, False),
    ("icon-maskable-512.png", 512, True)])
def test_icons_are_real_pngs_of_their_size(name: str, size: int, maskable: bool) -> None:
    with Image.open(ROOT / "assets" / "icons" / name) as image:
        assert image.format == "PNG" and image.size == (size, size)
        rgba = image.convert("RGBA")
        corner = rgba.getpixel((1, 1))
        # A maskable icon is full-bleed (the platform cuts the shape); the other has
        # transparent rounded corners.
        assert (corner[3] == 255) if maskable else (corner[3] == 0)
        if maskable:  # the logo stays inside the central 80 % safe zone
            band = [rgba.getpixel((x, size // 2)) for x in range(int(size * 0.1))]
            assert len(set(band)) == 1


def test_installed_from_a_communes_site_the_app_is_that_communes() -> None:
    fougeres = PublicCommune(2, "Fougères", "fougeres", "#0b6e4f", "", "")
    manifest = pwa.manifest(fougeres, "fr", own_start=True)
    assert (manifest["id"], manifest["start_url"]) == ("/c/fougeres", "/c/fougeres")
    assert manifest["scope"] == "/"  # the volunteers' pages are every commune's
    assert manifest["id"] != pwa.manifest(VITRE, "fr", own_start=True)["id"]
    assert (manifest["name"], manifest["theme_color"]) == ("L'Heure Civique à Fougères",
                                                           "#0b6e4f")
