"""Attendance taken by teachers: one roll call per lesson, replaced as a whole."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Pupil, Subject
from app.academics.teaching import check_pupils_of_class, current_pupils, taught_class
from app.attendance.models import AttendanceMark, AttendanceSheet, AttendanceStatus
from app.attendance.schemas import AttendanceMarkOut, AttendanceOut, AttendanceTotals, RollCallIn
from app.core.bulk import upsert
from app.core.security.principal import Principal
from app.errors import InvalidInput, field_error
from app.family.models import GuardianLink
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.settings import get_settings


async def record_attendance(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, roll_call: RollCallIn
) -> AttendanceOut:
    """Replace a lesson's marks with these, all or nothing; replaying it changes nothing."""
    school_class = await taught_class(session, principal, class_id, roll_call.subject_id)
    _check_lesson_date(roll_call.date)
    enrolled = set((await session.scalars(current_pupils(class_id))).all())
    check_pupils_of_class(
        [m.pupil_id for m in roll_call.marks], enrolled, "body.marks.{index}.pupil_id"
    )

    sheet_id = await session.scalar(
        insert(AttendanceSheet)
        .values(
            id=uuid.uuid4(),
            **school_class.written_by(principal, roll_call.subject_id),
            lesson_date=roll_call.date,
            starts_at=roll_call.start_time,
        )
        # Setting a column to itself returns the existing row's id without changing it.
        .on_conflict_do_update(
            index_elements=[
                "school_id",
                "class_id",
                "lesson_date",
                "starts_at",
                "subject_id",
                "school_year",
            ],
            set_={"school_year": AttendanceSheet.school_year},
        )
        .returning(AttendanceSheet.id)
    )
    kept = [mark.pupil_id for mark in roll_call.marks]
    await session.execute(
        delete(AttendanceMark).where(
            AttendanceMark.school_id == school_class.school_id,
            AttendanceMark.sheet_id == sheet_id,
            AttendanceMark.pupil_id.not_in(kept),
        )
    )
    if roll_call.marks:
        rows = [
            {
                "id": uuid.uuid4(),
                "school_id": school_class.school_id,
                "school_year": school_class.school_year,
                "sheet_id": sheet_id,
                "pupil_id": mark.pupil_id,
                "status": mark.status,
                "minutes_late": mark.minutes_late,
                "note": mark.note,
            }
            for mark in roll_call.marks
        ]
        changed = await session.execute(
            upsert(
                AttendanceMark,
                rows,
                key=["school_id", "sheet_id", "pupil_id", "school_year"],
                update=["status", "minutes_late", "note"],
            ).returning(AttendanceMark.pupil_id, AttendanceMark.status)
        )
        # Only rows that changed come back, so a replayed roll call notifies nobody again.
        newly_absent = [p for p, status in changed if status is AttendanceStatus.ABSENT]
        await _tell_parents(session, newly_absent, roll_call)
    return _attendance_out(
        class_id,
        roll_call.subject_id,
        roll_call.date,
        roll_call.start_time,
        [AttendanceMarkOut.model_validate(m) for m in roll_call.marks],
        taken=True,
    )


async def read_attendance(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    subject_id: uuid.UUID,
    lesson_date: date,
    start_time: time,
) -> AttendanceOut:
    """A lesson's roll call as recorded (`taken` is false when none was)."""
    school_class = await taught_class(session, principal, class_id, subject_id)
    rows = (
        await session.execute(
            select(AttendanceSheet.updated_at, AttendanceMark)
            .outerjoin(
                AttendanceMark,
                (AttendanceMark.sheet_id == AttendanceSheet.id)
                & (AttendanceMark.school_id == AttendanceSheet.school_id)
                & (AttendanceMark.school_year == AttendanceSheet.school_year),
            )
            .where(
                # The class's year: one partition of sheets and of marks is read.
                AttendanceSheet.school_year == school_class.school_year,
                AttendanceSheet.school_id == school_class.school_id,
                AttendanceSheet.class_id == class_id,
                AttendanceSheet.subject_id == subject_id,
                AttendanceSheet.lesson_date == lesson_date,
                AttendanceSheet.starts_at == start_time,
            )
        )
    ).all()
    marks = [AttendanceMarkOut.model_validate(r.AttendanceMark) for r in rows if r.AttendanceMark]
    return _attendance_out(
        class_id,
        subject_id,
        lesson_date,
        start_time,
        marks,
        taken=bool(rows),
        updated_at=rows[0].updated_at if rows else None,
    )


def _check_lesson_date(lesson_date: date) -> None:
    today = school_today()
    window = get_settings().attendance_window_days
    if lesson_date > today:
        raise InvalidInput([field_error("body.date", "the lesson is in the future", "future_date")])
    if lesson_date < today - timedelta(days=window):
        raise InvalidInput(
            [field_error("body.date", f"older than {window} days: ask the school", "too_old")]
        )


def _attendance_out(
    class_id: uuid.UUID,
    subject_id: uuid.UUID,
    lesson_date: date,
    start_time: time,
    marks: list[AttendanceMarkOut],
    *,
    taken: bool,
    updated_at: datetime | None = None,
) -> AttendanceOut:
    counts = dict.fromkeys(AttendanceStatus, 0)
    for mark in marks:
        counts[mark.status] += 1
    return AttendanceOut(
        class_id=class_id,
        subject_id=subject_id,
        date=lesson_date,
        start_time=start_time,
        taken=taken,
        marks=marks,
        totals=AttendanceTotals(
            present=counts[AttendanceStatus.PRESENT],
            absent=counts[AttendanceStatus.ABSENT],
            late=counts[AttendanceStatus.LATE],
        ),
        updated_at=updated_at,
    )


async def _tell_parents(
    session: AsyncSession, pupil_ids: list[uuid.UUID], roll_call: RollCallIn
) -> None:
    """Notify the verified parents of each pupil just marked absent.

    One notification per absent pupil (its text names the child): a handful per lesson.
    """
    if not pupil_ids:
        return
    subject = await session.get_one(Subject, roll_call.subject_id)
    parents: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    names: dict[uuid.UUID, tuple[str, str]] = {}
    rows = await session.execute(
        select(Pupil.id, Pupil.first_name, Pupil.first_name_ar, GuardianLink.parent_id)
        .join(GuardianLink, GuardianLink.pupil_id == Pupil.id)
        .where(Pupil.id.in_(pupil_ids), GuardianLink.verified_at.is_not(None))
    )
    for pupil_id, first_name, first_name_ar, parent_id in rows:
        parents[pupil_id].append(parent_id)
        names[pupil_id] = (first_name, first_name_ar)
    when = f"{roll_call.date:%d/%m/%Y} {roll_call.start_time:%H:%M}"
    for pupil_id, parent_ids in parents.items():
        first_name, first_name_ar = names[pupil_id]
        texts = NotificationTexts(
            title_ar="تسجيل غياب",
            title_fr="Absence enregistrée",
            body_ar=f"سُجّل غياب {first_name_ar} عن حصة {subject.name_ar} ({when}).",
            body_fr=f"{first_name} a été noté(e) absent(e) en {subject.name_fr} ({when}).",
        )
        data = {"pupil_id": pupil_id, "date": roll_call.date, "subject_id": subject.id}
        await notify(session, parent_ids, NotificationCategory.ABSENCES, texts, data)
