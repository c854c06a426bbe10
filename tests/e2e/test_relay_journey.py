"""Issue 7: a neighbourhood relay reports on a phone; the referent triages; the relay sees it."""

from __future__ import annotations

import io
import re
import time
from datetime import date, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

from conftest import PHONE, TABLET, login
from PIL import Image
from playwright.sync_api import expect
from privacy import Traffic, add_another_communes_beneficiary, assert_nothing_private, database

ISSUE = "Banc cassé au square de Rachapt"
NEED = "Pain et journal pour un voisin"
ANSWER = "Merci Lucas, les services techniques passent jeudi."
RELAY = "relais@vitre.demo"


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "orange")
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 7.0, 36.0), 3: "W", 4: (1.0, 12.0, 40.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _mails_about(outbox: Path, subject_part: str, to: str, wait_s: float = 15.0) -> list:
    """The .eml files to ``to`` whose subject names ``subject_part``, once the first is there."""
    deadline = time.monotonic() + wait_s
    while True:
        mails = [message_from_bytes(p.read_bytes()) for p in outbox.glob("*.eml")]
        found = [m for m in mails if m["To"] == to
                 and subject_part in str(make_header(decode_header(m["Subject"])))]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_relay_reports_on_a_phone_and_follows_the_referents_answer(new_context, app_server):
    phone = new_context({**PHONE, "geolocation": {"latitude": 48.12671, "longitude": -1.21098},
                         "permissions": ["geolocation"]})
    add_another_communes_beneficiary(database(app_server))
    relay = phone.new_page()
    traffic = Traffic(relay)
    login(relay, RELAY, "/relay")
    expect(relay.get_by_role("heading", name="Relais de quartier")).to_be_visible()
    # The demo reports, with the referent's answers.
    expect(relay.locator("#my-reports")).to_contain_text("Voisine âgée qui ne sort plus")

    # Share a mission of the neighbourhood board: a link to the mission page.
    share = relay.locator("#shareable .share-link").first
    expect(share).to_have_attribute("href", re.compile(r"^/missions/\d+$"))

    # A neighbourhood issue, with the phone's position and a photo (EXIF removed).
    relay.locator("#nav-issue").click()
    relay.wait_for_url("**/relay/issue")
    relay.select_option("#category", "comfort")
    relay.locator("#title").fill(ISSUE)
    relay.locator("#description").fill("Une latte du banc est arrachée, clous apparents.")
    relay.select_option("#neighbourhood_id", label="Rachapt")
    relay.locator("#locate").click()
    expect(relay.locator("#lat")).to_have_value("48.126710")
    expect(relay.locator("#lon")).to_have_value("-1.210980")
    # The phone's own file input (it offers the camera), named by its label; it posts the
    # file to the app's route (/api/relay/photo) at once. A file that is not a photo is refused, in
    # French, and the input says so to a screen reader.
    photo = relay.get_by_label("Photo (facultative)")
    expect(photo).to_have_attribute("type", "file")
    photo.set_input_files(files=[{"name": "banc.txt", "mimeType": "text/plain",
                                  "buffer": b"not a photo"}])
    expect(relay.locator("#photo-error")).to_contain_text("JPEG, PNG ou WebP")
    expect(photo).to_have_attribute("aria-invalid", "true")
    expect(photo).to_have_attribute("aria-describedby", "photo-hint photo-error")
    photo.set_input_files(
        files=[{"name": "banc.jpg", "mimeType": "image/jpeg", "buffer": _jpeg_with_gps()}])
    expect(relay.locator("#photo-status")).to_contain_text("localisation supprimées")
    expect(relay.locator("#photo-error")).to_have_count(0)
    relay.locator("#send-issue").click()
    expect(relay.locator("#form-message")).to_contain_text("bien reçu")

    # A neighbour's need: the intake rules apply (urgent is refused), then it goes to the queue.
    relay.locator("#nav-need").click()
    relay.wait_for_url("**/relay/need")
    relay.select_option("#category", "shopping")
    relay.locator("#title").fill(NEED)
    relay.select_option("#neighbourhood_id", label="Sainte-Croix")
    relay.locator("#beneficiary_name").fill("Marcel Dubreuil")
    relay.locator("#beneficiary_phone").fill("02 61 91 35 99")
    relay.locator("#address").fill("4 rue de Sainte-Croix, 35500 Vitré")
    relay.locator("#consent").check()
    relay.locator("#preferred_date").fill((date.today() + timedelta(days=4)).isoformat())
    relay.locator("#insurance_acknowledged").check()
    relay.locator("#urgent").check()
    relay.locator("#send-need").click()
    expect(relay.locator("#urgent-error")).to_contain_text("112")
    relay.locator("#urgent").uncheck()
    relay.locator("#send-need").click()
    expect(relay.locator("#form-message")).to_contain_text("rappeler votre voisin")

    relay.goto("/relay")
    mine = relay.locator("#my-reports")
    expect(mine.locator(".report-card", has_text=ISSUE)).to_contain_text("Reçu")
    expect(mine.locator(".report-card", has_text=NEED)).to_contain_text("Reçu")

    # The referent, on a tablet, finds both in the triage queue; the need is not on any board.
    referent = new_context(TABLET).new_page()
    login(referent, "referent@vitre.demo", "/console")
    referent.locator("#reports-link").click()
    referent.wait_for_url("**/console/reports")
    issue_card = referent.locator(".triage-card", has_text=ISSUE)
    expect(issue_card).to_contain_text("48.12671, -1.21098")
    photo = referent.request.get(issue_card.get_by_role("link", name="Voir la photo")
                                 .get_attribute("href"))
    assert photo.ok and b"PhoneMaker" not in photo.body()
    assert Image.open(io.BytesIO(photo.body())).getexif() == {}
    # The relay may not fetch report photos.
    assert relay.request.get(issue_card.get_by_role("link", name="Voir la photo")
                             .get_attribute("href")).status == 404

    issue_card.locator("textarea").fill(ANSWER)
    issue_card.locator(".forward").click()
    expect(issue_card.locator(".report-status")).to_have_text("Transmis aux services techniques")
    # The job runner sends it; the relay's answer (sent at once in the daytime) names it too.
    sent = _mails_about(app_server.data_dir / "outbox", ISSUE,
                        to="services-techniques@mairie.example")  # the default address
    assert len(sent) == 1
    assert [part.get_content_type() for part in sent[0].walk()][-1] == "image/jpeg"

    need_card = referent.locator(".triage-card", has_text=NEED)
    need_card.locator(".to-mission").click()
    expect(need_card.locator(".report-status")).to_have_text("Devenu une mission")
    referent.goto("/console")
    expect(referent.locator(".mission-row", has_text=NEED)).to_contain_text("Brouillon")

    # Back on the phone, the relay reads the answer and the new statuses.
    relay.reload()
    issue_row = relay.locator(".report-card", has_text=ISSUE)
    expect(issue_row).to_contain_text("Transmis aux services techniques")
    expect(issue_row.locator(".report-answer")).to_have_text(ANSWER)
    expect(relay.locator(".report-card", has_text=NEED)).to_contain_text("Devenu une mission")
    # The relay's page never carries the neighbour's phone or address.
    assert "61 91 35 99" not in relay.content() and "rue de Sainte-Croix" not in relay.content()
    # Nor any beneficiary's, in any frame or answer (her neighbour is one now).
    assert_nothing_private(traffic, database(app_server), RELAY)


def test_referent_names_a_relay_and_publishes_a_story(new_context) -> None:
    referent = new_context(TABLET).new_page()
    login(referent, "referent@vitre.demo", "/console")
    referent.goto("/console/reports")
    expect(referent.locator("#relay-list")).to_contain_text("Lucas Morel")

    referent.select_option("#relay_user", label="Emma Jouan")
    referent.locator("input[name^=hood-]").nth(0).check()
    # A new relay's date of birth is asked (minors: issue 19); a 14-year-old needs a parent.
    referent.locator("#birth_date").fill(f"{date.today().year - 14}-01-01")
    referent.locator("#assign-relay").click()
    expect(referent.locator("#parent_name-error")).to_be_visible()
    referent.locator("#birth_date").fill("1990-03-14")
    referent.locator("#assign-relay").click()
    expect(referent.locator("#relay-list")).to_contain_text("Emma Jouan")

    referent.locator("#story_title").fill("Le banc réparé")
    referent.locator("#story_text").fill("Signalé par Lucas, réparé en deux jours.")
    referent.locator("#story-photo input[type=file]").set_input_files(
        files=[{"name": "banc.jpg", "mimeType": "image/jpeg", "buffer": _jpeg_with_gps()}])
    expect(referent.get_by_text("localisation supprimées")).to_be_visible()
    referent.locator("#publish-story").click()
    # Without the consent of the people shown, the photo is not published.
    expect(referent.locator("#photo_consent-error")).to_be_visible()
    referent.locator("#photo_consent").check()
    referent.locator("#publish-story").click()
    expect(referent.get_by_text("site public de la commune").first).to_be_visible()

    visitor = new_context(PHONE).new_page()
    visitor.goto("/c/vitre")
    story = visitor.locator(".story", has_text="Le banc réparé")
    expect(story.get_by_role("img", name="Le banc réparé")).to_be_visible()
    src = story.get_by_role("img").get_attribute("src")
    photo = visitor.request.get(src)
    assert photo.ok and b"PhoneMaker" not in photo.body()
