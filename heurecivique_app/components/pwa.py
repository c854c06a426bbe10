"""The installable app in the page: manifest link, service worker, install button.

``assets/pwa.js`` (every page loads it, so it carries no comments: they are here, and
cost every first visit 0.26 kB of gzipped JavaScript when they were in the file):

- it sets ``<html lang>`` to the page's language, chosen as the server does
  (i18n.negotiate: the ``hc_locale`` cookie, else the browser's first French or English,
  else French): the pre-rendered pages all say ``fr``, and a screen reader would read an
  English page with a French voice;
- on load it registers ``assets/sw.js``; once the worker is ready it hands it the
  addresses of the build files (``/assets/*``) this first visit loaded before the
  worker existed, so the worker stores them too (later ones pass through it);
- it drives the "Install the app" button: the button is hidden by CSS until the
  browser offers an install prompt (Chromium's ``beforeinstallprompt``, whose event
  is kept and whose mini-infobar is prevented in favour of our button), which sets
  ``data-install="ready"`` on ``<html>``; elsewhere it never shows. The click is
  delegated from the document (pages re-render their header, so the button is found
  at click time), and a prompt can be shown once; ``appinstalled`` hides it again;
- the first tap of a ``[data-push-action]`` button (/account's notifications) loads
  ``assets/push.js`` and hands it the action: only those who ask for notifications
  download that code;
- it opens the design system's dialogs (``ui.dialog``): a click on a ``[data-dialog]``
  opener calls ``showModal()`` on the ``<dialog>`` it names (the rest of the page turns
  inert; Escape closes it natively) and, the first time, loads ``assets/dialog.js``:
  a ``[data-dialog-close]`` button closes its dialog, on ``close`` focus goes back to the
  opener, and Tab and Shift+Tab wrap around inside the open dialog (Chromium would
  otherwise leave it for the browser's own controls). Only pages where a dialog is
  opened download that code;
- its second part watches the websocket's outgoing frames (see components/connection.py):
  one file, so one request of every first load, not two.
"""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.text import T_steady


def pwa_head() -> list[rx.Component]:
    """Head elements of every page (assets/pwa.js registers assets/sw.js)."""
    return [
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.link(rel="icon", href="/icons/icon-192.png", type="image/png"),
        rx.el.link(rel="apple-touch-icon", href="/icons/icon-192.png"),
        rx.el.script(src="/pwa.js", defer=True),
    ]


def install_button() -> rx.Component:
    """Hidden (display: none, so out of the tab order) until the browser can install.

    As wide as its longer translation: pinned to the right, it would otherwise move
    when the state switches the pre-rendered French page to English (a layout shift).
    """
    return ui.button(T_steady("Install the app"), type="button", id="install-app",
                     class_name="install-app", variant="outline", size="2")
