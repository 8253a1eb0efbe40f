"""Reading an uploaded table (CSV or .xlsx) into rows keyed by column header, safely and off
the event loop's thread (callers run `read_table` in a worker thread)."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from app.assessment.workbook import check_unzipped_size
from app.errors import ProblemError

MAX_ROWS = 5_000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class TableRow:
    number: int  # as the user sees it: the sheet's row number, or the CSV line
    values: dict[str, Any]  # by normalised header


def normalise(header: object) -> str:
    """`Prénom (arabe)` → `prenom (arabe)`: headers match whatever the accents and case."""
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def read_table(content: bytes, required_header: str) -> list[TableRow]:
    """The rows under the header row (found by `required_header`), from an .xlsx or a CSV."""
    grid = _xlsx_grid(content) if content.startswith(XLSX_MAGIC) else _csv_grid(content)
    wanted = normalise(required_header)
    for index, row in enumerate(grid):
        headers = [normalise(cell) for cell in row]
        if wanted in headers:
            return [
                TableRow(number, dict(zip(headers, cells, strict=False)))
                for number, cells in (
                    (index + 2 + offset, r) for offset, r in enumerate(grid[index + 1 :])
                )
                if any(cell not in (None, "") for cell in cells)
            ][:MAX_ROWS]
    raise ProblemError(422, "imports.no_header", kind="not-a-massar-table")


def _xlsx_grid(content: bytes) -> list[list[Any]]:
    check_unzipped_size(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(max_row=MAX_ROWS + 50, values_only=True)]
    except Exception:  # zip, XML or openpyxl errors: all mean "not a spreadsheet we can read"
        raise ProblemError(415, "imports.unreadable", kind="unreadable-table") from None


def _csv_grid(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProblemError(415, "imports.unreadable", kind="unreadable-table") from None
    # Massar exports use ";" (French Excel); accept "," too.
    delimiter = "," if text.count(",") > text.count(";") else ";"
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
