"""Exam marks, per subject: a bulk PUT or an imported sheet, with the teacher's rules: every
row valid or nothing written (422 lists each faulty row), marks from 0 to the level's scale or
absent, and a replay changes nothing. Only while the session is in marking."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import anyio.to_thread
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.bulk import upsert
from app.core.security.principal import Principal
from app.core.tabular import TableRow, normalise, read_table
from app.errors import InvalidInput, NotFound, field_error
from app.exams.models import ExamResult, ExamSessionSubject, ExamState, ExamSubjectResult
from app.exams.organising import organised_session, require_state
from app.exams.scale import scale_of
from app.exams.schemas import ExamMarkIn, ExamMarksReport

# The import's columns, as the sheets name them.
COLUMNS = {"number": "Numéro candidat", "mark": "Note", "absent": "Absent"}
_YES = {"1", "x", "oui", "yes", "abs", "absent", "true", "غائب"}


async def save_marks(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    subject_id: uuid.UUID,
    rows: Sequence[ExamMarkIn],
    where: str = "body.{index}",
) -> ExamMarksReport:
    """Set the candidates' marks in one subject; candidates not sent keep theirs."""
    exam = await organised_session(session, principal, session_id, lock=True)
    require_state(exam, ExamState.MARKING)
    # The streams that sit the subject (None: every stream).
    streams = set(
        (
            await session.scalars(
                select(ExamSessionSubject.stream_id).where(
                    ExamSessionSubject.session_id == exam.id,
                    ExamSessionSubject.subject_id == subject_id,
                )
            )
        ).all()
    )
    if not streams:
        raise NotFound()
    scale = await scale_of(session, exam.level_code)
    candidates = {
        number: (result_id, school_id)
        for number, result_id, school_id, stream_id in await session.execute(
            select(
                ExamResult.candidate_number,
                ExamResult.id,
                ExamResult.school_id,
                ExamResult.stream_id,
            ).where(ExamResult.session_id == exam.id)
        )
        if None in streams or stream_id in streams
    }
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        place = where.format(index=index)
        if row.candidate_number not in candidates:
            errors.append(
                field_error(
                    f"{place}.candidate_number",
                    "not a candidate who sits this subject (of their stream)",
                    "unknown",
                )
            )
        elif row.candidate_number in seen:
            errors.append(field_error(f"{place}.candidate_number", "appears twice", "duplicate"))
        seen.add(row.candidate_number)
        if row.mark is not None and row.mark > scale.max_mark:
            errors.append(
                field_error(f"{place}.mark", f"above the scale ({scale.max_mark})", "out_of_scale")
            )
    if errors:
        raise InvalidInput(errors)
    kept = [
        {
            "id": uuid.uuid4(),
            "school_id": candidates[row.candidate_number][1],
            "school_year": exam.school_year,
            "result_id": candidates[row.candidate_number][0],
            "subject_id": subject_id,
            "mark": row.mark,
            "absent": row.absent,
        }
        for row in rows
        if row.mark is not None or row.absent
    ]
    cleared = [
        candidates[row.candidate_number][0] for row in rows if row.mark is None and not row.absent
    ]
    if cleared:
        await session.execute(
            delete(ExamSubjectResult).where(
                ExamSubjectResult.result_id.in_(cleared),
                ExamSubjectResult.subject_id == subject_id,
            )
        )
    if kept:
        await session.execute(
            upsert(
                ExamSubjectResult,
                kept,
                key=["school_id", "result_id", "subject_id", "school_year"],
                update=["mark", "absent"],
            )
        )
    return ExamMarksReport(subject_id=subject_id, written=len(kept), cleared=len(cleared))


async def import_marks(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    subject_id: uuid.UUID,
    content: bytes,
) -> ExamMarksReport:
    """The marks of a sheet (.xlsx or CSV: Numéro candidat, Note, Absent), as a bulk PUT."""
    await organised_session(session, principal, session_id)  # 404 before reading the file
    table = await anyio.to_thread.run_sync(read_table, content, COLUMNS["number"])
    rows, errors = [], []
    for line in table:
        row, fault = _parse(line)
        if row is not None:
            rows.append(row)
        if fault is not None:
            errors.append(fault)
    if errors:
        raise InvalidInput(errors)
    # Rows are reported by the sheet's own line numbers.
    lines = [line.number for line in table]
    try:
        return await save_marks(session, principal, session_id, subject_id, rows, "row.{index}")
    except InvalidInput as refused:
        for error in refused.errors or []:
            index = int(error["field"].split(".")[1])
            error["field"] = f"row {lines[index]}.{error['field'].split('.', 2)[2]}"
        raise


def _parse(line: TableRow) -> tuple[ExamMarkIn | None, dict[str, Any] | None]:
    values = {key: line.values.get(normalise(header)) for key, header in COLUMNS.items()}
    number = str(values["number"] or "").strip()
    absent = str(values["absent"] or "").strip().lower() in _YES
    mark: Decimal | None = None
    raw = str(values["mark"] if values["mark"] is not None else "").strip().replace(",", ".")
    if raw:
        try:
            mark = Decimal(raw)
        except InvalidOperation:
            return None, field_error(f"row {line.number}.mark", "not a number", "not_a_number")
        if mark < 0 or mark > 20 or mark != mark.quantize(Decimal("0.01")):
            return None, field_error(
                f"row {line.number}.mark", "from 0 to the scale, two decimals", "out_of_scale"
            )
    if absent and mark is not None:
        return None, field_error(f"row {line.number}.mark", "absent, yet marked", "absent")
    return ExamMarkIn(candidate_number=number, mark=mark, absent=absent), None
