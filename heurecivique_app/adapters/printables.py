"""Printable communication as PDF (reportlab): A4 poster, A5 flyer, paper intake flyer.

Each carries the commune's name and colour; the poster and the flyer carry a QR
code to the commune's sign-up page. Text is translated with the app's catalogs.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Protocol

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from heurecivique_app.domain.gestures import SMALL_GESTURES
from heurecivique_app.domain.rules import PAPER_FIELDS, PAPER_RULE_QUESTIONS, RULE_TEXTS
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate

Tr = Callable[..., str]


class Letterhead(Protocol):
    """What a printable shows of its commune (``services.public.PublicCommune`` has it)."""

    @property
    def name(self) -> str:
        """The commune's name."""

    @property
    def theme_color(self) -> str:
        """Its colour, "#rrggbb" (a default replaces anything else)."""

    @property
    def contact_phone(self) -> str:
        """The town hall's phone, or ""."""

    @property
    def contact_email(self) -> str:
        """The town hall's e-mail, or ""."""


def _colour(hex_value: str) -> colors.Color:
    try:
        return colors.HexColor(hex_value)
    except (ValueError, TypeError):
        return colors.HexColor("#1d4ed8")


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _wrapped(canvas: Canvas, text: str, x: float, y: float, width: float,
             font: str = "Helvetica", size: float = 12, leading: float | None = None) -> float:
    """Draw wrapped text from the top line at ``y``; returns the y below it."""
    leading = leading or size * 1.3
    canvas.setFont(font, size)
    for line in simpleSplit(text, font, size, width):
        canvas.drawString(x, y, line)
        y -= leading
    return y


def _band(canvas: Canvas, commune: Letterhead, tr: Tr, width: float, height: float,
          band: float, title_size: float) -> None:
    canvas.setFillColor(_colour(commune.theme_color))
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica-Bold", title_size)
    canvas.drawString(15 * mm, height - band + band * 0.52, "L'Heure Civique")
    canvas.setFont("Helvetica", title_size * 0.55)
    canvas.drawString(15 * mm, height - band + band * 0.2, tr(N_("in {commune}"),
                                                              commune=commune.name))
    canvas.setFillColor(colors.black)


def _contacts(commune: Letterhead, tr: Tr) -> str:
    parts = []
    if commune.contact_phone:
        parts.append(tr(N_("Phone: {phone}"), phone=commune.contact_phone))
    if commune.contact_email:
        parts.append(tr(N_("Email: {email}"), email=commune.contact_email))
    return " · ".join(parts)


def _document(commune: Letterhead, locale: str, page_size: tuple[float, float],
              draw: Callable[[Canvas, Tr, float, float], None]) -> bytes:
    def tr(message: str, **params: object) -> str:
        return translate(message, locale, **params)

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=page_size)
    canvas.setTitle(f"L'Heure Civique — {commune.name}")
    canvas.setAuthor(commune.name)
    draw(canvas, tr, *page_size)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def poster(commune: Letterhead, *, signup_url: str, locale: str = "fr") -> bytes:
    """A4 poster: the pledge, the rules and a big QR code to the sign-up page."""

    def draw(canvas: Canvas, tr: Tr, width: float, height: float) -> None:
        _band(canvas, commune, tr, width, height, 60 * mm, 40)
        y = _wrapped(canvas, tr(N_("One hour a month to help a neighbour.")), 15 * mm,
                     height - 80 * mm, width - 30 * mm, "Helvetica-Bold", 24)
        y = _wrapped(canvas, tr(N_(
            "Shopping for a disabled neighbour, visiting an isolated person, a lift to the "
            "market, cleaning a street together: give one hour a month, near home.")),
            15 * mm, y - 4 * mm, width - 30 * mm, size=15)
        y -= 4 * mm
        for rule in RULE_TEXTS.values():
            y = _wrapped(canvas, "• " + tr(rule), 15 * mm, y, width - 30 * mm, size=12)
        size = 70 * mm
        _qr(canvas, signup_url, (width - size) / 2, 45 * mm, size)
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawCentredString(width / 2, 36 * mm, tr(N_("Sign up: scan the code")))
        canvas.setFont("Helvetica", 11)
        canvas.drawCentredString(width / 2, 29 * mm, signup_url)
        canvas.drawCentredString(width / 2, 20 * mm, _contacts(commune, tr))

    return _document(commune, locale, A4, draw)


def flyer(commune: Letterhead, *, signup_url: str, locale: str = "fr") -> bytes:
    """A5 flyer: what the scheme is, a few gestures, how to ask for help, the QR code."""

    def draw(canvas: Canvas, tr: Tr, width: float, height: float) -> None:
        _band(canvas, commune, tr, width, height, 38 * mm, 26)
        y = _wrapped(canvas, tr(N_("One hour a month to help a neighbour.")), 12 * mm,
                     height - 50 * mm, width - 24 * mm, "Helvetica-Bold", 15)
        for gesture in SMALL_GESTURES[:4]:
            y = _wrapped(canvas, "• " + tr(gesture), 12 * mm, y - 1 * mm, width - 24 * mm,
                         size=10)
        y = _wrapped(canvas, tr(N_("Need a hand? Call or write to the town hall.")),
                     12 * mm, y - 4 * mm, width - 24 * mm, "Helvetica-Bold", 11)
        _wrapped(canvas, _contacts(commune, tr), 12 * mm, y, width - 24 * mm, size=10)
        size = 45 * mm
        _qr(canvas, signup_url, (width - size) / 2, 22 * mm, size)
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawCentredString(width / 2, 16 * mm, tr(N_("Sign up: scan the code")))
        canvas.setFont("Helvetica", 9)
        canvas.drawCentredString(width / 2, 10 * mm, signup_url)

    return _document(commune, locale, A5, draw)


def needs_flyer(commune: Letterhead, *, locale: str = "fr") -> bytes:
    """« Besoins à compléter »: the paper intake form, one line per intake field."""

    def draw(canvas: Canvas, tr: Tr, width: float, height: float) -> None:
        _band(canvas, commune, tr, width, height, 30 * mm, 24)
        y = _wrapped(canvas, tr(N_("Needs to fill in")), 15 * mm, height - 42 * mm,
                     width - 30 * mm, "Helvetica-Bold", 18)
        y = _wrapped(canvas, tr(N_(
            "Fill in this form and hand it in at the town hall, or give it to your "
            "neighbourhood relay.")), 15 * mm, y, width - 30 * mm, size=10)
        y -= 4 * mm
        for name, label in PAPER_FIELDS.items():
            if name == "answers":
                continue
            lines = 3 if name == "description" else 1
            if name == "consent":
                canvas.rect(15 * mm, y - 1 * mm, 4 * mm, 4 * mm)
                y = _wrapped(canvas, tr(label), 22 * mm, y, width - 37 * mm, size=10)
                y -= 3 * mm
                continue
            canvas.setFont("Helvetica-Bold", 10)
            canvas.drawString(15 * mm, y, tr(label))
            y -= 7 * mm
            for _ in range(lines):
                canvas.setStrokeColor(colors.grey)
                canvas.line(15 * mm, y, width - 15 * mm, y)
                y -= 7 * mm
            canvas.setStrokeColor(colors.black)
        y = _wrapped(canvas, tr(PAPER_FIELDS["answers"]), 15 * mm, y, width - 30 * mm,
                     "Helvetica-Bold", 10)
        for question in PAPER_RULE_QUESTIONS:
            canvas.rect(15 * mm, y - 1 * mm, 4 * mm, 4 * mm)
            y = _wrapped(canvas, tr(question), 22 * mm, y, width - 37 * mm, size=10)
            y -= 2 * mm
        _wrapped(canvas, tr(N_("Emergencies: call 15 (SAMU), 17 (police), 18 (fire brigade) "
                               "or 112.")), 15 * mm, 18 * mm, width - 30 * mm, size=9)
        canvas.setFont("Helvetica", 9)
        canvas.drawString(15 * mm, 11 * mm, _contacts(commune, tr))

    return _document(commune, locale, A4, draw)


def register_pdf(commune: Letterhead, *, title: str, subtitle: str,
                 columns: list[tuple[str, str]], rows: list[dict[str, str]],
                 locale: str = "fr") -> bytes:
    """The « registre des traitements » as an A4 PDF: one block per processing.

    ``rows`` are already translated (``presenters.register``); the text flows over
    as many pages as it needs.
    """
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm,
                            title=f"{title} — {commune.name}", author=commune.name)
    story = [Paragraph(escape(f"{title} — {commune.name}"), styles["Title"]),
             Paragraph(escape(subtitle), styles["Normal"]), Spacer(1, 6 * mm)]
    for row in rows:
        story.append(Paragraph(escape(row["name"]), styles["Heading2"]))
        for key, label in columns:
            story.append(Paragraph(f"<b>{escape(label)}</b> : {escape(row[key])}"
                                   if locale == "fr" else
                                   f"<b>{escape(label)}</b>: {escape(row[key])}",
                                   styles["BodyText"]))
        story.append(Spacer(1, 4 * mm))
    doc.build(story)
    return out.getvalue()
