"""The installable app: its web manifest and the page shown when the network is gone.

Both are built on the server, not shipped as static files: the manifest carries
the commune's name and colour (from the database), and both are translated
from the babel catalogs like every other text of the app.
"""

from __future__ import annotations

import re
from html import escape

from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import SUPPORTED_LOCALES, translate
from heurecivique_app.services.public import PublicCommune

DEFAULT_THEME = "#1d4ed8"  # domain.models.Commune.theme_color's default
BACKGROUND = "#ffffff"
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
ICONS = (
    {"src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {"src": "/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png",
     "purpose": "maskable"},
)
SHORT_NAME = "HeureCivique"  # 12 characters: fits under a home-screen icon

# The offline page, in reading order: (tag, message id).
OFFLINE_TEXT = (
    ("h1", N_("You are offline")),
    ("p", N_("HeureCivique needs the network to show missions and to record what you do. "
             "Check your connection, then try again.")),
    ("h2", N_("What works without the network")),
    ("li", N_("Opening the app from your home screen, and this page.")),
    ("li", N_("The app's own files (scripts, styles, icons) stay on this device, so pages open "
              "faster once you are back online.")),
    ("h2", N_("What needs the network")),
    ("li", N_("The live boards, the map and the details of a mission.")),
    ("li", N_("Accepting a mission or withdrawing from it, signing up and logging in.")),
    ("li", N_("Your account and your hours.")),
    ("p", N_("No page with your data or a neighbour's address is kept on this device.")),
)


def theme_colour(commune: PublicCommune | None) -> str:
    """The commune's colour if it is a valid CSS hex colour, else the app's default."""
    colour = commune.theme_color if commune is not None else ""
    return colour if HEX_COLOUR.match(colour or "") else DEFAULT_THEME


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #rgb or #rrggbb colour."""
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_on(colour: str) -> str:
    """White or near-black, whichever reads better on ``colour`` (a valid hex colour)."""
    background = _luminance(colour)
    white = 1.05 / (background + 0.05)
    black = (background + 0.05) / 0.05
    return "#ffffff" if white >= black else "#111111"


def manifest(commune: PublicCommune | None, locale: str, *, own_start: bool = False) -> dict:
    """The web manifest (https://www.w3.org/TR/appmanifest/) for this deployment.

    With ``own_start`` (installed from the commune's public site, on a deployment of
    several communes) the app is that commune's: its own id, so two communes install
    as two apps, and it opens on the commune's site. The scope stays the whole site:
    the volunteers' pages (/home, /board…) are shared by every commune.
    """
    locale = locale if locale in SUPPORTED_LOCALES else SUPPORTED_LOCALES[0]
    name = (translate(N_("L'Heure Civique in {commune}"), locale, commune=commune.name)
            if commune is not None else "L'Heure Civique")
    start = f"/c/{commune.slug}" if own_start and commune is not None else "/"
    return {
        "id": start,
        "name": name,
        "short_name": SHORT_NAME,
        "description": translate(N_("One hour a month for a neighbour: missions near you."),
                                 locale),
        "lang": locale,
        "dir": "ltr",
        "start_url": start,
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": BACKGROUND,
        "theme_color": theme_colour(commune),
        "icons": [dict(icon) for icon in ICONS],
    }


def offline_page(locale: str, commune: PublicCommune | None) -> str:
    """A self-contained HTML page (inline style, no script): it must render with no network."""
    locale = locale if locale in SUPPORTED_LOCALES else SUPPORTED_LOCALES[0]
    colour = theme_colour(commune)
    body: list[str] = []
    in_list = False
    for tag, message in OFFLINE_TEXT:
        if tag == "li" and not in_list:
            body.append("<ul>")
        elif tag != "li" and in_list:
            body.append("</ul>")
        in_list = tag == "li"
        body.append(f"<{tag}>{escape(translate(message, locale))}</{tag}>")
    if in_list:
        body.append("</ul>")
    # An empty href reloads the address that failed (the page is served in its place).
    retry = escape(translate(N_("Try again"), locale))
    title = escape(translate(N_("You are offline"), locale))
    return f"""<!doctype html>
<html lang="{locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="{colour}">
<title>{title} · HeureCivique</title>
<link rel="manifest" href="/manifest.webmanifest">
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; color: #1c2024; background: #fff;
  line-height: 1.5; }}
header {{ background: {colour}; color: {text_on(colour)}; padding: 0.75rem 1rem;
  font-weight: bold; }}
main {{ max-width: 40rem; margin: 0 auto; padding: 1rem; }}
h1 {{ font-size: 1.5rem; }} h2 {{ font-size: 1.125rem; margin-top: 1.5rem; }}
.retry {{ display: inline-flex; align-items: center; min-height: 44px; padding: 0 1.25rem;
  border-radius: 8px; background: {DEFAULT_THEME}; color: #fff; font-weight: bold;
  text-decoration: none; }}
:focus-visible {{ outline: 3px solid #1c2024; outline-offset: 2px; }}
</style>
</head>
<body>
<header>HeureCivique</header>
<main id="offline">
{chr(10).join(body)}
<p><a class="retry" id="offline-retry" href="">{retry}</a></p>
</main>
</body>
</html>
"""
