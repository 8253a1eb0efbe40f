"""The grade sheet: export in Massar's layout, fill in offline, import all or nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.workbook.workbook import Workbook as Book
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.assessment.models import ClassTest, Mark
from app.settings import get_settings
from tests.factories import TeachingWorld

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "Code Massar",
    "Nom",
    "Prénom",
    "Date de naissance",
    "Contrôle 1",
    "Absent C1",
    "Contrôle 2",
    "Absent C2",
    "Contrôle 3",
    "Absent C3",
    "Contrôle 4",
    "Absent C4",
    "Activités intégrées",
    "Absent AI",
    "Remarque",
]
BLOCK_LABELS = [
    "Académie",
    "Direction provinciale",
    "Établissement",
    "Niveau",
    "Classe",
    "Enseignant",
    "Matière",
    "Semestre",
    "Année scolaire",
]


# ---- helpers --------------------------------------------------------------------------------


def _url(teaching: TeachingWorld, name: str = "c1") -> str:
    return f"/api/v1/teacher/classes/{teaching.classes[name].id}/grade-sheet"


def _query(teaching: TeachingWorld, subject: str = "MATH", semester: int = 1) -> dict[str, Any]:
    return {"subject_id": str(teaching.subjects[subject].id), "semester": semester}


async def _export(
    client: httpx.AsyncClient, teaching: TeachingWorld, name: str = "c1", semester: int = 1
) -> Book:
    response = await client.get(
        _url(teaching, name),
        params=_query(teaching, semester=semester),
        headers=teaching.auth("teacher"),
    )
    assert response.status_code == 200, response.text
    return load_workbook(io.BytesIO(response.content))


async def _import(
    client: httpx.AsyncClient,
    teaching: TeachingWorld,
    content: bytes,
    name: str = "c1",
    who: str = "teacher",
) -> httpx.Response:
    return await client.post(
        _url(teaching, name),
        params=_query(teaching),
        files={"file": ("notes.xlsx", content, XLSX)},
        headers=teaching.auth(who),
    )


def _sheet(book: Book) -> Worksheet:
    sheet = book["Notes"]
    assert isinstance(sheet, Worksheet)
    return sheet


def _header_row(sheet: Worksheet) -> int:
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        if cell.value == "Code Massar":
            return cell.row
    raise AssertionError("no header row")


def _rows(sheet: Worksheet) -> list[dict[str, Any]]:
    """The pupil rows, by header, with their sheet row number under `row`."""
    top = _header_row(sheet)
    headers = [c.value for c in sheet[top]]
    return [
        {"row": cells[0].row, **{h: c.value for h, c in zip(headers, cells, strict=True)}}
        for cells in sheet.iter_rows(min_row=top + 1)
        if cells[0].value
    ]


def _fill(book: Book, cells: dict[str, dict[str, Any]]) -> bytes:
    """Set cells by Massar code and column header, then save the workbook."""
    sheet = _sheet(book)
    top = _header_row(sheet)
    columns = {c.value: c.column for c in sheet[top]}
    rows = {row["Code Massar"]: row["row"] for row in _rows(sheet)}
    for code, values in cells.items():
        for header, value in values.items():
            # `.value =`: `sheet.cell(row, column, None)` would leave the cell as it is.
            sheet.cell(rows[code], columns[header]).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _codes(teaching: TeachingWorld, name: str = "c1") -> list[str]:
    return [p.massar_code for p in teaching.pupils[name]]


async def _create_test(client: httpx.AsyncClient, teaching: TeachingWorld, kind: str) -> str:
    response = await client.post(
        f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/tests",
        json={
            "subject_id": str(teaching.subjects["MATH"].id),
            "semester": 1,
            "kind": kind,
            "date": date.today().isoformat(),
            "title": kind,
        },
        headers=teaching.auth("teacher"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _save_marks(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str, rows: list[dict[str, Any]]
) -> None:
    response = await client.put(
        f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=teaching.auth("teacher")
    )
    assert response.status_code == 200, response.text


async def _tests(client: httpx.AsyncClient, teaching: TeachingWorld) -> dict[str, str]:
    response = await client.get(
        "/api/v1/teacher/tests",
        params={"class_id": str(teaching.classes["c1"].id)},
        headers=teaching.auth("teacher"),
    )
    assert response.status_code == 200
    return {t["kind"]: t["id"] for t in response.json()}


async def _marks(
    client: httpx.AsyncClient, teaching: TeachingWorld, test_id: str
) -> dict[str, dict[str, Any]]:
    response = await client.get(
        f"/api/v1/teacher/tests/{test_id}/marks", headers=teaching.auth("teacher")
    )
    assert response.status_code == 200
    return {m["pupil_id"]: m for m in response.json()["marks"]}


async def _stored(session: AsyncSession, teaching: TeachingWorld) -> list[tuple[Any, ...]]:
    """Every mark of class c1, with its row version: xmin and ctid move on any update."""
    rows = await session.execute(
        select(
            ClassTest.kind,
            Mark.pupil_id,
            Mark.mark,
            Mark.absent,
            Mark.remark,
            Mark.updated_at,
            literal_column("marks.xmin::text"),
            literal_column("marks.ctid::text"),
        )
        .join(ClassTest, ClassTest.id == Mark.test_id)
        .where(ClassTest.class_id == teaching.classes["c1"].id)
        .order_by(ClassTest.kind, Mark.pupil_id)
    )
    return [tuple(row) for row in rows.all()]


async def _test_count(session: AsyncSession, teaching: TeachingWorld) -> int:
    rows = await session.scalars(
        select(ClassTest.id).where(ClassTest.class_id == teaching.classes["c1"].id)
    )
    return len(rows.all())


def _all_pupils(teaching: TeachingWorld, column: str, value: Any) -> dict[str, dict[str, Any]]:
    return {code: {column: value} for code in _codes(teaching)}


# ---- export ---------------------------------------------------------------------------------


async def test_export_has_the_header_block_and_one_row_per_pupil(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    pupils = teaching.pupils["c1"]
    test_1 = await _create_test(client, teaching, "test_1")
    ai = await _create_test(client, teaching, "integrated_activities")
    await _save_marks(
        client,
        teaching,
        test_1,
        [
            {"pupil_id": str(pupils[0].id), "mark": "12.5", "remark": "early"},
            {"pupil_id": str(pupils[1].id), "absent": True},
        ],
    )
    await _save_marks(
        client, teaching, ai, [{"pupil_id": str(pupils[0].id), "mark": "15", "remark": "good"}]
    )

    response = await client.get(
        _url(teaching), params=_query(teaching), headers=teaching.auth("teacher")
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    c1 = teaching.classes["c1"]
    filename = f"notes_{c1.name}_MATH_S1_{teaching.year}.xlsx"
    assert response.headers["content-disposition"] == f"attachment; filename={filename}"
    book = load_workbook(io.BytesIO(response.content))
    sheet = _sheet(book)
    block = {
        row[0]: row[1:]
        for row in sheet.iter_rows(min_row=1, max_row=_header_row(sheet), values_only=True)
        if row[0] in BLOCK_LABELS
    }
    assert list(block) == BLOCK_LABELS
    school = teaching.world.schools["a1"]
    assert school.code in str(block["Établissement"][0])
    assert school.name_fr in str(block["Établissement"][0])
    assert school.name_ar in str(block["Établissement"][7])
    assert block["Classe"][0] == c1.name
    assert block["Semestre"][0] == "Semestre 1"
    assert block["Année scolaire"][0] == f"{teaching.year}/{teaching.year + 1}"
    assert block["Matière"][13] == "المادة"  # the Arabic label, on the right
    top = _header_row(sheet)
    assert [c.value for c in sheet[top]][: len(HEADERS)] == HEADERS
    assert sheet.freeze_panes == f"A{top + 1}"

    rows = _rows(sheet)
    ordered = sorted(pupils, key=lambda p: (p.last_name, p.first_name))
    assert [r["Code Massar"] for r in rows] == [p.massar_code for p in ordered]
    by_code = {r["Code Massar"]: r for r in rows}
    first, second = by_code[pupils[0].massar_code], by_code[pupils[1].massar_code]
    assert first["Nom"] == pupils[0].last_name
    assert first["Date de naissance"].date() == pupils[0].birth_date
    assert first["Contrôle 1"] == 12.5
    assert first["Activités intégrées"] == 15
    assert first["Absent C1"] is None
    # Integrated activities speak for the semester: their remark wins over the test's.
    assert first["Remarque"] == "good"
    assert second["Contrôle 1"] is None
    assert second["Absent C1"] == "X"
    assert sheet.cell(first["row"], HEADERS.index("Contrôle 1") + 1).number_format == "0.00"

    hidden = book["massar"]
    assert hidden.sheet_state == "hidden"
    meta = dict(hidden.iter_rows(values_only=True))
    assert meta["class_id"] == str(c1.id)
    assert meta["subject_id"] == str(teaching.subjects["MATH"].id)


# ---- import ---------------------------------------------------------------------------------


async def test_round_trip_writes_the_marks(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    codes = _codes(teaching)
    book = await _export(client, teaching)
    content = _fill(
        book,
        {
            codes[0]: {"Contrôle 1": 14.25, "Activités intégrées": 16, "Remarque": "Bon travail"},
            codes[1]: {"Contrôle 1": 9, "Activités intégrées": 11.5},
            codes[2]: {"Absent C1": "x", "Activités intégrées": 12},
            codes[3]: {"Contrôle 1": "10,75"},
            codes[4]: {"Contrôle 1": 20, "Absent AI": "ABS"},
        },
    )

    response = await _import(client, teaching, content)

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["rows_read"] == 5
    assert report["pupils_matched"] == 5
    assert report["tests_created"] == ["test_1", "integrated_activities"]
    assert report["marks_written"] == {
        "test_1": 5,
        "test_2": 0,
        "test_3": 0,
        "test_4": 0,
        "integrated_activities": 4,
    }
    assert report["errors"] == []
    tests = await _tests(client, teaching)
    assert set(tests) == {"test_1", "integrated_activities"}
    pupils = {p.massar_code: str(p.id) for p in teaching.pupils["c1"]}
    test_1 = await _marks(client, teaching, tests["test_1"])
    assert Decimal(test_1[pupils[codes[0]]]["mark"]) == Decimal("14.25")
    assert test_1[pupils[codes[2]]]["absent"] is True
    assert test_1[pupils[codes[2]]]["mark"] is None
    assert Decimal(test_1[pupils[codes[3]]]["mark"]) == Decimal("10.75")
    ai = await _marks(client, teaching, tests["integrated_activities"])
    assert ai[pupils[codes[0]]]["remark"] == "Bon travail"
    assert ai[pupils[codes[4]]]["absent"] is True
    assert pupils[codes[3]] not in ai

    # What was imported is what the next export shows.
    again = {r["Code Massar"]: r for r in _rows(_sheet(await _export(client, teaching)))}
    assert again[codes[0]]["Contrôle 1"] == 14.25
    assert again[codes[0]]["Remarque"] == "Bon travail"
    assert again[codes[4]]["Absent AI"] == "X"


async def test_importing_the_same_sheet_again_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    codes = _codes(teaching)
    content = _fill(
        await _export(client, teaching),
        {
            **_all_pupils(teaching, "Contrôle 2", 13.5),
            codes[0]: {"Contrôle 2": 8, "Remarque": "À revoir"},
        },
    )
    first = await _import(client, teaching, content)
    assert first.status_code == 200, first.text
    before = await _stored(session, teaching)
    assert len(before) == 5

    second = await _import(client, teaching, content)

    assert second.status_code == 200, second.text
    report = second.json()
    assert report["tests_created"] == []
    assert set(report["marks_written"].values()) == {0}
    assert set(report["marks_cleared"].values()) == {0}
    assert await _stored(session, teaching) == before


async def test_importing_an_untouched_export_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    pupils = teaching.pupils["c1"]
    test_1 = await _create_test(client, teaching, "test_1")
    test_3 = await _create_test(client, teaching, "test_3")
    ai = await _create_test(client, teaching, "integrated_activities")
    await _save_marks(
        client,
        teaching,
        test_1,
        [
            {"pupil_id": str(pupils[0].id), "mark": "9.5", "remark": "hidden by the later one"},
            {"pupil_id": str(pupils[1].id), "mark": "12"},
        ],
    )
    await _save_marks(
        client,
        teaching,
        test_3,
        [
            {"pupil_id": str(pupils[0].id), "mark": "7", "remark": "absent often"},
            # A remark alone, which the sheet has no cell for.
            {"pupil_id": str(pupils[1].id), "remark": "only a remark"},
            {"pupil_id": str(pupils[2].id), "remark": "a remark with nothing else"},
        ],
    )
    await _save_marks(client, teaching, ai, [{"pupil_id": str(pupils[3].id), "absent": True}])
    before = await _stored(session, teaching)
    book = await _export(client, teaching)
    buffer = io.BytesIO()
    book.save(buffer)

    response = await _import(client, teaching, buffer.getvalue())

    assert response.status_code == 200, response.text
    assert set(response.json()["marks_written"].values()) == {0}
    assert await _stored(session, teaching) == before


async def test_an_emptied_cell_clears_the_mark(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    pupils = teaching.pupils["c1"]
    test_1 = await _create_test(client, teaching, "test_1")
    await _save_marks(
        client, teaching, test_1, [{"pupil_id": str(p.id), "mark": "10"} for p in pupils]
    )
    content = _fill(await _export(client, teaching), {pupils[2].massar_code: {"Contrôle 1": None}})

    response = await _import(client, teaching, content)

    assert response.status_code == 200, response.text
    assert response.json()["marks_cleared"]["test_1"] == 1
    assert response.json()["marks_written"]["test_1"] == 0
    marks = await _marks(client, teaching, test_1)
    assert set(marks) == {str(p.id) for i, p in enumerate(pupils) if i != 2}


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("Contrôle 2", 21, "less_than_equal"),
        ("Contrôle 2", -1, "greater_than_equal"),
        ("Contrôle 2", 12.345, "decimal_max_digits"),
        ("Contrôle 2", 1.234, "decimal_max_places"),
        ("Contrôle 2", "abc", "decimal_parsing"),
        ("Absent C1", "X", "value_error"),  # a mark and an absence together
        ("Code Massar", "Z999999999", "not_in_class"),
    ],
)
async def test_one_bad_cell_refuses_the_whole_sheet(
    client: httpx.AsyncClient,
    session: AsyncSession,
    teaching: TeachingWorld,
    column: str,
    value: Any,
    code: str,
) -> None:
    codes = _codes(teaching)
    cells = {c: {"Contrôle 1": 12, "Contrôle 2": 13} for c in codes}
    cells[codes[3]][column] = value
    book = await _export(client, teaching)
    row_number = {r["Code Massar"]: r["row"] for r in _rows(_sheet(book))}[codes[3]]

    response = await _import(client, teaching, _fill(book, cells))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/validation")
    [error] = body["errors"]
    assert error["row"] == row_number
    assert error["code"] == code
    expected_column = "Contrôle 1" if column == "Absent C1" else column
    assert error["column"] == expected_column
    assert error["massar_code"] == (value if column == "Code Massar" else codes[3])
    assert error["message"]
    # Nothing written: no test created, no mark stored.
    assert await _test_count(session, teaching) == 0
    assert await _stored(session, teaching) == []


async def test_every_fault_is_reported_together(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    codes = _codes(teaching)
    content = _fill(
        await _export(client, teaching),
        {
            codes[0]: {"Contrôle 1": 25, "Contrôle 4": "n/a"},
            codes[1]: {"Code Massar": codes[2]},  # the same pupil twice
        },
    )

    response = await _import(client, teaching, content)

    assert response.status_code == 422
    found = {(e["massar_code"], e["column"], e["code"]) for e in response.json()["errors"]}
    assert found == {
        (codes[0], "Contrôle 1", "less_than_equal"),
        (codes[0], "Contrôle 4", "decimal_parsing"),
        (codes[2], "Code Massar", "duplicate"),
    }


async def test_a_decimal_comma_is_accepted(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    pupil = teaching.pupils["c1"][0]
    content = _fill(await _export(client, teaching), {pupil.massar_code: {"Contrôle 3": "12,5"}})

    response = await _import(client, teaching, content)

    assert response.status_code == 200, response.text
    assert response.json()["tests_created"] == ["test_3"]
    marks = await _marks(client, teaching, (await _tests(client, teaching))["test_3"])
    assert Decimal(marks[str(pupil.id)]["mark"]) == Decimal("12.5")


async def test_a_submitted_test_cannot_change(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    pupils = teaching.pupils["c1"]
    test_1 = await _create_test(client, teaching, "test_1")
    await _save_marks(
        client, teaching, test_1, [{"pupil_id": str(p.id), "mark": "11"} for p in pupils]
    )
    submitted = await client.post(
        f"/api/v1/teacher/tests/{test_1}/submit", headers=teaching.auth("teacher")
    )
    assert submitted.status_code == 200, submitted.text
    book = await _export(client, teaching)

    # Its identical values are left alone while another column is filled in.
    unchanged = _fill(book, _all_pupils(teaching, "Contrôle 2", 14))
    response = await _import(client, teaching, unchanged)
    assert response.status_code == 200, response.text
    assert response.json()["marks_written"]["test_1"] == 0
    assert response.json()["marks_written"]["test_2"] == 5
    before = await _stored(session, teaching)

    changed = _fill(book, {pupils[1].massar_code: {"Contrôle 1": 18, "Contrôle 2": 15}})
    refused = await _import(client, teaching, changed)

    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert (error["massar_code"], error["column"], error["code"]) == (
        pupils[1].massar_code,
        "Contrôle 1",
        "locked",
    )
    assert await _stored(session, teaching) == before


async def test_a_changed_remark_replaces_the_one_shown(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    pupils = teaching.pupils["c1"]
    test_2 = await _create_test(client, teaching, "test_2")
    await _save_marks(
        client,
        teaching,
        test_2,
        [
            {"pupil_id": str(pupils[0].id), "mark": "10", "remark": "old"},
            {"pupil_id": str(pupils[1].id), "mark": "11", "remark": "to erase"},
        ],
    )
    content = _fill(
        await _export(client, teaching),
        {
            pupils[0].massar_code: {"Remarque": "new"},
            pupils[1].massar_code: {"Remarque": None},
            pupils[2].massar_code: {"Remarque": "nowhere to go"},
        },
    )

    refused = await _import(client, teaching, content)

    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["massar_code"], error["column"], error["code"]) == (
        pupils[2].massar_code,
        "Remarque",
        "remark_without_mark",
    )

    content = _fill(load_workbook(io.BytesIO(content)), {pupils[2].massar_code: {"Remarque": None}})
    response = await _import(client, teaching, content)

    assert response.status_code == 200, response.text
    assert response.json()["marks_written"]["test_2"] == 2
    marks = await _marks(client, teaching, test_2)
    assert marks[str(pupils[0].id)]["remark"] == "new"
    assert marks[str(pupils[1].id)]["remark"] is None
    assert Decimal(marks[str(pupils[1].id)]["mark"]) == 11


async def test_the_header_row_is_found_wherever_it_is(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    pupil = teaching.pupils["c1"][0]
    book = await _export(client, teaching)
    _sheet(book).insert_rows(1, amount=3)
    content = _fill(book, {pupil.massar_code: {"Contrôle 4": 17}})

    response = await _import(client, teaching, content)

    assert response.status_code == 200, response.text
    assert response.json()["marks_written"]["test_4"] == 1


# ---- files that are not the right grade sheet ------------------------------------------------


def _workbook_without_header() -> bytes:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["Nom", "Note"])
    sheet.append(["Alaoui", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"Code Massar;Contr\xc3\xb4le 1\nT000000001;12\n", 415),
        (b"PK\x03\x04 not really a zip", 415),
        (_workbook_without_header(), 422),
    ],
    ids=["csv", "broken-zip", "workbook-without-header"],
)
async def test_a_file_that_is_not_a_grade_sheet_is_refused(
    client: httpx.AsyncClient, teaching: TeachingWorld, content: bytes, status: int
) -> None:
    response = await _import(client, teaching, content)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/not-a-grade-sheet")


async def test_a_file_over_the_size_limit_is_refused(
    client: httpx.AsyncClient, teaching: TeachingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "grade_sheet_max_bytes", 10_000)

    response = await _import(client, teaching, b"\0" * 10_001)

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/file-too-large")


async def test_a_zip_that_inflates_too_much_is_refused(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * 51_000_000)
    assert len(buffer.getvalue()) < get_settings().grade_sheet_max_bytes

    response = await _import(client, teaching, buffer.getvalue())

    assert response.status_code == 413
    assert response.json()["type"].endswith("/file-too-large")


async def test_the_sheet_of_another_class_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    other = teaching.pupils["c2"][0]
    content = _fill(await _export(client, teaching, "c2"), {other.massar_code: {"Contrôle 1": 12}})

    response = await _import(client, teaching, content, name="c1")

    assert response.status_code == 422
    assert response.json()["type"].endswith("/wrong-grade-sheet")
    assert await _test_count(session, teaching) == 0


async def test_the_sheet_of_another_semester_is_refused(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    pupil = teaching.pupils["c1"][0]
    book = await _export(client, teaching, semester=2)
    content = _fill(book, {pupil.massar_code: {"Contrôle 1": 12}})

    response = await _import(client, teaching, content)

    assert response.status_code == 422
    assert response.json()["type"].endswith("/wrong-grade-sheet")


# ---- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "parent", "school_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    exported = await client.get(_url(teaching), params=_query(teaching), headers=teaching.auth(who))
    imported = await _import(client, teaching, _workbook_without_header(), who=who)

    assert exported.status_code == imported.status_code == 403
    assert exported.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("who", ["teacher_fr", "teacher_other"])
async def test_a_teacher_outside_the_class_and_subject_gets_404(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld, who: str
) -> None:
    pupil = teaching.pupils["c1"][0]
    content = _fill(await _export(client, teaching), {pupil.massar_code: {"Contrôle 1": 12}})

    exported = await client.get(_url(teaching), params=_query(teaching), headers=teaching.auth(who))
    imported = await _import(client, teaching, content, who=who)

    for response in (exported, imported):
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert pupil.massar_code not in response.text
        assert pupil.last_name not in response.text
    assert await _test_count(session, teaching) == 0


async def test_the_french_teacher_exports_their_own_subject(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    response = await client.get(
        _url(teaching), params=_query(teaching, "FR"), headers=teaching.auth("teacher_fr")
    )

    assert response.status_code == 200
    assert "_FR_S1_" in response.headers["content-disposition"]


async def test_a_name_that_looks_like_a_formula_is_written_as_text(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    pupil = teaching.pupils["c1"][0]
    pupil.last_name = '=HYPERLINK("http://example.invalid","x")'
    pupil.first_name = "+1+1"
    await session.commit()
    response = await client.get(
        _url(teaching), params=_query(teaching), headers=teaching.auth("teacher")
    )
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if "worksheets/" in name]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    row = next(
        r
        for r in _rows(_sheet(load_workbook(io.BytesIO(response.content))))
        if r["Code Massar"] == pupil.massar_code
    )
    assert '=HYPERLINK("http://example.invalid","x")' in row.values()
    assert "+1+1" in row.values()
