"""Printable PDFs: the QR code decodes to the sign-up page; the paper form matches the intake."""

from __future__ import annotations

from dataclasses import fields

import pypdfium2
import pytest
import zxingcpp

from heurecivique_app.adapters import printables
from heurecivique_app.domain.rules import PAPER_FIELDS, PAPER_NOT_PRINTED, PAPER_RULE_QUESTIONS
from heurecivique_app.i18n import translate
from heurecivique_app.services.intake import NeedForm
from heurecivique_app.services.public import PublicCommune

COMMUNE = PublicCommune(1, "Vitré", "vitre", "#8c1d40", "02 61 91 35 00",
                        "heure-civique@vitre.demo")
URL = "https://heure-civique.vitre.example/c/vitre#sign-up"


def _page(pdf: bytes):
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    return document, page


@pytest.mark.parametrize("make, width_mm", [(printables.poster, 210), (printables.flyer, 148)])
def test_qr_code_decodes_to_the_sign_up_url(make, width_mm: int) -> None:
    document, page = _page(make(COMMUNE, signup_url=URL))
    try:
        assert round(page.get_width() / 72 * 25.4) == width_mm
        codes = zxingcpp.read_barcodes(page.render(scale=2).to_pil())
        text = page.get_textpage().get_text_range()
    finally:
        document.close()
    assert [c.text for c in codes] == [URL]
    assert [c.format for c in codes] == [zxingcpp.BarcodeFormat.QRCode]
    assert "Vitré" in text and "02 61 91 35 00" in text


def test_english_poster() -> None:
    document, page = _page(printables.poster(COMMUNE, signup_url=URL, locale="en"))
    try:
        text = page.get_textpage().get_text_range()
    finally:
        document.close()
    assert "Sign up: scan the code" in text


def test_paper_form_asks_exactly_what_the_intake_form_asks() -> None:
    assert set(PAPER_FIELDS) | PAPER_NOT_PRINTED == {f.name for f in fields(NeedForm)}
    assert not set(PAPER_FIELDS) & PAPER_NOT_PRINTED
    document, page = _page(printables.needs_flyer(COMMUNE, locale="fr"))
    try:
        text = " ".join(page.get_textpage().get_text_range().split())
    finally:
        document.close()
    assert "Besoins à compléter" in text
    for label in (*PAPER_FIELDS.values(), *PAPER_RULE_QUESTIONS):
        assert " ".join(translate(label, "fr").split()) in text, label
