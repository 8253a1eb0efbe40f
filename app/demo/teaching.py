"""Demo school life for school A: two 1AC classes, their teachers, a week's timetable, tests
with marks (one submitted), absences and lesson-log entries.

Structure rows are inserted directly (the school-administration services come later); every
teacher action goes through the same services as the teacher app, so the demo obeys its rules.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics import lessons, transfers
from app.academics.calendar import school_today
from app.academics.models import (
    CurriculumUnit,
    Gender,
    Pupil,
    SchoolClass,
    Subject,
    TeacherProfile,
    TeachingAssignment,
    TimetableSlot,
)
from app.academics.schemas import HomeworkIn, LessonIn, TransferIn
from app.accounts.models import User
from app.assessment import marks as assessment
from app.assessment import validation as marks_workflow
from app.assessment.models import ClassTest, TestKind, TestStatus
from app.assessment.schemas import MarkIn
from app.attendance import roll_calls as attendance
from app.attendance.models import AttendanceStatus
from app.attendance.schemas import AttendanceMarkIn, RollCallIn
from app.core.security.principal import Principal
from app.demo.acts import enrolments, marked_test, semester_of
from app.demo.calendar import open_demo_years
from app.demo.family import seed_family
from app.demo.history import seed_past_year
from app.demo.names import BIRTH_PLACES, FAMILY_NAMES, FIRST_NAMES_FEMALE, FIRST_NAMES_MALE
from app.family.models import GuardianLink, Kinship
from app.organisation.models import School

CLASS_SIZES = {"1AC-1": 30, "1AC-2": 29}
DEMO_PUPIL_CODE = "D130000001"
# The demo parent's second child, in the other class.
SIBLING_CODE = "D130000031"
# A collège of the other directorate, asked to take one 1AC pupil.
TRANSFER_TO = "25102D"
# (class, subject, weekday, start, end, room); teachers follow from the subject.
WEEK = (
    ("1AC-1", "MATH", 1, time(8, 30), time(10, 30), "Salle 12"),
    ("1AC-1", "MATH", 4, time(10, 30), time(12, 30), "Salle 12"),
    ("1AC-2", "MATH", 2, time(8, 30), time(10, 30), "Salle 12"),
    ("1AC-2", "MATH", 5, time(10, 30), time(12, 30), "Salle 12"),
    ("1AC-1", "FR", 2, time(10, 30), time(12, 30), "Salle 7"),
    ("1AC-1", "FR", 5, time(8, 30), time(10, 30), "Salle 7"),
    ("1AC-2", "FR", 1, time(10, 30), time(12, 30), "Salle 7"),
    ("1AC-2", "FR", 4, time(8, 30), time(10, 30), "Salle 7"),
)


async def seed_teaching(session: AsyncSession, accounts: dict[str, User]) -> None:
    """School A's classes, pupils, teachers and a few weeks of their work."""
    rng = random.Random(2026)  # noqa: S311  (the same demo on every machine; not a secret)
    today = school_today()
    school = (
        await session.execute(
            select(School).where(School.id == accounts["teacher.demo@taalim.ma"].school_id)
        )
    ).scalar_one()
    year = await open_demo_years(session, school.academy_id, today)
    subjects = {
        s.code: s
        for s in await session.scalars(select(Subject).where(Subject.code.in_(["MATH", "FR"])))
    }
    teachers = {
        "MATH": accounts["teacher.demo@taalim.ma"],
        "FR": accounts["teacher2.demo@taalim.ma"],
    }
    classes = {
        name: SchoolClass(school_id=school.id, school_year=year, level_code="1AC", name=name)
        for name in CLASS_SIZES
    }
    session.add_all(classes.values())
    await session.flush()
    pupils = await _enrol_pupils(
        session, rng, school, classes, accounts["d130000001@taalim.ma"], year
    )
    _link_demo_parent(session, accounts["parent.demo@taalim.ma"], pupils)
    _staff_the_classes(session, school, classes, subjects, teachers, year)
    await session.flush()
    for code, teacher in teachers.items():
        principal = Principal.acting_as(teacher)
        await _teacher_work(session, rng, principal, classes, subjects[code], pupils, today)
    await _publish_first_tests(
        session, accounts["director.demo@taalim.ma"], classes, classes["1AC-2"], subjects["FR"]
    )
    await _second_semester_drafts(
        session, rng, teachers["MATH"], classes["1AC-1"], subjects["MATH"], pupils["1AC-1"], year
    )
    await seed_past_year(session, rng, pupils, accounts, year)
    await seed_family(session, accounts)
    await _every_status_and_a_transfer(session, rng, accounts, classes, subjects, pupils)


def _link_demo_parent(session: AsyncSession, parent: User, pupils: dict[str, list[Pupil]]) -> None:
    """Two children in different classes: D130000001 in 1AC-1 and D130000031 in 1AC-2."""
    children = [
        p
        for group in pupils.values()
        for p in group
        if p.massar_code in (DEMO_PUPIL_CODE, SIBLING_CODE)
    ]
    session.add_all(
        GuardianLink.verified(parent.id, child.id, Kinship.FATHER) for child in children
    )


async def _enrol_pupils(
    session: AsyncSession,
    rng: random.Random,
    school: School,
    classes: dict[str, SchoolClass],
    demo_pupil_account: User,
    year: int,
) -> dict[str, list[Pupil]]:
    pupils: dict[str, list[Pupil]] = {}
    number = 1
    for name, size in CLASS_SIZES.items():
        pupils[name] = []
        for _ in range(size):
            pupil = random_pupil(rng, school.id, f"D13{number:07d}", 2013)
            if pupil.massar_code == DEMO_PUPIL_CODE:
                # The demo pupil's account and its names.
                pupil.user_id = demo_pupil_account.id
                pupil.first_name, pupil.first_name_ar = "Salma", "سلمى"
                pupil.last_name, pupil.last_name_ar = "Berrada", "برادة"
                pupil.gender = Gender.FEMALE
            elif pupil.massar_code == SIBLING_CODE:
                pupil.first_name, pupil.first_name_ar = "Youssef", "يوسف"
                pupil.last_name, pupil.last_name_ar = "Berrada", "برادة"
                pupil.gender = Gender.MALE
            pupils[name].append(pupil)
            number += 1
    session.add_all(p for group in pupils.values() for p in group)
    await session.flush()
    session.add_all(e for name, group in pupils.items() for e in enrolments(group, classes[name]))
    await session.flush()
    return pupils


def random_pupil(
    rng: random.Random, school_id: uuid.UUID, massar_code: str, birth_year: int
) -> Pupil:
    """A fictitious pupil: names, town and birthday drawn from Moroccan lists."""
    gender = rng.choice([Gender.FEMALE, Gender.MALE])
    first = rng.choice(FIRST_NAMES_FEMALE if gender is Gender.FEMALE else FIRST_NAMES_MALE)
    family = rng.choice(FAMILY_NAMES)
    place = rng.choice(BIRTH_PLACES)
    return Pupil(
        massar_code=massar_code,
        school_id=school_id,
        first_name=first[0],
        first_name_ar=first[1],
        last_name=family[0],
        last_name_ar=family[1],
        birth_date=date(birth_year, 1, 1) + timedelta(days=rng.randrange(365)),
        birth_place=place[0],
        birth_place_ar=place[1],
        gender=gender,
    )


def _staff_the_classes(
    session: AsyncSession,
    school: School,
    classes: dict[str, SchoolClass],
    subjects: dict[str, Subject],
    teachers: dict[str, User],
    year: int,
) -> None:
    for number, (code, teacher) in enumerate(teachers.items(), start=1):
        session.add(
            TeacherProfile(
                user_id=teacher.id,
                school_id=school.id,
                ppr=f"{1_234_560 + number}",
                rank="Professeur de l'enseignement secondaire collégial, 1er grade",
                specialty_subject_id=subjects[code].id,
                hired_on=date(2015, 9, 1),
            )
        )
        session.add_all(
            TeachingAssignment(
                school_id=school.id,
                school_year=year,
                teacher_id=teacher.id,
                class_id=c.id,
                subject_id=subjects[code].id,
            )
            for c in classes.values()
        )
    session.add_all(
        TimetableSlot(
            school_id=school.id,
            school_year=year,
            class_id=classes[class_name].id,
            subject_id=subjects[code].id,
            teacher_id=teachers[code].id,
            weekday=weekday,
            starts_at=start,
            ends_at=end,
            room=room,
        )
        for class_name, code, weekday, start, end, room in WEEK
    )


async def _teacher_work(
    session: AsyncSession,
    rng: random.Random,
    principal: Principal,
    classes: dict[str, SchoolClass],
    subject: Subject,
    pupils: dict[str, list[Pupil]],
    today: date,
) -> None:
    """Tests and marks, two roll calls and three lesson-log entries per class."""
    semester = await semester_of(session, today)
    tests = (
        (TestKind.TEST_1, semester, today - timedelta(days=12), "Contrôle 1"),
        (TestKind.TEST_2, semester, today - timedelta(days=2), "Contrôle 2"),
    )
    for name, school_class in classes.items():
        group = pupils[name]
        marks = [_demo_mark(rng, p.id, absent=i == 3) for i, p in enumerate(group)]
        first = await marked_test(session, principal, school_class, subject, tests[0], marks)
        await assessment.submit_test(session, principal, first.id)
        marks = [_demo_mark(rng, p.id) for p in group[:20]]
        await marked_test(session, principal, school_class, subject, tests[1], marks)
        for days_ago in (1, 3):
            await attendance.record_attendance(
                session,
                principal,
                school_class.id,
                _roll_call(rng, subject, group, today - timedelta(days=days_ago)),
            )
        await _log_lessons(session, principal, school_class, subject, today)


def _demo_mark(rng: random.Random, pupil_id: uuid.UUID, *, absent: bool = False) -> MarkIn:
    if absent:
        return MarkIn(pupil_id=pupil_id, absent=True)
    mark = Decimal(rng.randrange(24, 80)) / 4  # 6.00 to 19.75 by quarter points
    return MarkIn(pupil_id=pupil_id, mark=mark, remark="Très bien" if mark >= 16 else None)


def _roll_call(rng: random.Random, subject: Subject, group: list[Pupil], day: date) -> RollCallIn:
    absent = set(rng.sample(range(len(group)), 2))
    late = rng.choice([i for i in range(len(group)) if i not in absent])
    return RollCallIn(
        date=day,
        start_time=time(8, 30),
        subject_id=subject.id,
        marks=[
            AttendanceMarkIn(
                pupil_id=p.id,
                status=AttendanceStatus.ABSENT
                if i in absent
                else AttendanceStatus.LATE
                if i == late
                else AttendanceStatus.PRESENT,
                minutes_late=10 if i == late else None,
            )
            for i, p in enumerate(group)
        ],
    )


async def _log_lessons(
    session: AsyncSession,
    principal: Principal,
    school_class: SchoolClass,
    subject: Subject,
    today: date,
) -> None:
    units = list(
        await session.scalars(
            select(CurriculumUnit)
            .where(
                CurriculumUnit.level_code == school_class.level_code,
                CurriculumUnit.subject_id == subject.id,
            )
            .order_by(CurriculumUnit.rank)
            .limit(2)
        )
    )
    for days_ago, unit in zip((8, 5, 1), [units[0], units[0], units[-1]], strict=False):
        day = today - timedelta(days=days_ago)
        await lessons.log_lesson(
            session,
            principal,
            school_class.id,
            LessonIn(
                subject_id=subject.id,
                date=day,
                title=unit.title_fr,
                content=f"Séance consacrée à : {unit.title_fr}.",
                unit_id=unit.id,
                homework=HomeworkIn(
                    text="Exercices du manuel, page 24", due_date=day + timedelta(days=3)
                ),
            ),
        )


async def _publish_first_tests(
    session: AsyncSession,
    director: User,
    classes: dict[str, SchoolClass],
    held_class: SchoolClass,
    held_subject: Subject,
) -> None:
    """The director validates every first test but one (French in 1AC-2 still waits, submitted)
    and publishes semester 1 of both classes, through the school's own workflow."""
    principal = Principal.acting_as(director)
    submitted = await session.scalars(
        select(ClassTest.id).where(
            ClassTest.kind == TestKind.TEST_1,
            ClassTest.status == TestStatus.SUBMITTED,
            ~((ClassTest.class_id == held_class.id) & (ClassTest.subject_id == held_subject.id)),
        )
    )
    for test_id in submitted.all():
        await marks_workflow.validate_test(session, principal, test_id)
    for school_class in classes.values():
        await marks_workflow.publish_class(session, principal, school_class.id, 1)


async def _second_semester_drafts(
    session: AsyncSession,
    rng: random.Random,
    teacher: User,
    school_class: SchoolClass,
    subject: Subject,
    group: list[Pupil],
    year: int,
) -> None:
    """A second-semester test already marked in draft: invisible to pupils and parents."""
    test = (TestKind.TEST_1, 2, date(year + 1, 2, 9), "Contrôle 1 (S2)")
    marks = [_demo_mark(rng, p.id) for p in group[:15]]
    await marked_test(session, Principal.acting_as(teacher), school_class, subject, test, marks)


async def _every_status_and_a_transfer(
    session: AsyncSession,
    rng: random.Random,
    accounts: dict[str, User],
    classes: dict[str, SchoolClass],
    subjects: dict[str, Subject],
    pupils: dict[str, list[Pupil]],
) -> None:
    """Leave a test at each status for the director's screens, and one pending transfer.

    Published: the first tests. Validated, not yet published: French in 1AC-2. Submitted: the
    second French test of 1AC-1. Draft: the second maths tests and the semester-2 test.
    """
    director = Principal.acting_as(accounts["director.demo@taalim.ma"])
    teacher = Principal.acting_as(accounts["teacher2.demo@taalim.ma"])

    async def test_id(class_name: str, kind: TestKind) -> uuid.UUID:
        found = await session.scalar(
            select(ClassTest.id).where(
                ClassTest.class_id == classes[class_name].id,
                ClassTest.subject_id == subjects["FR"].id,
                ClassTest.kind == kind,
                ClassTest.semester == 1,
            )
        )
        assert found is not None
        return found

    await marks_workflow.validate_test(session, director, await test_id("1AC-2", TestKind.TEST_1))
    second = await test_id("1AC-1", TestKind.TEST_2)
    rest = [_demo_mark(rng, p.id) for p in pupils["1AC-1"][20:]]
    await assessment.save_marks(session, teacher, second, rest)
    await assessment.submit_test(session, teacher, second)
    leaving = pupils["1AC-2"][-1]
    await transfers.request_transfer(
        session,
        director,
        TransferIn(
            pupil_id=leaving.id, to_school_code=TRANSFER_TO, reason="Déménagement de la famille"
        ),
    )
