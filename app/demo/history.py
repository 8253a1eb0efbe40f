"""Demo of last year: the 1AC pupils were in 6AP at École Al Wahda and sat its local exam,
whose results are published; this year's regional exam session is announced, unpublished."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil, SchoolClass, Subject
from app.accounts.models import User
from app.assessment.averages import subject_average
from app.demo.acts import enrolments
from app.exams.models import (
    ExamDecision,
    ExamKind,
    ExamResult,
    ExamSession,
    ExamState,
    ExamSubjectResult,
)
from app.exams.sessions import announce_published_exams
from app.organisation.models import School

PRIMARY_SCHOOL = "25101C"
EXAM_SUBJECTS = ("AR", "FR", "MATH", "EI", "ACTSC")


async def seed_past_year(
    session: AsyncSession,
    rng: random.Random,
    pupils: dict[str, list[Pupil]],
    accounts: dict[str, User],
    year: int,
) -> None:
    """Last year's 6AP class, its published exam, and an announced exam for this year."""
    school = (
        await session.execute(select(School).where(School.code == PRIMARY_SCHOOL))
    ).scalar_one()
    subjects = list(await session.scalars(select(Subject).where(Subject.code.in_(EXAM_SUBJECTS))))
    last_year = year - 1
    sixth = SchoolClass(school_id=school.id, school_year=last_year, level_code="6AP", name="6AP-2")
    session.add(sixth)
    await session.flush()
    former = [p for group in pupils.values() for p in group[:12]]
    session.add_all(enrolments(former, sixth, left_on=date(year, 6, 30)))
    exam = ExamSession(
        kind=ExamKind.LOCAL,
        school_year=last_year,
        level_code="6AP",
        school_id=school.id,
        name_fr="Examen normalisé local du cycle primaire",
        name_ar="الامتحان الموحد المحلي للسلك الابتدائي",
        publish_at=datetime(year, 6, 20, 9, tzinfo=UTC),
        state=ExamState.PUBLISHED,
    )
    session.add(exam)
    await session.flush()
    for pupil in former:
        await _exam_result(session, rng, exam, school, pupil, subjects)
    await session.flush()
    # Its hour has passed: published as the worker publishes it (documents rendered, families told).
    await announce_published_exams(session)
    # Announced for this June: results exist only once the exam is sat; nothing to show yet.
    session.add(
        ExamSession(
            kind=ExamKind.REGIONAL,
            school_year=year,
            level_code="3AC",
            academy_id=school.academy_id,
            name_fr="Examen régional normalisé du cycle collégial",
            name_ar="الامتحان الجهوي الموحد للسلك الإعدادي",
            publish_at=datetime.now(UTC) + timedelta(days=200),
        )
    )
    await session.flush()


async def _exam_result(
    session: AsyncSession,
    rng: random.Random,
    exam: ExamSession,
    school: School,
    pupil: Pupil,
    subjects: list[Subject],
) -> None:
    marks = [Decimal(rng.randrange(28, 78)) / 4 for _ in subjects]
    average = subject_average(list(marks))
    result = ExamResult(
        school_id=school.id,
        school_year=exam.school_year,
        session_id=exam.id,
        pupil_id=pupil.id,
        average=average,
        decision=ExamDecision.ADMITTED if average and average >= 10 else ExamDecision.NOT_ADMITTED,
    )
    session.add(result)
    await session.flush()
    session.add_all(
        ExamSubjectResult(
            school_id=school.id,
            school_year=exam.school_year,
            result_id=result.id,
            subject_id=s.id,
            mark=m,
        )
        for s, m in zip(subjects, marks, strict=True)
    )
