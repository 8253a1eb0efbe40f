"""Importing pupils from Massar's spreadsheet or CSV: all or nothing, idempotent."""

from __future__ import annotations

import io
import zipfile

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.core.tabular import MAX_ROWS
from tests.factories import TeachingWorld

HEADER = [
    "Code Massar",
    "Nom",
    "Prénom",
    "Nom (arabe)",
    "Prénom (arabe)",
    "Date de naissance",
    "Lieu de naissance",
    "Sexe",
    "Classe",
]


def _rows(t: TeachingWorld) -> list[list[object]]:
    c1, c2 = t.classes["c1"].name, t.classes["c2"].name
    return [
        ["K100000001", "Amrani", "Yasmine", "العمراني", "ياسمين", "02/05/2013", "Rabat", "F", c1],
        ["K100000002", "Naciri", "Anas", "الناصري", "أنس", "2013-01-17", "Salé", "M", c2],
        # An existing pupil of the school moves to c2.
        [
            t.pupils["c1"][0].massar_code,
            t.pupils["c1"][0].last_name,
            t.pupils["c1"][0].first_name,
            t.pupils["c1"][0].last_name_ar,
            t.pupils["c1"][0].first_name_ar,
            t.pupils["c1"][0].birth_date.isoformat(),
            "Rabat",
            t.pupils["c1"][0].gender.value,
            c2,
        ],
    ]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Liste des élèves"])  # a title above the header, as Massar exports have
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[list[object]]) -> bytes:
    lines = [";".join(HEADER)] + [";".join(str(c) for c in row) for row in rows]
    return "\n".join(lines).encode()


async def _import(
    client: httpx.AsyncClient,
    t: TeachingWorld,
    content: bytes,
    name: str = "eleves.xlsx",
    who: str = "school_staff",
) -> httpx.Response:
    return await client.post(
        "/api/v1/school/imports/pupils", files={"file": (name, content)}, headers=t.auth(who)
    )


async def _count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Pupil)) or 0


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_import_creates_moves_and_is_idempotent(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession, fmt: str
) -> None:
    content = _xlsx(_rows(teaching)) if fmt == "xlsx" else _csv(_rows(teaching))
    first = await _import(client, teaching, content, f"eleves.{fmt}")
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["created"], report["updated"], report["moved"]) == (2, 0, 3)
    again = (await _import(client, teaching, content, f"eleves.{fmt}")).json()
    assert (again["created"], again["updated"], again["moved"], again["unchanged"]) == (0, 0, 0, 3)
    in_c2 = await client.get(
        "/api/v1/school/pupils",
        params={"class_id": str(teaching.classes["c2"].id)},
        headers=teaching.auth("school_staff"),
    )
    assert {"K100000002", teaching.pupils["c1"][0].massar_code} <= {
        p["massar_code"] for p in in_c2.json()
    }


async def test_one_bad_row_writes_nothing(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> None:
    before = await _count(session)
    rows = _rows(teaching)
    rows.append(["K10000000", "X", "Y", "س", "ص", "31/02/2013", "Rabat", "Z", "NO-SUCH-CLASS"])
    rows.append(list(rows[0]))  # a duplicate
    response = await _import(client, teaching, _xlsx(rows))
    assert response.status_code == 422
    codes = {(e["row"], e["code"]) for e in response.json()["errors"]}
    assert {
        (6, "massar_code_format"),
        (6, "date_format"),
        (6, "gender"),
        (6, "unknown_class"),
        (7, "duplicate"),
    } <= codes
    assert await _count(session) == before


async def test_a_pupil_of_another_school_is_refused(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    stranger = teaching.pupils["c3"][0]
    row = [
        stranger.massar_code,
        "A",
        "B",
        "ا",
        "ب",
        "02/05/2013",
        "Rabat",
        "F",
        teaching.classes["c1"].name,
    ]
    response = await _import(client, teaching, _csv([row]), "eleves.csv")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "other_school"


async def test_not_a_table_is_refused(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    assert (await _import(client, teaching, b"%PDF-1.4 not a table", "eleves.csv")).status_code in (
        415,
        422,
    )
    assert (
        await _import(client, teaching, b"PK\x03\x04 broken zip", "eleves.xlsx")
    ).status_code == 415


async def test_a_broken_zip_is_an_unreadable_table(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    response = await _import(client, teaching, b"PK\x03\x04 broken zip", "eleves.xlsx")
    assert response.status_code == 415
    assert response.json()["type"].endswith("/unreadable-table")


async def test_a_zip_that_inflates_too_much_is_refused(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * 51_000_000)

    response = await _import(client, teaching, buffer.getvalue(), "eleves.xlsx")

    assert response.status_code == 413
    assert response.json()["type"].endswith("/file-too-large")


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "province_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    assert (
        await _import(client, teaching, _csv(_rows(teaching)), "e.csv", who=who)
    ).status_code == 403


TEACHER_HEADER = ["PPR", "Nom", "Prénom", "Email", "Grade", "Spécialité"]


def _teachers_csv(rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(r) for r in [TEACHER_HEADER, *rows]).encode()


async def _import_teachers(
    client: httpx.AsyncClient, t: TeachingWorld, content: bytes
) -> httpx.Response:
    return await client.post(
        "/api/v1/school/imports/teachers",
        files={"file": ("profs.csv", content)},
        headers=t.auth("school_staff"),
    )


async def test_teacher_import_opens_accounts_with_codes_and_is_idempotent(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    rows = [
        ["1111111", "Haddad", "Samir", "samir.haddad@taalim.ma", "PESC 1er grade", "SVT"],
        ["2222222", "Kettani", "Zineb", "zineb.kettani@taalim.ma", "PESC 2e grade", "ANG"],
    ]
    first = await _import_teachers(client, teaching, _teachers_csv(rows))
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["created"], report["updated"]) == (2, 0)
    assert {c["username"] for c in report["activation_codes"]} == {
        "samir.haddad@taalim.ma",
        "zineb.kettani@taalim.ma",
    }
    code = report["activation_codes"][0]
    activation = {
        "username": code["username"],
        "code": code["code"],
        "new_password": "my-own-secret-1",
    }
    assert (await client.post("/api/v1/auth/activate", json=activation)).status_code == 204
    again = (await _import_teachers(client, teaching, _teachers_csv(rows))).json()
    assert (again["created"], again["updated"], again["unchanged"], again["activation_codes"]) == (
        0,
        0,
        2,
        [],
    )
    rows[1][4] = "PESC 1er grade"
    changed = (await _import_teachers(client, teaching, _teachers_csv(rows))).json()
    assert changed["updated"] == 1


async def test_a_bad_teacher_row_writes_nothing(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    rows = [
        ["3333333", "Ok", "Valid", "valid.one@taalim.ma", "PESC", "MATH"],
        ["12", "", "Bad", "not-an-email", "PESC", "XYZ"],
    ]
    response = await _import_teachers(client, teaching, _teachers_csv(rows))
    assert response.status_code == 422
    codes = {e["code"] for e in response.json()["errors"]}
    assert {"ppr_format", "email_format", "unknown_subject", "missing"} <= codes
    listed = await client.get("/api/v1/school/teachers", headers=teaching.auth("school_staff"))
    assert "valid.one@taalim.ma" not in {t["username"] for t in listed.json()}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_a_file_over_the_row_limit_is_refused_whole(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession, fmt: str
) -> None:
    before = await _count(session)
    row = _rows(teaching)[0]
    rows = [[f"K2{n:08d}", *row[1:]] for n in range(MAX_ROWS + 1)]
    content = _xlsx(rows) if fmt == "xlsx" else _csv(rows)
    response = await _import(client, teaching, content, f"eleves.{fmt}")
    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith("/too-many-rows")
    assert response.json()["max_rows"] == MAX_ROWS
    assert await _count(session) == before


async def test_a_csv_field_beyond_the_csv_limit_is_an_unreadable_table(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    huge = '"' + "x" * 200_000 + '"'
    content = (";".join(HEADER) + "\n" + huge + ";a;b\n").encode()
    response = await _import(client, teaching, content, "eleves.csv")
    assert response.status_code == 415, response.text
    assert response.json()["type"].endswith("/unreadable-table")
