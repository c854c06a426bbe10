"""Tables to files: CSV (UTF-8 with a BOM) and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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
    """One sheet named ``title``, a bold header row, frozen below it.

    Written in openpyxl's streaming (write-only) mode: several times faster on
    thousands of rows, and the memory stays flat.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_safe(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# What makes a spreadsheet program read a cell as a formula (OWASP "CSV injection"):
# a relay's title « =HYPERLINK(...) » or « @SUM(...) » would run on the referent's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(cell: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula is kept as text (a leading quote).

    Numbers stay numbers; phones are exported as people write them (02 99…), so
    they need no quote.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell
