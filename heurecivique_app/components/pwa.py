"""The installable app in the page: manifest link, service worker, install button."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components.text import T


def pwa_head() -> list[rx.Component]:
    """Head elements of every page (assets/pwa.js registers assets/sw.js)."""
    return [
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.link(rel="icon", href="/icons/icon-192.png", type="image/png"),
        rx.el.link(rel="apple-touch-icon", href="/icons/icon-192.png"),
        rx.el.script(src="/pwa.js", defer=True),
    ]


def install_button() -> rx.Component:
    """Hidden (display: none, so out of the tab order) until the browser can install."""
    return rx.button(T("Install the app"), type="button", id="install-app",
                     class_name="install-app", variant="outline", size="2")
