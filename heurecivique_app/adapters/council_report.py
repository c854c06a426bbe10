"""The evaluation report for the municipal council, as a PDF (reportlab).

One period: the key figures, a few bar charts drawn as vector images
(reportlab graphics) and anonymous success stories. Everything arrives
already translated and formatted (``presenters/stats.py``); this module only
lays it out, page after page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Protocol

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

MARGIN = 18 * mm
CHART_HEIGHT = 62 * mm
BAR_COLOUR = colors.HexColor("#0072B2")


class BarChart(Protocol):
    """One chart of the report: a title and one bar per label."""

    @property
    def title(self) -> str:
        """What the chart shows."""

    @property
    def labels(self) -> list[str]:
        """One per bar."""

    @property
    def values(self) -> list[float]:
        """One per bar."""


class CouncilReport(Protocol):
    """What the report says, translated (``presenters.stats.ReportText`` has it)."""

    @property
    def title(self) -> str:
        """The report's title."""

    @property
    def period(self) -> str:
        """The period, said in full."""

    @property
    def figures(self) -> list[tuple[str, str]]:
        """Key figures: (label, value as shown)."""

    @property
    def charts(self) -> Sequence[BarChart]:
        """The charts, in order."""

    @property
    def stories(self) -> list[tuple[str, str]]:
        """Success stories: (title, text)."""

    @property
    def stories_heading(self) -> str:
        """The heading above the stories."""

    @property
    def footer(self) -> str:
        """Printed at the foot of each page, with its number."""


class _Pages:
    """A canvas with a cursor that starts a new page when the next block does not fit."""

    def __init__(self, report: CouncilReport) -> None:
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4)
        self.canvas.setTitle(report.title)
        self.width, self.height = A4
        self.footer = report.footer
        self.page = 1
        self.y = self.height - MARGIN

    def room(self, needed: float) -> None:
        """Start a new page unless ``needed`` points fit above the bottom margin."""
        if self.y - needed < MARGIN + 10 * mm:
            self.finish_page()
            self.canvas.showPage()
            self.page += 1
            self.y = self.height - MARGIN

    def finish_page(self) -> None:
        """The footer: the report's name and the page number."""
        self.canvas.setFont("Helvetica", 8)
        self.canvas.setFillColor(colors.grey)
        self.canvas.drawString(MARGIN, MARGIN / 2, f"{self.footer} · {self.page}")
        self.canvas.setFillColor(colors.black)

    def text(self, text: str, *, font: str = "Helvetica", size: float = 10,
             gap: float = 2) -> None:
        """Wrapped text at the cursor."""
        leading = size * 1.3
        lines = simpleSplit(text, font, size, self.width - 2 * MARGIN)
        for line in lines:
            self.room(leading)
            self.canvas.setFont(font, size)
            self.canvas.drawString(MARGIN, self.y - size, line)
            self.y -= leading
        self.y -= gap

    def bytes(self) -> bytes:
        """The finished document."""
        self.finish_page()
        self.canvas.save()
        return self.buffer.getvalue()


def _figures(pages: _Pages, figures: Sequence[tuple[str, str]]) -> None:
    """One figure a line: its label, and its value at the right of the column."""
    right = MARGIN + (pages.width - 2 * MARGIN) * 0.75
    for label, value in figures:
        pages.room(13)
        pages.canvas.setFont("Helvetica", 9.5)
        pages.canvas.drawString(MARGIN, pages.y - 9.5, label)
        pages.canvas.setFont("Helvetica-Bold", 9.5)
        pages.canvas.drawRightString(right, pages.y - 9.5, value)
        pages.y -= 13


def _chart(pages: _Pages, chart: BarChart) -> None:
    width = pages.width - 2 * MARGIN
    pages.room(CHART_HEIGHT + 12)
    drawing = Drawing(width, CHART_HEIGHT)
    drawing.add(String(0, CHART_HEIGHT - 10, chart.title, fontName="Helvetica-Bold",
                       fontSize=10))
    bars = VerticalBarChart()
    bars.x, bars.y = 28, 28
    bars.width, bars.height = width - 40, CHART_HEIGHT - 50
    bars.data = [list(chart.values) or [0]]
    bars.categoryAxis.categoryNames = list(chart.labels) or [""]
    bars.categoryAxis.labels.fontSize = 6
    bars.categoryAxis.labels.angle = 30 if len(chart.labels) > 6 else 0
    bars.categoryAxis.labels.boxAnchor = "ne" if len(chart.labels) > 6 else "n"
    bars.valueAxis.valueMin = 0
    bars.valueAxis.labels.fontSize = 7
    bars.bars[0].fillColor = BAR_COLOUR
    bars.bars[0].strokeColor = None
    drawing.add(bars)
    renderPDF.draw(drawing, pages.canvas, MARGIN, pages.y - CHART_HEIGHT)
    pages.y -= CHART_HEIGHT + 12


def council_report(report: CouncilReport) -> bytes:
    """The report as a PDF: figures first, then the charts, then the stories.

    Args:
        report: every text already translated and every figure formatted.

    Returns:
        The PDF's bytes.
    """
    pages = _Pages(report)
    pages.text(report.title, font="Helvetica-Bold", size=18, gap=4)
    pages.text(report.period, size=11, gap=8)
    _figures(pages, report.figures)
    pages.y -= 8
    for chart in report.charts:
        _chart(pages, chart)
    if report.stories:
        pages.text(report.stories_heading, font="Helvetica-Bold", size=13, gap=4)
        for title, text in report.stories:
            pages.text(title, font="Helvetica-Bold", size=10, gap=1)
            pages.text(text, size=9, gap=6)
    return pages.bytes()
