"""The steering tests' world: the hand-counted schools, pupils, marks and roll calls that
`test_steering` describes, with their summaries built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Enrolment, Gender, Pupil, SchoolClass, Subject
from app.accounts.models import User
from app.assessment.models import TestKind, TestStatus
from app.attendance.models import (
    AttendanceMark,
    AttendanceSheet,
    AttendanceStatus,
    Justification,
    JustificationStatus,
)
from app.core.roles import Role
from app.organisation.models import Academy, Province, School
from app.steering import summaries
from tests.factories import (
    World,
    access_token,
    assign,
    create_class,
    create_pupil,
    create_test_with_marks,
    create_user,
    subject,
)

F, M = Gender.FEMALE, Gender.MALE
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT


@dataclass
class Steering:
    world: World
    classes: dict[str, SchoolClass]
    pupils: dict[str, list[Pupil]]
    units: dict[str, Any]

    def auth(self, who: str) -> dict[str, str]:
        return self.world.auth(who)


async def _pupils(
    session: AsyncSession, school_class: SchoolClass, genders: list[Gender]
) -> list[Pupil]:
    pupils = [await create_pupil(session, school_class) for _ in genders]
    for pupil, gender in zip(pupils, genders, strict=True):
        pupil.gender = gender
    await session.flush()
    return pupils


async def _roll_call(
    session: AsyncSession,
    school_class: SchoolClass,
    math: Subject,
    teacher: User,
    day: date,
    statuses: list[AttendanceStatus],
    pupils: list[Pupil],
) -> None:
    sheet = AttendanceSheet(
        school_id=school_class.school_id,
        school_year=school_class.school_year,
        class_id=school_class.id,
        subject_id=math.id,
        teacher_id=teacher.id,
        lesson_date=day,
        starts_at=datetime(2000, 1, 1, 8).time(),
    )
    session.add(sheet)
    await session.flush()
    session.add_all(
        AttendanceMark(
            school_id=sheet.school_id,
            school_year=sheet.school_year,
            sheet_id=sheet.id,
            pupil_id=pupil.id,
            status=status,
        )
        for pupil, status in zip(pupils, statuses, strict=True)
    )
    await session.flush()


def _justification(school: School, pupil: Pupil, parent: User, **fields: Any) -> Justification:
    return Justification(
        school_id=school.id, pupil_id=pupil.id, submitted_by=parent.id, reason="malade", **fields
    )


async def _teacher(session: AsyncSession, world: World, name: str, school: School) -> User:
    world.users[name] = teacher = await create_user(session, Role.TEACHER, school=school)
    return teacher


async def build_steering(session: AsyncSession, world: World) -> Steering:
    s = world.schools
    math = await subject(session, "MATH")
    today = school_today()
    classes = {
        "a1": await create_class(session, s["a1"]),
        "a1p": await create_class(session, s["a1"], level_code="1AP"),
        "a2": await create_class(session, s["a2"]),
        "b": await create_class(session, s["b"], level_code="TC"),
        "c": await create_class(session, s["c"]),
    }
    pupils = {
        "a1": await _pupils(session, classes["a1"], [F, F, M, M]),
        "a1p": await _pupils(session, classes["a1p"], [F, M]),
        "a2": await _pupils(session, classes["a2"], [F, F, F]),
        "b": await _pupils(session, classes["b"], [M, M]),
        "c": await _pupils(session, classes["c"], [F]),
    }
    # A pupil who left a1's class: in neither the pupils nor the marks expected.
    gone = await create_pupil(session, classes["a1"])
    enrolment = (
        await session.execute(select(Enrolment).where(Enrolment.pupil_id == gone.id))
    ).scalar_one()
    enrolment.left_on = enrolment.enrolled_on + timedelta(days=10)
    disabled = await create_user(session, Role.TEACHER, school=s["a1"], is_active=False)
    teachers = {
        "a1": world.users["teacher"],
        "a1p": world.users["teacher"],
        "a2": await _teacher(session, world, "t_a2", s["a2"]),
        "b": await _teacher(session, world, "t_b", s["b"]),
        "c": await _teacher(session, world, "t_c", s["c"]),
    }
    assert disabled.is_active is False
    for name, school_class in classes.items():
        await assign(session, teachers[name], school_class, math)

    async def marks(name: str, values: list[Any], status: TestStatus, **kw: Any) -> Any:
        group = pupils[name][: len(values)]
        return await create_test_with_marks(
            session,
            classes[name],
            math,
            teachers[name],
            dict(zip(group, values, strict=True)),
            status=status,
            **kw,
        )

    published = TestStatus.PUBLISHED
    await marks("a1", [10, 12, 14, "absent"], published)
    await marks("a1", [12, 14, 16, 8], published, kind=TestKind.TEST_2)
    late = await marks("a1p", [Decimal("5.75")], TestStatus.DRAFT)  # primary: out of 10
    late.test_date = today - timedelta(days=20)
    await marks("a2", [9, 10, 11], TestStatus.SUBMITTED)
    fresh = await marks("a2", [], TestStatus.DRAFT, kind=TestKind.TEST_2)
    fresh.test_date = today
    await marks("b", [15, Decimal("16.5")], TestStatus.VALIDATED)
    await marks("b", [20, 5], published, kind=TestKind.TEST_2)
    await marks("c", [18], published)

    yesterday = today - timedelta(days=1)
    for name, day, statuses in (
        ("a1", yesterday, [P, P, L, A]),
        ("a2", today - timedelta(days=2), [P, A, A]),
        ("b", today - timedelta(days=3), [P, P]),
        ("c", yesterday, [L]),
        ("a1", today - timedelta(days=40), [A, A, A, A]),
    ):
        await _roll_call(session, classes[name], math, teachers[name], day, statuses, pupils[name])

    parent = world.users["parent"]
    session.add_all(
        [
            _justification(s["a1"], pupils["a1"][0], parent),
            _justification(s["a1"], pupils["a1"][1], parent),
            _justification(
                s["a1"],
                pupils["a1"][2],
                parent,
                status=JustificationStatus.ACCEPTED,
                decided_by=world.users["school_staff"].id,
                decided_at=datetime.now(UTC),
            ),
            _justification(s["b"], pupils["b"][0], parent),
            _justification(s["c"], pupils["c"][0], parent),
        ]
    )
    await session.flush()
    for name in ("t_a2", "t_b", "t_c"):
        world.tokens[name] = await access_token(session, world.users[name])
    provinces = {
        p.code: p.id
        for p in (
            await session.execute(
                select(Province).where(Province.code.in_(["RSK-RABAT", "RSK-SALE", "CS-ANFA"]))
            )
        ).scalars()
    }
    academies = {
        a.code: a.id
        for a in (
            await session.execute(select(Academy).where(Academy.code.in_(["RSK", "CS"])))
        ).scalars()
    }
    units: dict[str, Any] = {name: school.id for name, school in s.items()}
    units |= provinces | academies
    await session.commit()
    await summaries.refresh_queued(session, batch=10_000)
    await session.commit()
    return Steering(world=world, classes=classes, pupils=pupils, units=units)
