"""Absences across a school: lists by class, date and pupil, and per-pupil totals flagged above
a threshold, for the discipline office (surveillance générale)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TypeVarTuple

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year
from app.academics.models import Pupil, SchoolClass, Subject
from app.academics.schemas import SubjectRef
from app.attendance.models import AttendanceMark, AttendanceSheet, AttendanceStatus
from app.attendance.schemas import PupilAbsenceTotal, SchoolAbsence
from app.core.listing import page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.organisation.scopes import school_scope

_Ts = TypeVarTuple("_Ts")


def _this_year(principal: Principal, statement: Select[*_Ts]) -> Select[*_Ts]:
    """The statement over this year's absences and lateness in the caller's school, each mark
    with its roll call, pupil and class."""
    return (
        statement.select_from(AttendanceMark)
        .join(
            AttendanceSheet,
            (AttendanceSheet.id == AttendanceMark.sheet_id)
            & (AttendanceSheet.school_id == AttendanceMark.school_id),
        )
        .join(Pupil, Pupil.id == AttendanceMark.pupil_id)
        .join(SchoolClass, SchoolClass.id == AttendanceSheet.class_id)
        .where(
            school_scope(principal, AttendanceMark.school_id),
            AttendanceMark.school_year == current_year(),
            AttendanceMark.status != AttendanceStatus.PRESENT,
        )
    )


async def list_absences(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    class_id: uuid.UUID | None,
    pupil_id: uuid.UUID | None,
    on: date | None,
) -> Page[SchoolAbsence]:
    """This year's absences and lateness in the school, newest first, filtered."""
    statement = _this_year(
        principal, select(AttendanceMark, AttendanceSheet, Pupil, SchoolClass.name, Subject)
    ).join(Subject, Subject.id == AttendanceSheet.subject_id)
    statement = where_given(
        statement,
        {
            AttendanceSheet.class_id: class_id,
            AttendanceMark.pupil_id: pupil_id,
            AttendanceSheet.lesson_date: on,
        },
    )
    keys = (AttendanceSheet.lesson_date, AttendanceMark.id)
    return await page_of(session, statement, keys, page, _absence, descending=True)


def _absence(row: Row[AttendanceMark, AttendanceSheet, Pupil, str, Subject]) -> SchoolAbsence:
    mark, sheet, pupil, class_name, subject = row
    return SchoolAbsence(
        id=mark.id,
        pupil_id=pupil.id,
        massar_code=pupil.massar_code,
        first_name=pupil.first_name,
        last_name=pupil.last_name,
        class_id=sheet.class_id,
        class_name=class_name,
        date=sheet.lesson_date,
        start_time=sheet.starts_at,
        subject=SubjectRef.model_validate(subject),
        status=mark.status,
        minutes_late=mark.minutes_late,
    )


async def pupil_totals(
    session: AsyncSession,
    principal: Principal,
    *,
    threshold: int,
    class_id: uuid.UUID | None,
    only_above: bool,
) -> list[PupilAbsenceTotal]:
    """Per pupil, this year's absences and lateness counted in SQL, most absent first."""
    absences = func.count().filter(AttendanceMark.status == AttendanceStatus.ABSENT)
    lateness = func.count().filter(AttendanceMark.status == AttendanceStatus.LATE)
    counted = select(
        Pupil.id,
        Pupil.massar_code,
        Pupil.first_name,
        Pupil.last_name,
        SchoolClass.name,
        absences.label("absences"),
        lateness.label("lateness"),
    )
    statement = (
        _this_year(principal, counted)
        .group_by(Pupil.id, SchoolClass.name)
        .order_by(absences.desc(), Pupil.last_name)
    )
    statement = where_given(statement, {AttendanceSheet.class_id: class_id})
    if only_above:
        statement = statement.having(absences > threshold)
    return [
        PupilAbsenceTotal.of(
            row, pupil_id=row.id, class_name=row.name, above_threshold=row.absences > threshold
        )
        for row in await session.execute(statement)
    ]
