"""The grade sheet's spreadsheet: Massar's .xlsx layout, the workbook built in it, and an
uploaded workbook read back into rows.

This module knows the sheet and nothing of the database: no query, no session, no other service;
its one link to the models is the `TestKind` vocabulary that names the mark columns. Its functions
are pure and synchronous (openpyxl is CPU-bound): `app.assessment.gradesheet` calls `build_workbook`
and `read_workbook` in a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import chain
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as Book
from openpyxl.worksheet.worksheet import Worksheet

from app.assessment.models import TestKind
from app.core.tabular import check_unzipped_size
from app.errors import ProblemError

META_SHEET = "massar"
CODE, REMARK = "Code Massar", "Remarque"
# Each kind's mark and absence columns; the mark column's header is also a new test's title.
MARK_COLUMNS: dict[TestKind, tuple[str, str]] = {
    TestKind.TEST_1: ("Contrôle 1", "Absent C1"),
    TestKind.TEST_2: ("Contrôle 2", "Absent C2"),
    TestKind.TEST_3: ("Contrôle 3", "Absent C3"),
    TestKind.TEST_4: ("Contrôle 4", "Absent C4"),
    TestKind.INTEGRATED_ACTIVITIES: ("Activités intégrées", "Absent AI"),
}
_MARK_HEADERS_AR = {
    TestKind.TEST_1: ("الفرض 1", "غياب ف1"),
    TestKind.TEST_2: ("الفرض 2", "غياب ف2"),
    TestKind.TEST_3: ("الفرض 3", "غياب ف3"),
    TestKind.TEST_4: ("الفرض 4", "غياب ف4"),
    TestKind.INTEGRATED_ACTIVITIES: ("الأنشطة المندمجة", "غياب أ م"),
}
# (French header, Arabic header, width) in sheet order. The last two are read by people only.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    (CODE, "رمز مسار", 22),
    ("Nom", "النسب", 22),
    ("Prénom", "الاسم", 22),
    ("Date de naissance", "تاريخ الازدياد", 16),
    *(
        (header, header_ar, 12)
        for kind in MARK_COLUMNS
        for header, header_ar in zip(MARK_COLUMNS[kind], _MARK_HEADERS_AR[kind], strict=True)
    ),
    (REMARK, "ملاحظة", 36),
    ("Nom (arabe)", "النسب بالعربية", 22),
    ("Prénom (arabe)", "الاسم بالعربية", 22),
)
_MARK_HEADERS = {mark for mark, _ in MARK_COLUMNS.values()}
_READ_COLUMNS = (CODE, *chain.from_iterable(MARK_COLUMNS.values()), REMARK)
BLOCK_ROW = 3
# A class has at most ~60 pupils: the bounds keep a crafted sheet from holding a worker.
HEADER_SEARCH_ROWS = 50
MAX_ROWS = 2_000
MAX_COLUMNS = 40
_BOLD = Font(bold=True)
_RIGHT = Alignment(horizontal="right")
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A pupil row under the header: its sheet row number, and its cells by column header."""

    number: int
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ReadSheet:
    """An uploaded workbook: the hidden sheet's keys and values, and the rows read."""

    meta: dict[str, str]
    rows: list[SheetRow]


# ---- writing ---------------------------------------------------------------------------------


def build_workbook(
    heading: Sequence[tuple[str, str, str, str]], rows: Sequence[list[Any]], meta: dict[str, str]
) -> bytes:
    """The .xlsx: the header block, the table of `rows` in `COLUMNS` order, and `meta` on a
    hidden sheet."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Notes"
    _write_heading(sheet, heading)
    _write_table(sheet, BLOCK_ROW + len(heading) + 2, rows)
    hidden = book.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(meta.items(), start=1):
        _cell(hidden, row, 1, key)
        _cell(hidden, row, 2, value)
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_heading(sheet: Worksheet, heading: Sequence[tuple[str, str, str, str]]) -> None:
    title = _cell(sheet, 1, 1, "Relevé des notes – بيان النقط")
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    for row, (label_fr, value_fr, value_ar, label_ar) in enumerate(heading, start=BLOCK_ROW):
        _cell(sheet, row, 1, label_fr).font = _BOLD
        _cell(sheet, row, 2, value_fr)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)
        _cell(sheet, row, 9, value_ar).alignment = _RIGHT
        sheet.merge_cells(start_row=row, start_column=9, end_row=row, end_column=14)
        label = _cell(sheet, row, 15, label_ar)
        label.font, label.alignment = _BOLD, _RIGHT


def _write_table(sheet: Worksheet, header_row: int, rows: Sequence[list[Any]]) -> None:
    """The Arabic headers, the French header row the import looks for, then one row a pupil."""
    mark_columns = {i for i, c in enumerate(COLUMNS, start=1) if c[0] in _MARK_HEADERS}
    for column, (header, header_ar, width) in enumerate(COLUMNS, start=1):
        _cell(sheet, header_row - 1, column, header_ar).alignment = Alignment(horizontal="center")
        cell = _cell(sheet, header_row, column, header)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row, values in enumerate(rows, start=header_row + 1):
        for column, value in enumerate(values, start=1):
            cell = _cell(sheet, row, column, value)
            if column in mark_columns:
                cell.number_format = "0.00"
            elif isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = f"A{header_row + 1}"


def _cell(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write a cell; text stays text. A pupil named "=HYPERLINK(…)" or a remark starting with
    "+" must not become a live formula in the teacher's spreadsheet, so every string is written
    as a string, whatever its first character."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


# ---- reading ---------------------------------------------------------------------------------


def _not_a_grade_sheet(status: int = 422) -> ProblemError:
    key = "gradesheet.not_xlsx" if status == 415 else "gradesheet.not_a_grade_sheet"
    return ProblemError(status, key, kind="not-a-grade-sheet")


def read_workbook(content: bytes) -> ReadSheet:
    """The uploaded .xlsx, or a `ProblemError`: 413 too large unzipped, 415 not an .xlsx, 422 not
    a grade sheet."""
    too_large = ProblemError(413, "gradesheet.too_large", kind="file-too-large")
    check_unzipped_size(content, _not_a_grade_sheet(415), too_large)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a bad file fails in zipfile, XML or openpyxl itself, each its own way
        raise _not_a_grade_sheet(415) from None
    try:
        return ReadSheet(meta=_read_meta(book), rows=_read_rows(book))
    except ProblemError:
        raise
    except Exception:  # read-only sheets are parsed lazily: a broken part fails here
        raise _not_a_grade_sheet(415) from None
    finally:
        book.close()


def _read_meta(book: Book) -> dict[str, str]:
    if META_SHEET not in book.sheetnames:
        raise _not_a_grade_sheet()
    rows = book[META_SHEET].iter_rows(max_row=20, max_col=2, values_only=True)
    return {str(row[0]): str(row[1]) for row in rows if len(row) == 2 and row[0] is not None}


def _read_rows(book: Book) -> list[SheetRow]:
    """The rows under the header row, found by its "Code Massar" cell wherever it is."""
    for sheet in book.worksheets:
        if sheet.title == META_SHEET:
            continue
        rows = enumerate(
            sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True), start=1
        )
        for number, values in rows:
            if number > HEADER_SEARCH_ROWS:
                break
            columns = _header_columns(values)
            if columns is not None:
                # The same iterator goes on from the row after the header.
                return [row for n, v in rows if (row := _sheet_row(n, v, columns)) is not None]
    raise _not_a_grade_sheet()


def _header_columns(values: Iterable[Any]) -> dict[str, int] | None:
    found = {str(v).strip().casefold(): i for i, v in enumerate(values) if v is not None}
    columns = {name: found.get(name.casefold()) for name in _READ_COLUMNS}
    if any(index is None for index in columns.values()):
        return None
    return {name: index for name, index in columns.items() if index is not None}


def _sheet_row(number: int, values: Sequence[Any], columns: dict[str, int]) -> SheetRow | None:
    picked = {name: values[i] if i < len(values) else None for name, i in columns.items()}
    return SheetRow(number, picked) if any(cell_text(v) for v in picked.values()) else None


def cell_text(value: Any) -> str:
    """A cell as trimmed text; blank when empty."""
    return "" if value is None else str(value).strip()


def mark_input(value: Any) -> Any:
    """The cell as `MarkIn` reads it: 12.5, "12.5" and "12,5" alike; blank is no mark."""
    if isinstance(value, str):
        return value.strip().replace(",", ".") or None
    if isinstance(value, float):
        # repr is the shortest form that round-trips: 12.3, not 12.300000000000000710…
        return Decimal(repr(value))
    return value
