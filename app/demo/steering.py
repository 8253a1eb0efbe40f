"""Demo data of École Al Wahda (25101C, directorate of Salé), so that the steering figures of
the two directorates differ: two primary classes with their teacher, published marks, a late
draft, roll calls and a pending justification. Written through the services the apps use."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year, school_today
from app.academics.models import Pupil, SchoolClass, Subject, TeachingAssignment
from app.accounts.models import User
from app.accounts.users import NewAccount, create_account
from app.assessment import marks as assessment
from app.assessment import validation as marks_workflow
from app.assessment.models import TestKind
from app.assessment.schemas import MarkIn
from app.attendance import roll_calls as attendance
from app.attendance.models import AttendanceStatus, Justification
from app.attendance.schemas import AttendanceMarkIn, RollCallIn
from app.core.pagination import PageRequest
from app.core.roles import Role
from app.core.security.principal import Principal
from app.demo.acts import enrolments, marked_test, semester_of
from app.demo.teaching import random_pupil

SCHOOL_CODE = "25101C"
TEACHER = "teacher.wahda@taalim.ma"
DIRECTOR = "director.other@taalim.ma"
CLASS_SIZES = {"2AP-1": ("2AP", 14), "4AP-1": ("4AP", 12)}


async def seed_steering(session: AsyncSession, accounts: dict[str, User], password: str) -> None:
    """Al Wahda's classes, pupils, teacher, marks and roll calls."""
    rng = random.Random(25101)  # noqa: S311  (the same demo on every machine; not a secret)
    year = await current_school_year(session)
    teacher = await create_account(
        session,
        NewAccount(TEACHER, password, Role.TEACHER, "Hind", "Tazi", school_code=SCHOOL_CODE),
    )
    math = await session.scalar(select(Subject).where(Subject.code == "MATH"))
    assert math is not None  # reference data, loaded by a migration
    classes = {
        name: SchoolClass(
            school_id=teacher.school_id, school_year=year, level_code=level, name=name
        )
        for name, (level, _) in CLASS_SIZES.items()
    }
    session.add_all(classes.values())
    await session.flush()
    pupils = {name: await _enrol(session, rng, classes[name], year) for name in classes}
    session.add_all(
        TeachingAssignment(
            school_id=c.school_id,
            school_year=year,
            teacher_id=teacher.id,
            class_id=c.id,
            subject_id=math.id,
        )
        for c in classes.values()
    )
    await session.flush()
    await _teacher_work(session, rng, Principal.acting_as(teacher), classes, pupils, math)
    await _publish(session, Principal.acting_as(accounts[DIRECTOR]), classes["2AP-1"])
    await _pending_justification(session, accounts, pupils["4AP-1"][0])


async def _enrol(
    session: AsyncSession, rng: random.Random, school_class: SchoolClass, year: int
) -> list[Pupil]:
    _, size = CLASS_SIZES[school_class.name]
    offset = 1 if school_class.name == "2AP-1" else 101
    pupils = [
        random_pupil(rng, school_class.school_id, f"S13{offset + i:07d}", 2017) for i in range(size)
    ]
    session.add_all(pupils)
    await session.flush()
    session.add_all(enrolments(pupils, school_class))
    await session.flush()
    return pupils


async def _teacher_work(
    session: AsyncSession,
    rng: random.Random,
    teacher: Principal,
    classes: dict[str, SchoolClass],
    pupils: dict[str, list[Pupil]],
    math: Subject,
) -> None:
    """2AP-1: a submitted test (published below); 4AP-1: a draft 15 days old, half marked,
    which makes the teacher late. Three roll calls per class."""
    today = school_today()
    first = (
        TestKind.TEST_1,
        await semester_of(session, today),
        today - timedelta(days=15),
        "Contrôle 1",
    )
    for name, school_class in classes.items():
        group = pupils[name]
        marked = group if name == "2AP-1" else group[: len(group) // 2]
        marks = [_mark(rng, p) for p in marked]
        test = await marked_test(session, teacher, school_class, math, first, marks)
        if name == "2AP-1":
            await assessment.submit_test(session, teacher, test.id)
        for days_ago in (1, 2, 3):
            roll_call = _roll_call(rng, math, group, today - timedelta(days=days_ago))
            await attendance.record_attendance(session, teacher, school_class.id, roll_call)


def _mark(rng: random.Random, pupil: Pupil) -> MarkIn:
    # Primary marks out of 10 (5.00 to 9.75), a little higher than the collège's in
    # proportion, so the averages differ by unit.
    return MarkIn(pupil_id=pupil.id, mark=Decimal(rng.randrange(20, 40)) / 4)


def _roll_call(rng: random.Random, subject: Subject, group: list[Pupil], day: date) -> RollCallIn:
    absent = rng.randrange(len(group))
    return RollCallIn(
        date=day,
        start_time=time(9, 0),
        subject_id=subject.id,
        marks=[
            AttendanceMarkIn(
                pupil_id=p.id,
                status=AttendanceStatus.ABSENT if i == absent else AttendanceStatus.PRESENT,
            )
            for i, p in enumerate(group)
        ],
    )


async def _publish(session: AsyncSession, director: Principal, school_class: SchoolClass) -> None:
    tests = await marks_workflow.list_tests(
        session, director, PageRequest(), status=None, class_id=school_class.id
    )
    for test in tests.items:
        await marks_workflow.validate_test(session, director, test.id)
    semester = tests.items[0].semester
    await marks_workflow.publish_class(session, director, school_class.id, semester)


async def _pending_justification(
    session: AsyncSession, accounts: dict[str, User], pupil: Pupil
) -> None:
    # Submitted on paper at the school office: the director records it, still to be decided.
    session.add(
        Justification(
            school_id=pupil.school_id,
            pupil_id=pupil.id,
            submitted_by=accounts[DIRECTOR].id,
            reason="Rendez-vous médical",
        )
    )
    await session.flush()
