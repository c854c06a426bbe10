"""Issue 7: the commune's public site (no login), its printables, and accessibility (axe-core)."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from a11y import axe_violations
from conftest import PHONE, TABLET
from playwright.sync_api import expect
from privacy import Traffic, add_another_communes_beneficiary, assert_nothing_private, database


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_public_site_without_login_and_accessible(new_context, app_server, locale: str) -> None:
    add_another_communes_beneficiary(database(app_server))
    page = new_context(PHONE, locale=locale).new_page()
    traffic = Traffic(page)
    page.goto("/c/vitre")
    french = locale.startswith("fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Une heure par mois pour aider un voisin." if french
        else "One hour a month to help a neighbour.")
    # Live counters computed from the demo data (done missions exist, so figures are set).
    expect(page.locator("#count-actions")).not_to_have_text("–")
    assert int(page.locator("#count-actions").inner_text()) > 0
    assert int(page.locator("#count-volunteers").inner_text()) >= 15
    expect(page.locator("#stories")).to_contain_text("1 000 boîtes cadeaux pour Noël")
    expect(page.locator("#gestures li")).to_have_count(8)
    expect(page.locator("#phone")).to_have_attribute("href", "tel:0261913500")
    expect(page.locator("#sign-up")).to_be_visible()
    assert axe_violations(page) == []
    assert_nothing_private(traffic, database(app_server), None)


def test_login_page_is_accessible(new_context) -> None:
    page = new_context(PHONE).new_page()
    page.goto("/login")
    expect(page.locator("#login-submit")).to_be_visible()
    assert axe_violations(page) == []


def test_unknown_commune_says_so(new_context) -> None:
    page = new_context(TABLET).new_page()
    page.goto("/c/nowhere")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cette commune n'est pas sur HeureCivique.")


def _qr_codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("kind", ["poster", "flyer"])
def test_poster_and_flyer_carry_a_qr_code_to_the_sign_up_page(app_server, kind: str) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{app_server.url}/api/c/vitre/{kind}.pdf") as response:
        assert response.headers["Content-Type"] == "application/pdf"
        pdf = response.read()
    assert _qr_codes(pdf) == [f"{app_server.url}/c/vitre#sign-up"]
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    text = document[0].get_textpage().get_text_range()
    document.close()
    assert "Vitré" in text and "Inscrivez-vous" in text
