"""What the demo's people do through the services the apps call (acting as their accounts,
`Principal.acting_as`): a teacher's marked test, a class's enrolment. The demo then obeys the
same rules as the apps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year, semester_on
from app.academics.models import Enrolment, Pupil, SchoolClass, Subject
from app.assessment import marks as assessment
from app.assessment.models import TestKind
from app.assessment.schemas import MarkIn, TestIn, TestOut
from app.core.security.principal import Principal
from app.demo.calendar import first_day


async def semester_of(session: AsyncSession, day: date) -> int:
    """The semester of the current year under way on a school day, as the calendar has it."""
    return await semester_on(session, await current_school_year(session), day)


async def marked_test(
    session: AsyncSession,
    teacher: Principal,
    school_class: SchoolClass,
    subject: Subject,
    test: tuple[TestKind, int, date, str],
    marks: Sequence[MarkIn],
) -> TestOut:
    """A test the teacher schedules, `(kind, semester, date, title)`, then marks."""
    kind, semester, day, title = test
    new = TestIn(subject_id=subject.id, semester=semester, kind=kind, date=day, title=title)
    created = await assessment.create_test(session, teacher, school_class.id, new)
    await assessment.save_marks(session, teacher, created.id, marks)
    return created


def enrolments(
    pupils: Iterable[Pupil], school_class: SchoolClass, left_on: date | None = None
) -> list[Enrolment]:
    """The pupils in the class from the first day of its year (until `left_on`)."""
    start = first_day(school_class.school_year)
    return [
        Enrolment(
            pupil_id=p.id,
            class_id=school_class.id,
            school_id=school_class.school_id,
            school_year=school_class.school_year,
            enrolled_on=start,
            left_on=left_on,
        )
        for p in pupils
    ]
