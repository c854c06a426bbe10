"""Tables to files: CSV (UTF-8 with a BOM) and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

Cell = str | int | float | None
BOM = "\ufeff"


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """A CSV file whose BOM tells spreadsheet programs it is UTF-8 (French accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(["" if cell is None else _safe(cell) for cell in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str) -> bytes:
    """One sheet named ``title``, a bold header row, frozen below it."""
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(cell) for cell in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe(cell: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula is kept as text (phones keep their +)."""
    if isinstance(cell, str) and cell[:1] in ("=", "@"):
        return "'" + cell
    return cell
