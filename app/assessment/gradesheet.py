"""The grade sheet (relevé de notes): a class's marks in one subject and semester, exported as a
spreadsheet in Massar's layout, filled in offline, and imported again: every cell valid, or
nothing written.

openpyxl is synchronous and CPU-bound, so workbooks are built and parsed in a worker thread.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

import anyio.to_thread
from pydantic import ValidationError
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Level, Pupil, Subject
from app.academics.teaching import TaughtClassInfo, current_pupils, taught_class
from app.accounts.models import User
from app.assessment.marks import scale_with_component, write_marks
from app.assessment.models import ClassTest, Mark, SubjectComponent, TestKind, TestStatus
from app.assessment.scale import above_scale, refused_above_scale
from app.assessment.schemas import GradeSheetReport, GradeSheetRowError, MarkIn
from app.assessment.workbook import (
    CODE,
    MARK_COLUMNS,
    REMARK,
    SheetRow,
    build_workbook,
    cell_text,
    mark_input,
    read_workbook,
)
from app.core.security.principal import Principal
from app.errors import InvalidInput, ProblemError
from app.organisation.models import Academy, Province, School
from app.settings import get_settings

_SEMESTERS_AR = {1: "الدورة الأولى", 2: "الدورة الثانية"}
# The sheet shows one remark per pupil while each mark carries its own: integrated activities
# speak for the whole semester, so theirs wins, then the latest test's.
_REMARK_ORDER = (
    TestKind.INTEGRATED_ACTIVITIES,
    TestKind.TEST_4,
    TestKind.TEST_3,
    TestKind.TEST_2,
    TestKind.TEST_1,
)
_NO_PUPIL = uuid.UUID(int=0)
COMPONENT = "query.component_id"
# id, Massar code, last and first names in French then Arabic, birth date.
_PupilRow = Row[uuid.UUID, str, str, str, str, str, date]


@dataclass(frozen=True, slots=True)
class GradeSheetFile:
    """An exported grade sheet, ready to download."""

    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class _Cell:
    """A pupil's entry in one test: a mark or an absence, and the teacher's remark."""

    mark: Decimal | None
    absent: bool
    remark: str | None = None


@dataclass(slots=True)
class _Test:
    test: ClassTest
    marks: dict[uuid.UUID, _Cell] = field(default_factory=dict)


@dataclass(slots=True)
class _Plan:
    """What an import would change, or why it cannot."""

    rows_read: int
    matched: int = 0
    errors: list[GradeSheetRowError] = field(default_factory=list)
    # Per kind, the pupils whose entry changes; None removes their mark.
    changes: dict[TestKind, dict[uuid.UUID, _Cell | None]] = field(
        default_factory=lambda: {kind: {} for kind in TestKind}
    )


# ---- loading ---------------------------------------------------------------------------------


async def _heading(
    session: AsyncSession,
    principal: Principal,
    info: TaughtClassInfo,
    subject_id: uuid.UUID,
    semester: int,
) -> tuple[str, list[tuple[str, str, str, str]]]:
    """The subject code and the header block: (French label, French value, Arabic value,
    Arabic label) lines, read in one statement."""
    r = (
        await session.execute(
            select(
                School.code,
                School.name_fr,
                School.name_ar,
                Province.name_fr.label("province_fr"),
                Province.name_ar.label("province_ar"),
                Academy.name_fr.label("academy_fr"),
                Academy.name_ar.label("academy_ar"),
                Level.name_fr.label("level_fr"),
                Level.name_ar.label("level_ar"),
                Subject.code.label("subject_code"),
                Subject.name_fr.label("subject_fr"),
                Subject.name_ar.label("subject_ar"),
                User.first_name,
                User.last_name,
                User.first_name_ar,
                User.last_name_ar,
            )
            .join(Province, Province.id == School.province_id)
            .join(Academy, Academy.id == School.academy_id)
            .join(Level, Level.code == info.level_code)
            .join(Subject, Subject.id == subject_id)
            .join(User, User.id == principal.user_id)
            .where(School.id == info.school_id)
        )
    ).one()
    teacher = f"{r.last_name} {r.first_name}"
    teacher_ar = f"{r.last_name_ar} {r.first_name_ar}" if r.last_name_ar else teacher
    year = f"{info.school_year}/{info.school_year + 1}"
    return r.subject_code, [
        ("Académie", r.academy_fr, r.academy_ar, "الأكاديمية الجهوية"),
        ("Direction provinciale", r.province_fr, r.province_ar, "المديرية الإقليمية"),
        ("Établissement", f"{r.code} – {r.name_fr}", f"{r.code} – {r.name_ar}", "المؤسسة"),
        ("Niveau", r.level_fr, r.level_ar, "المستوى"),
        ("Classe", info.name, info.name, "القسم"),
        ("Enseignant", teacher, teacher_ar, "الأستاذ(ة)"),
        ("Matière", r.subject_fr, r.subject_ar, "المادة"),
        ("Semestre", f"Semestre {semester}", _SEMESTERS_AR[semester], "الدورة"),
        ("Année scolaire", year, year, "السنة الدراسية"),
    ]


async def _with_component(
    session: AsyncSession, heading: list[tuple[str, str, str, str]], component_id: uuid.UUID
) -> list[tuple[str, str, str, str]]:
    """The header block with the component after the subject's name (« Langue arabe –
    Lecture »)."""
    component = await session.get_one(SubjectComponent, component_id)
    return [
        (fr, f"{value_fr} – {component.name_fr}", f"{value_ar} – {component.name_ar}", ar)
        if fr == "Matière"
        else (fr, value_fr, value_ar, ar)
        for fr, value_fr, value_ar, ar in heading
    ]


async def _pupils(session: AsyncSession, class_id: uuid.UUID) -> Sequence[_PupilRow]:
    """The class's current pupils by family name, as the sheet lists them."""
    result = await session.execute(
        select(
            Pupil.id,
            Pupil.massar_code,
            Pupil.last_name,
            Pupil.first_name,
            Pupil.last_name_ar,
            Pupil.first_name_ar,
            Pupil.birth_date,
        )
        .where(Pupil.id.in_(current_pupils(class_id)))
        .order_by(Pupil.last_name, Pupil.first_name, Pupil.massar_code)
    )
    return result.all()


async def _tests(
    session: AsyncSession,
    info: TaughtClassInfo,
    subject_id: uuid.UUID,
    semester: int,
    component_id: uuid.UUID | None,
) -> dict[TestKind, _Test]:
    """The existing tests of the class, subject (or component) and semester with their marks,
    in one query."""
    rows = await session.execute(
        select(ClassTest, Mark.pupil_id, Mark.mark, Mark.absent, Mark.remark)
        .outerjoin(Mark, (Mark.test_id == ClassTest.id) & (Mark.school_id == ClassTest.school_id))
        .where(
            ClassTest.school_id == info.school_id,
            ClassTest.class_id == info.id,
            ClassTest.subject_id == subject_id,
            ClassTest.component_id.is_not_distinct_from(component_id),
            ClassTest.semester == semester,
        )
    )
    tests: dict[TestKind, _Test] = {}
    for test, pupil_id, mark, absent, remark in rows:
        entry = tests.setdefault(test.kind, _Test(test))
        if pupil_id is not None:
            entry.marks[pupil_id] = _Cell(mark, absent, remark)
    return tests


def _cells_of(tests: Mapping[TestKind, _Test], pupil_id: uuid.UUID) -> dict[TestKind, _Cell]:
    return {kind: t.marks[pupil_id] for kind, t in tests.items() if pupil_id in t.marks}


def _shown_remark(cells: Mapping[TestKind, _Cell | None]) -> tuple[TestKind, str] | None:
    for kind in _REMARK_ORDER:
        cell = cells.get(kind)
        if cell is not None and cell.remark:
            return kind, cell.remark
    return None


def _meta(
    info: TaughtClassInfo, subject_id: uuid.UUID, semester: int, component_id: uuid.UUID | None
) -> dict[str, str]:
    """What the hidden sheet records, so an import can tell it is the right sheet (a
    component's sheet names it; a whole subject's has no such key, as before components)."""
    meta = {
        "class_id": str(info.id),
        "subject_id": str(subject_id),
        "semester": str(semester),
        "school_year": str(info.school_year),
    }
    return meta | ({"component_id": str(component_id)} if component_id else {})


# ---- export ----------------------------------------------------------------------------------


async def export_grade_sheet(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    subject_id: uuid.UUID,
    semester: int,
    component_id: uuid.UUID | None = None,
) -> GradeSheetFile:
    """The class's marks in a subject (or a component) and semester as an .xlsx in Massar's
    layout."""
    info = await taught_class(session, principal, class_id, subject_id)
    await scale_with_component(session, info.level_code, subject_id, component_id, COMPONENT)
    subject_code, heading = await _heading(session, principal, info, subject_id, semester)
    if component_id is not None:
        heading = await _with_component(session, heading, component_id)
    pupils = await _pupils(session, class_id)
    tests = await _tests(session, info, subject_id, semester, component_id)
    rows = [_pupil_row(pupil, _cells_of(tests, pupil.id)) for pupil in pupils]
    meta = _meta(info, subject_id, semester, component_id)
    content = await anyio.to_thread.run_sync(build_workbook, heading, rows, meta)
    stem = f"notes_{info.name}_{subject_code}_S{semester}_{info.school_year}"
    # Class names are free text: keep the file name a plain header token.
    return GradeSheetFile(re.sub(r"[^A-Za-z0-9_-]", "_", stem) + ".xlsx", content)


def _pupil_row(pupil: _PupilRow, cells: Mapping[TestKind, _Cell]) -> list[Any]:
    values: list[Any] = [pupil.massar_code, pupil.last_name, pupil.first_name, pupil.birth_date]
    for kind in MARK_COLUMNS:
        cell = cells.get(kind)
        values += [cell and cell.mark, "X" if cell and cell.absent else None]
    shown = _shown_remark(cells)
    return [*values, shown and shown[1], pupil.last_name_ar, pupil.first_name_ar]


# ---- import ----------------------------------------------------------------------------------


async def import_grade_sheet(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    subject_id: uuid.UUID,
    semester: int,
    content: bytes,
    component_id: uuid.UUID | None = None,
) -> GradeSheetReport:
    """Write the marks of a filled-in grade sheet: every cell valid, or nothing written."""
    info = await taught_class(session, principal, class_id, subject_id)
    max_mark = await scale_with_component(
        session, info.level_code, subject_id, component_id, COMPONENT
    )
    if len(content) > get_settings().grade_sheet_max_bytes:
        raise ProblemError(413, "gradesheet.too_large", kind="file-too-large")
    sheet = await anyio.to_thread.run_sync(read_workbook, content)
    # A whole subject's sheet has no component: one of a component's is the wrong sheet.
    expected = {"component_id": None} | _meta(info, subject_id, semester, component_id)
    if {key: sheet.meta.get(key) for key in expected} != expected:
        raise ProblemError(422, "gradesheet.wrong_sheet", kind="wrong-grade-sheet")
    pupils = {p.massar_code: p.id for p in await _pupils(session, class_id)}
    tests = await _tests(session, info, subject_id, semester, component_id)
    plan = _plan(sheet.rows, pupils, tests, max_mark)
    if plan.errors:
        raise InvalidInput([e.model_dump() for e in plan.errors])
    # Only columns with at least one value get a test; clearing needs no test to exist.
    new_kinds = [k for k, c in plan.changes.items() if k not in tests and any(c.values())]
    created = await _create_tests(
        session, principal, info, (subject_id, component_id), semester, new_kinds
    )
    targets = {**{k: t.test for k, t in tests.items()}, **created}
    report = GradeSheetReport(
        rows_read=plan.rows_read,
        pupils_matched=plan.matched,
        marks_written=dict.fromkeys(TestKind, 0),
        marks_cleared=dict.fromkeys(TestKind, 0),
        tests_created=new_kinds,
        errors=[],
    )
    for kind, changes in plan.changes.items():
        if kind in targets and changes:
            with refused_above_scale("file"):
                written, cleared = await write_marks(
                    session, targets[kind], changes, principal.user_id
                )
            report.marks_written[kind], report.marks_cleared[kind] = written, cleared
    return report


def _plan(
    rows: Sequence[SheetRow],
    pupils: Mapping[str, uuid.UUID],
    tests: Mapping[TestKind, _Test],
    max_mark: int,
) -> _Plan:
    """Check every row and work out the changes; all faults are reported together."""
    plan = _Plan(rows_read=len(rows))
    seen: set[uuid.UUID] = set()
    for row in rows:
        pupil_id, errors = _identify(row, pupils, seen)
        cells, cell_errors = _row_cells(row, pupil_id or _NO_PUPIL, max_mark)
        plan.errors += errors + cell_errors
        if pupil_id is None or cell_errors:
            continue
        plan.matched += 1
        existing = _cells_of(tests, pupil_id)
        entries = _with_remark(cells, existing, cell_text(row.values[REMARK]) or None)
        if entries is None:
            message = "a remark needs a mark or an absence on its row"
            plan.errors.append(_error(row, REMARK, message, "remark_without_mark"))
            continue
        _add_changes(plan, row, pupil_id, entries, existing, tests)
    return plan


def _error(row: SheetRow, column: str | None, message: str, code: str) -> GradeSheetRowError:
    massar_code = cell_text(row.values[CODE]) or None
    return GradeSheetRowError(
        row=row.number, massar_code=massar_code, column=column, message=message, code=code
    )


def _identify(
    row: SheetRow, pupils: Mapping[str, uuid.UUID], seen: set[uuid.UUID]
) -> tuple[uuid.UUID | None, list[GradeSheetRowError]]:
    code = cell_text(row.values[CODE]).upper()
    pupil_id = pupils.get(code)
    if not code:
        return None, [_error(row, CODE, "no Massar code on this row", "missing")]
    if pupil_id is None:
        return None, [_error(row, CODE, "not a pupil of this class", "not_in_class")]
    if pupil_id in seen:
        return None, [_error(row, CODE, "this pupil appears twice", "duplicate")]
    seen.add(pupil_id)
    return pupil_id, []


def _row_cells(
    row: SheetRow, pupil_id: uuid.UUID, max_mark: int
) -> tuple[dict[TestKind, _Cell | None], list[GradeSheetRowError]]:
    """The row's five entries and its remark, each checked as `PUT /tests/{id}/marks` does
    (the level's scale included)."""
    cells: dict[TestKind, _Cell | None] = {}
    errors: list[GradeSheetRowError] = []
    for kind, (mark_column, absent_column) in MARK_COLUMNS.items():
        mark, absent = (
            mark_input(row.values[mark_column]),
            bool(cell_text(row.values[absent_column])),
        )
        try:
            entry = _mark_in(pupil_id, mark=mark, absent=absent)
        except ValidationError as exc:
            errors += [_error(row, mark_column, e["msg"], e["type"]) for e in exc.errors()]
            continue
        if faults := above_scale([entry.mark], max_mark, ""):
            errors += [_error(row, mark_column, f["message"], f["code"]) for f in faults]
            continue
        cells[kind] = None if entry.is_empty else _Cell(entry.mark, entry.absent)
    try:
        _mark_in(pupil_id, remark=cell_text(row.values[REMARK]) or None)
    except ValidationError as exc:
        errors += [_error(row, REMARK, e["msg"], e["type"]) for e in exc.errors()]
    return cells, errors


def _mark_in(pupil_id: uuid.UUID, **fields: Any) -> MarkIn:
    return MarkIn.model_validate({"pupil_id": pupil_id, **fields})


def _with_remark(
    cells: Mapping[TestKind, _Cell | None],
    existing: Mapping[TestKind, _Cell],
    remark: str | None,
) -> dict[TestKind, _Cell | None] | None:
    """The row's entries with remarks: unchanged, they stay on the marks that carry them;
    changed, the new one goes where the next export reads it. None when it has nowhere to go."""
    entries = {kind: _keep_remark(cell, existing.get(kind)) for kind, cell in cells.items()}
    shown = _shown_remark(existing)
    if (shown[1] if shown else None) == remark and (shown is None or entries.get(shown[0])):
        return entries
    if remark is None:
        return {kind: cell and _bare(replace(cell, remark=None)) for kind, cell in entries.items()}
    if shown and entries.get(shown[0]):
        carrier: TestKind | None = shown[0]
    else:
        carrier = next((kind for kind in _REMARK_ORDER if entries.get(kind)), None)
    cell = entries.get(carrier) if carrier else None
    if carrier is None or cell is None:
        return None
    return {**entries, carrier: replace(cell, remark=remark)}


def _keep_remark(cell: _Cell | None, old: _Cell | None) -> _Cell | None:
    """The sheet's entry with the remark its mark already has. A remark alone (as `PUT /marks`
    allows) has no cell in the sheet to be cleared from, so it stays."""
    if old is None:
        return cell
    if cell is None:
        return old if old.mark is None and not old.absent else None
    return replace(cell, remark=old.remark)


def _bare(cell: _Cell) -> _Cell | None:
    """The entry, or None when it holds nothing: no mark, no absence, no remark."""
    return cell if cell.mark is not None or cell.absent or cell.remark else None


def _add_changes(
    plan: _Plan,
    row: SheetRow,
    pupil_id: uuid.UUID,
    entries: Mapping[TestKind, _Cell | None],
    existing: Mapping[TestKind, _Cell],
    tests: Mapping[TestKind, _Test],
) -> None:
    """Record the entries that differ; a test already submitted refuses them."""
    for kind, entry in entries.items():
        old = existing.get(kind)
        if entry == old:
            continue
        test = tests.get(kind)
        if test is None or test.test.status is TestStatus.DRAFT:
            plan.changes[kind][pupil_id] = entry
            continue
        same_mark = old and entry and (old.mark, old.absent) == (entry.mark, entry.absent)
        column = REMARK if same_mark else MARK_COLUMNS[kind][0]
        message = "this test has been submitted: its marks can no longer change"
        plan.errors.append(_error(row, column, message, "locked"))


async def _create_tests(
    session: AsyncSession,
    principal: Principal,
    info: TaughtClassInfo,
    subject: tuple[uuid.UUID, uuid.UUID | None],
    semester: int,
    kinds: Sequence[TestKind],
) -> dict[TestKind, ClassTest]:
    """Draft tests, dated today, for the filled-in columns that had none (on the sheet's
    subject and component)."""
    subject_id, component_id = subject
    created = {
        kind: ClassTest(
            school_id=info.school_id,
            school_year=info.school_year,
            class_id=info.id,
            subject_id=subject_id,
            component_id=component_id,
            teacher_id=principal.user_id,
            semester=semester,
            kind=kind,
            test_date=school_today(),
            title=MARK_COLUMNS[kind][0],
            status=TestStatus.DRAFT,
        )
        for kind in kinds
    }
    if created:
        session.add_all(created.values())
        await session.flush()
    return created
