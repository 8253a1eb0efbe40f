"""Importing a school's pupils from Massar's spreadsheet (or CSV): every row checked, a report
per row, all or nothing, and a re-import of the same file changes nothing."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year
from app.academics.models import Enrolment, Gender, Pupil, SchoolClass
from app.academics.schemas import ImportRowError, PupilImportReport, refused_rows
from app.academics.structure import move_pupils
from app.core.security.principal import Principal
from app.core.tabular import TableRow, normalise, read_table

MASSAR_CODE = re.compile(r"^[A-Z][0-9]{9}$")
COLUMNS = {
    "code": "Code Massar",
    "last_name": "Nom",
    "first_name": "Prénom",
    "last_name_ar": "Nom (arabe)",
    "first_name_ar": "Prénom (arabe)",
    "birth_date": "Date de naissance",
    "birth_place": "Lieu de naissance",
    "gender": "Sexe",
    "class": "Classe",
}
GENDERS = {"m": Gender.MALE, "g": Gender.MALE, "h": Gender.MALE, "f": Gender.FEMALE}
NAME_FIELDS = (
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "birth_date",
    "birth_place",
    "gender",
)


@dataclass
class PupilRow:
    row: int
    massar_code: str
    fields: dict[str, Any]
    class_name: str


async def import_pupils(
    session: AsyncSession, principal: Principal, content: bytes
) -> PupilImportReport:
    """Create or update the file's pupils and put them in their class for this year."""
    assert principal.school_id is not None
    table = await anyio.to_thread.run_sync(read_table, content, COLUMNS["code"])
    year = await current_school_year(session)
    classes = dict(
        (
            await session.execute(
                select(SchoolClass.name, SchoolClass.id).where(
                    SchoolClass.school_id == principal.school_id, SchoolClass.school_year == year
                )
            )
        ).all()
    )
    rows, errors = _parse(table, set(classes))
    codes = [r.massar_code for r in rows]
    existing = {
        p.massar_code: p
        for p in await session.scalars(select(Pupil).where(Pupil.massar_code.in_(codes)))
    }
    errors += [
        ImportRowError(
            row=r.row,
            massar_code=r.massar_code,
            column=COLUMNS["code"],
            message="registered in another school: ask for a transfer",
            code="other_school",
        )
        for r in rows
        if r.massar_code in existing and existing[r.massar_code].school_id != principal.school_id
    ]
    if errors:
        raise refused_rows(errors)
    return await _apply(session, principal, rows, existing, classes, year, len(table))


def _parse(
    table: list[TableRow], class_names: set[str]
) -> tuple[list[PupilRow], list[ImportRowError]]:
    rows: list[PupilRow] = []
    errors: list[ImportRowError] = []
    seen: set[str] = set()
    for line in table:
        row, faults = _parse_row(line, class_names, seen)
        rows.append(row)
        errors += faults
    return rows, errors


def _parse_row(
    line: TableRow, class_names: set[str], seen: set[str]
) -> tuple[PupilRow, list[ImportRowError]]:
    """One row, checked cell by cell: all its faults, not just the first."""
    values = {key: line.values.get(normalise(header)) for key, header in COLUMNS.items()}
    code = str(values["code"] or "").strip().upper()
    faults: list[tuple[str, str, str]] = []
    if not MASSAR_CODE.match(code):
        faults.append(("code", "expected a letter and nine digits", "massar_code_format"))
    elif code in seen:
        faults.append(("code", "this pupil appears twice in the file", "duplicate"))
    seen.add(code)
    class_name = str(values["class"] or "").strip()
    if class_name not in class_names:
        faults.append(("class", f"no class {class_name!r} this year", "unknown_class"))
    birth = _date(values["birth_date"])
    if birth is None:
        faults.append(("birth_date", "expected a date such as 02/05/2013", "date_format"))
    gender = GENDERS.get(str(values["gender"] or "").strip().lower()[:1])
    if gender is None:
        faults.append(("gender", "expected M or F", "gender"))
    names = {
        k: str(values[k] or "").strip()
        for k in ("last_name", "first_name", "last_name_ar", "first_name_ar")
    }
    faults += [(k, "required", "missing") for k, v in names.items() if not v]
    fields = {
        **names,
        "birth_date": birth,
        "gender": gender,
        "birth_place": str(values["birth_place"] or "").strip() or None,
    }
    errors = [
        ImportRowError(
            row=line.number,
            massar_code=code or None,
            column=COLUMNS[key],
            message=message,
            code=why,
        )
        for key, message, why in faults
    ]
    return PupilRow(line.number, code, fields, class_name), errors


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


async def _apply(
    session: AsyncSession,
    principal: Principal,
    rows: list[PupilRow],
    existing: dict[str, Pupil],
    classes: dict[str, uuid.UUID],
    year: int,
    rows_read: int,
) -> PupilImportReport:
    assert principal.school_id is not None
    created = updated = 0
    pupils: dict[str, Pupil] = {}
    for row in rows:
        pupil = existing.get(row.massar_code)
        if pupil is None:
            pupil = Pupil(massar_code=row.massar_code, school_id=principal.school_id, **row.fields)
            session.add(pupil)
            created += 1
        elif any(getattr(pupil, f) != row.fields[f] for f in NAME_FIELDS):
            for field in NAME_FIELDS:
                setattr(pupil, field, row.fields[field])
            updated += 1
        pupils[row.massar_code] = pupil
    await session.flush()
    current = dict(
        (
            await session.execute(
                select(Enrolment.pupil_id, Enrolment.class_id).where(
                    Enrolment.pupil_id.in_([p.id for p in pupils.values()]),
                    Enrolment.school_year == year,
                    Enrolment.left_on.is_(None),
                )
            )
        ).all()
    )
    moving = [
        (pupils[r.massar_code].id, classes[r.class_name])
        for r in rows
        if current.get(pupils[r.massar_code].id) != classes[r.class_name]
    ]
    if moving:
        await move_pupils(session, principal.school_id, year, moving)
    return PupilImportReport(
        rows_read=rows_read,
        created=created,
        updated=updated,
        moved=len(moving),
        unchanged=len(rows) - created - updated,
        errors=[],
    )
