"""The referent's message to a group, on a tablet: the number of recipients before sending,
a clear refusal of an empty message, then the message in a volunteer's open app."""

from __future__ import annotations

import re
import uuid

from conftest import PHONE, TABLET, login
from console_flow import assert_accessible
from playwright.sync_api import expect


def test_a_message_to_a_neighbourhood_reaches_its_volunteers(new_context) -> None:
    volunteer = new_context(PHONE).new_page()
    login(volunteer, "volontaire@vitre.demo", "/notifications")
    expect(volunteer.get_by_role("heading", name="Notifications")).to_be_visible()

    referent = new_context(TABLET).new_page()
    login(referent, "referent@vitre.demo", "/console")
    referent.locator("#messages-link").click()
    referent.wait_for_url(re.compile(r".*/console/messages/?$"))
    # The whole pool first: its size is said before anything is sent.
    expect(referent.locator("#recipient-count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    pool = int(referent.locator("#recipient-count").inner_text())
    assert_accessible(referent)

    # A neighbourhood: the figure follows the choice, and is smaller than the pool.
    referent.select_option("#audience", "neighbourhood")
    expect(referent.locator("#recipients")).to_contain_text("Choisissez le groupe")
    expect(referent.locator("#send-group-message")).to_be_disabled()
    referent.select_option("#target", label="Centre historique")
    expect(referent.locator("#recipient-count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    hood = int(referent.locator("#recipient-count").inner_text())
    assert hood <= pool

    # Nothing written: refused next to the field, in French.
    referent.locator("#send-group-message").click()
    expect(referent.locator("#text-error")).to_have_text("Ce champ est obligatoire.")

    text = f"Réunion des volontaires jeudi à 18 h, salle Malouinière ({uuid.uuid4().hex[:6]})"
    referent.locator("#text").fill(text)
    referent.locator("#send-group-message").click()
    expect(referent.locator("#group-message-result")).to_contain_text(
        f"Envoyé à {hood} volontaire(s)")
    expect(referent.locator("#text-error")).to_have_count(0)

    # Camille lives in the historic centre: her open centre shows it, no reload.
    item = volunteer.locator(".inbox-item", has_text=text)
    expect(item).to_contain_text("de la mairie")
    expect(volunteer.locator("#bell-count")).to_be_visible()
