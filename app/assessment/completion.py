"""Grade-entry completion: how many marks each test expects, how many are entered, and how far
they went in the workflow. The school's grade-entry screen and the steering completion figure
both aggregate the per-test rows built here, so the rule lives in one place.

Rules:
- expected = pupils currently in the class (enrolment of this year, not left) × tests scheduled;
- entered = marks (a value or an absence) of those current pupils; a pupil who left is counted
  neither in expected nor in entered;
- submitted / validated / published are cumulative: a validated test's marks were submitted too;
- a test is late when it is still a draft more than `grade_entry_late_days` after its date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year, school_today
from app.academics.models import Enrolment, SchoolClass, Subject
from app.accounts.models import User
from app.assessment.models import ClassTest, Mark, TestStatus
from app.assessment.schemas import Completion, GradeEntryOut, GradeEntryRow
from app.core.security.principal import Principal
from app.organisation.scopes import school_scope
from app.settings import get_settings

# Narrows rows to some schools, given the column that holds a row's school.
SchoolFilter = Callable[[Any], ColumnElement[bool]]

_SUBMITTED = (TestStatus.SUBMITTED, TestStatus.VALIDATED, TestStatus.PUBLISHED)
_VALIDATED = (TestStatus.VALIDATED, TestStatus.PUBLISHED)


def late_cutoff(today: date | None = None) -> date:
    """Draft tests dated before this day are late."""
    days = get_settings().grade_entry_late_days
    return (today or school_today()) - timedelta(days=days)


def per_test_completion(schools: SchoolFilter) -> Subquery:
    """One row per test of this year in the schools: its place, status, expected and entered."""
    current = and_(Enrolment.left_on.is_(None), Enrolment.school_year == current_year())
    pupils = (
        select(Enrolment.class_id, func.count().label("pupils"))
        .where(current, schools(Enrolment.school_id))
        .group_by(Enrolment.class_id)
        .subquery("class_pupils")
    )
    marks = (
        select(Mark.test_id, func.count().label("entered"))
        .join(ClassTest, and_(ClassTest.id == Mark.test_id, ClassTest.school_id == Mark.school_id))
        # Only the marks of pupils still in the class count: the same people as `expected`.
        .join(
            Enrolment,
            and_(
                Enrolment.pupil_id == Mark.pupil_id,
                Enrolment.class_id == ClassTest.class_id,
                # Implied by the class (same school), but it lets the enrolments be read
                # through the school's index rather than all of them.
                Enrolment.school_id == Mark.school_id,
                current,
            ),
        )
        .where(Mark.school_year == current_year(), schools(Mark.school_id))
        .where((Mark.mark.is_not(None)) | Mark.absent)
        .group_by(Mark.test_id)
        .subquery("test_marks")
    )
    return (
        select(
            ClassTest.id,
            ClassTest.school_id,
            ClassTest.class_id,
            ClassTest.subject_id,
            ClassTest.semester,
            ClassTest.teacher_id,
            ClassTest.status,
            ClassTest.test_date,
            func.coalesce(pupils.c.pupils, 0).label("expected"),
            func.coalesce(marks.c.entered, 0).label("entered"),
        )
        .outerjoin(pupils, pupils.c.class_id == ClassTest.class_id)
        .outerjoin(marks, marks.c.test_id == ClassTest.id)
        .where(ClassTest.school_year == current_year(), schools(ClassTest.school_id))
        .subquery("test_completion")
    )


def completion_columns(tests: Subquery, cutoff: date) -> list[Any]:
    """The aggregates of a group of per-test rows, named like `Completion`'s fields."""
    entered = tests.c.entered
    late = and_(tests.c.status == TestStatus.DRAFT, tests.c.test_date < cutoff)
    return [
        func.count(tests.c.id).label("tests"),
        func.coalesce(func.sum(tests.c.expected), 0).label("expected"),
        func.coalesce(func.sum(entered), 0).label("entered"),
        func.coalesce(func.sum(entered).filter(tests.c.status.in_(_SUBMITTED)), 0).label(
            "submitted"
        ),
        func.coalesce(func.sum(entered).filter(tests.c.status.in_(_VALIDATED)), 0).label(
            "validated"
        ),
        func.coalesce(func.sum(entered).filter(tests.c.status == TestStatus.PUBLISHED), 0).label(
            "published"
        ),
        func.count(tests.c.id).filter(late).label("late_tests"),
        func.min(tests.c.test_date).filter(late).label("oldest_late_test"),
    ]


def completion_of(row: Any) -> Completion:
    """A `Completion` from a row holding `completion_columns`."""
    return Completion.of(row)


async def school_grade_entry(session: AsyncSession, principal: Principal) -> GradeEntryOut:
    """Completion for each class × subject × semester (and teacher) of the caller's school."""
    tests = per_test_completion(lambda column: school_scope(principal, column))
    cutoff = late_cutoff()
    statement = (
        select(
            tests.c.class_id,
            SchoolClass.name.label("class_name"),
            SchoolClass.level_code,
            tests.c.subject_id,
            Subject.code.label("subject_code"),
            Subject.name_fr.label("subject_name_fr"),
            tests.c.semester,
            tests.c.teacher_id,
            User.first_name,
            User.last_name,
            *completion_columns(tests, cutoff),
        )
        .join(SchoolClass, SchoolClass.id == tests.c.class_id)
        .join(Subject, Subject.id == tests.c.subject_id)
        .join(User, User.id == tests.c.teacher_id)
        .group_by(
            tests.c.class_id,
            SchoolClass.name,
            SchoolClass.level_code,
            tests.c.subject_id,
            Subject.code,
            Subject.name_fr,
            tests.c.semester,
            tests.c.teacher_id,
            User.first_name,
            User.last_name,
        )
        .order_by(SchoolClass.name, Subject.code, tests.c.semester)
    )
    rows = [_grade_entry_row(row) for row in await session.execute(statement)]
    return GradeEntryOut(
        late_after_days=get_settings().grade_entry_late_days,
        late_before=cutoff,
        total=sum_completion([r.completion for r in rows]),
        items=rows,
    )


def _grade_entry_row(row: Any) -> GradeEntryRow:
    return GradeEntryRow.of(
        row,
        teacher_name=f"{row.first_name} {row.last_name}",
        teacher_late=row.late_tests > 0,
        completion=completion_of(row),
    )


def sum_completion(parts: list[Completion]) -> Completion:
    """The completion of several groups (screen rows, schools): a sum over groups, not pupils."""
    return Completion(**{f: sum(getattr(p, f) for p in parts) for f in Completion.model_fields})
