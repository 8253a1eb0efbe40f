"""Reading an uploaded table (CSV or .xlsx) into rows keyed by column header, safely and off
the event loop's thread (callers run `read_table` in a worker thread)."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from openpyxl import load_workbook

from app.errors import ProblemError

MAX_ROWS = 5_000
# Title lines and blank lines a file may carry above and between its rows.
_SLACK_ROWS = 50
XLSX_MAGIC = b"PK\x03\x04"
# Deflate inflates up to ~1000×, and openpyxl holds a sheet's shared strings in memory.
MAX_UNZIPPED_BYTES = 50_000_000


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
            rows = [
                TableRow(number, dict(zip(headers, cells, strict=False)))
                for number, cells in (
                    (index + 2 + offset, r) for offset, r in enumerate(grid[index + 1 :])
                )
                if any(cell not in (None, "") for cell in cells)
            ]
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
            return rows
    raise ProblemError(422, "imports.no_header", kind="not-a-massar-table")


def check_unzipped_size(content: bytes, not_a_zip: ProblemError, too_large: ProblemError) -> None:
    """Raise `not_a_zip` unless the content is a zip archive, and `too_large` when its entries
    would inflate past `MAX_UNZIPPED_BYTES` (a zip bomb)."""
    # zipfile never inflates an entry past its declared size, so the declared sizes are a bound.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile:
        raise not_a_zip from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise too_large


def _unreadable() -> ProblemError:
    return ProblemError(415, "imports.unreadable", kind="unreadable-table")


def _too_many_rows() -> ProblemError:
    return ProblemError(
        422, "imports.too_many_rows", kind="too-many-rows", extensions={"max_rows": MAX_ROWS}
    )


def _bounded(rows: Iterator[list[Any]]) -> list[list[Any]]:
    """The rows, read no further than a table may be long: a longer file is refused whole,
    never cut short in silence nor held in memory to the end."""
    grid = list(islice(rows, MAX_ROWS + _SLACK_ROWS + 1))
    if len(grid) > MAX_ROWS + _SLACK_ROWS:
        raise _too_many_rows()
    return grid


def _xlsx_grid(content: bytes) -> list[list[Any]]:
    too_large = ProblemError(413, "error.request_too_large", kind="file-too-large")
    check_unzipped_size(content, _unreadable(), too_large)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = (list(row) for row in sheet.iter_rows(values_only=True))
        return _bounded(rows)
    except ProblemError:
        raise
    except Exception:  # zip, XML or openpyxl errors: all mean "not a spreadsheet we can read"
        raise _unreadable() from None


def _csv_grid(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable() from None
    # Massar exports use ";" (French Excel); accept "," too.
    delimiter = "," if text.count(",") > text.count(";") else ";"
    try:
        return _bounded(iter(csv.reader(io.StringIO(text), delimiter=delimiter)))
    except csv.Error:  # a field over the csv module's limit, a NUL, a broken quote
        raise _unreadable() from None
