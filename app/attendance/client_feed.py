"""The absences feed of API clients (`attendance.read`): social-support programmes (Tayssir)
condition cash transfers on pupils' attendance. A school's or a pupil's absences and
lateness, by lesson date and by change (`updated_since`, with the ids deleted since), in the
client's unit, scope in SQL.

What the scope opens, and no more: the pupil's id and Massar code (the key these programmes
use), the lesson's date, start and subject, the status (absent or late, minutes late) and
the state of the parents' justification (pending, accepted, rejected). Never the teacher's
note, the justification's reason or its document, nor the pupil's names.

A delta read answers every mark changed since `updated_since`, a `present` one too (an absence
corrected to present: the client drops it), and a mark whose justification was decided since;
deletions come from the tombstones, refused with 410 past the sync window."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil, Subject
from app.attendance.covering import latest_justification
from app.attendance.models import AttendanceMark, AttendanceSheet, AttendanceStatus, Justification
from app.attendance.schemas import ClientAbsence, ClientAbsenceFeed
from app.core.listing import keyset_page
from app.core.pagination import PageRequest
from app.errors import NotFound
from app.integrations.callers import ApiCaller
from app.organisation.models import School
from app.organisation.scopes import school_scope
from app.sync.models import Tombstone
from app.sync.tombstones import Kind, require_within_window, tombstones_since


async def absences_feed(
    session: AsyncSession,
    caller: ApiCaller,
    page: PageRequest,
    *,
    school_id: uuid.UUID | None,
    pupil_id: uuid.UUID | None,
    between: tuple[date | None, date | None],
    updated_since: datetime | None,
) -> ClientAbsenceFeed:
    """One page of the absences of a school or a pupil of the client's unit (404 for one
    outside it), and on the first page of a delta the ids deleted since."""
    if updated_since is not None:
        require_within_window(updated_since)
    where = await _where(session, caller, school_id, pupil_id)
    statement = _statement(where, between, updated_since)
    rows, cursor = await keyset_page(
        session, statement, [AttendanceSheet.lesson_date, AttendanceMark.id], page
    )
    deleted: list[uuid.UUID] = []
    if updated_since is not None and page.cursor is None:
        deleted = await _deleted(session, caller, school_id, pupil_id, updated_since)
    return ClientAbsenceFeed(
        items=[_absence(row) for row in rows], deleted=deleted, next_cursor=cursor
    )


async def _where(
    session: AsyncSession,
    caller: ApiCaller,
    school_id: uuid.UUID | None,
    pupil_id: uuid.UUID | None,
) -> list[ColumnElement[bool]]:
    """The rows asked for, within the unit; 404 for a school or a pupil outside it (a pupil
    belongs to the unit through their current school)."""
    where = [school_scope(caller.unit, AttendanceMark.school_id)]
    if school_id is not None:
        where.append(AttendanceMark.school_id == school_id)
        known = select(School.id).where(School.id == school_id, _in_unit(caller, School))
        if await session.scalar(known) is None:
            raise NotFound()
    if pupil_id is not None:
        where.append(AttendanceMark.pupil_id == pupil_id)
        known = (
            select(Pupil.id)
            .join(School, School.id == Pupil.school_id)
            .where(Pupil.id == pupil_id, _in_unit(caller, School))
        )
        if await session.scalar(known) is None:
            raise NotFound()
    return where


def _in_unit(caller: ApiCaller, school: Any) -> ColumnElement[bool]:
    return school_scope(
        caller.unit, school.id, province_id=school.province_id, academy_id=school.academy_id
    )


def _statement(
    where: list[ColumnElement[bool]],
    between: tuple[date | None, date | None],
    updated_since: datetime | None,
) -> Select[Any]:
    justification = latest_justification(Justification.status, Justification.updated_at)
    statement = (
        select(
            AttendanceMark.id,
            AttendanceMark.school_id,
            AttendanceMark.pupil_id,
            Pupil.massar_code,
            AttendanceSheet.lesson_date,
            AttendanceSheet.starts_at,
            Subject.code.label("subject"),
            AttendanceMark.status,
            AttendanceMark.minutes_late,
            justification.c.status.label("justification"),
            AttendanceMark.updated_at,
        )
        .select_from(AttendanceMark)
        .join(
            AttendanceSheet,
            (AttendanceSheet.id == AttendanceMark.sheet_id)
            & (AttendanceSheet.school_id == AttendanceMark.school_id)
            & (AttendanceSheet.school_year == AttendanceMark.school_year),
        )
        .join(Pupil, Pupil.id == AttendanceMark.pupil_id)
        .join(Subject, Subject.id == AttendanceSheet.subject_id)
        .outerjoin(justification, true())
        .where(*where)
    )
    start, end = between
    if start is not None:
        statement = statement.where(AttendanceSheet.lesson_date >= start)
    if end is not None:
        statement = statement.where(AttendanceSheet.lesson_date <= end)
    if updated_since is None:
        return statement.where(AttendanceMark.status != AttendanceStatus.PRESENT)
    return statement.where(
        or_(
            AttendanceMark.updated_at >= updated_since,
            justification.c.updated_at >= updated_since,
        )
    )


def _absence(row: Row[Any]) -> ClientAbsence:
    return ClientAbsence.of(row, start_time=row.starts_at)


async def _deleted(
    session: AsyncSession,
    caller: ApiCaller,
    school_id: uuid.UUID | None,
    pupil_id: uuid.UUID | None,
    since: datetime,
) -> list[uuid.UUID]:
    """The marks deleted since then, of the school or the pupil asked for, in the unit."""
    schools = select(School.id).where(_in_unit(caller, School))
    if school_id is not None:
        schools = schools.where(School.id == school_id)
    within = [] if pupil_id is None else [Tombstone.pupil_id == pupil_id]
    statement = tombstones_since(Kind.ATTENDANCE, since, schools, *within)
    ids = await session.scalars(statement.with_only_columns(Tombstone.entity_id))
    return list(dict.fromkeys(ids))
