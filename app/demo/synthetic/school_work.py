"""The rows of a semester's work: tests and their marks, weeks of roll calls, and the exam
sessions with their results, as they stand on results day."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from app.assessment.models import TestKind, TestStatus
from app.attendance.models import AttendanceStatus
from app.demo.calendar import first_day
from app.demo.synthetic.copying import Row
from app.demo.synthetic.ids import IdOf, id_space, stream
from app.demo.synthetic.people import People
from app.demo.synthetic.shape import ClassPlan
from app.exams.models import ExamDecision, ExamKind

TESTS = (TestKind.TEST_1, TestKind.TEST_2, TestKind.TEST_3, TestKind.TEST_4)
# How far the director's workflow has gone, test by test: the first tests are out, the last
# one is still the teacher's draft (marks entered, not yet submitted).
STATUS_WEIGHTS = (
    ((TestStatus.PUBLISHED, 1.0),),
    ((TestStatus.PUBLISHED, 0.85), (TestStatus.VALIDATED, 0.15)),
    ((TestStatus.PUBLISHED, 0.4), (TestStatus.SUBMITTED, 0.3), (TestStatus.DRAFT, 0.3)),
    ((TestStatus.DRAFT, 1.0),),
)
ABSENT_FROM_TEST = 0.02
# A roll call per two-hour block: mornings, Monday to Saturday.
WEEK = tuple((weekday, start) for weekday in range(1, 7) for start in (time(8, 30), time(10, 30)))
ABSENT, LATE = 0.05, 0.02
# Marks by quarter points, made once: Decimal construction is the slow part of a mark row.
QUARTERS = tuple(Decimal(q) / 4 for q in range(81))
HUNDREDTHS = tuple(Decimal(h) / 100 for h in range(2001))


@dataclass(frozen=True, slots=True)
class Semester:
    """The semester the load fills: its number, its first day, and the load's school day."""

    number: int
    starts_on: date
    today: date

    def test_date(self, kind_index: int) -> date:
        """Tests spread over the weeks already taught, the fourth one a few days ago."""
        span = max(0, (self.today - self.starts_on).days - 3)
        return self.starts_on + timedelta(days=span * (kind_index + 1) // len(TESTS))

    def moment(self, day: date, hour: int) -> datetime:
        return datetime.combine(min(day, self.today), time(hour), tzinfo=UTC)


def _status(weights: tuple[tuple[TestStatus, float], ...], draw: float) -> TestStatus:
    for status, weight in weights:
        if draw < weight:
            return status
        draw -= weight
    return weights[-1][0]


class Abilities:
    """Each pupil's level, drawn once per class, so a pupil's marks hang together."""

    def __init__(self, seed: int) -> None:
        self._seed = seed

    def of(self, school_class: ClassPlan) -> list[float]:
        rng = stream(self._seed, f"ability:{school_class.number}")
        return [min(18.0, max(3.0, rng.gauss(11.5, 3.0))) for _ in school_class.pupils()]


# A teacher's work for a class and subject: what tests and roll calls begin with.
_TAUGHT = ("id", "school_id", "school_year", "class_id", "subject_id", "teacher_id")
TEST_COLUMNS = (
    *_TAUGHT,
    "semester",
    "kind",
    "test_date",
    "title",
    "status",
    "submitted_at",
    "validated_at",
    "validated_by",
    "published_at",
)
MARK_COLUMNS = (
    "id",
    "school_id",
    "school_year",
    "test_id",
    "pupil_id",
    "mark",
    "absent",
    "updated_by",
)


class SchoolWork:
    def __init__(self, people: People, semester: Semester, weeks: int) -> None:
        self.people = people
        self.plan = people.plan
        self.semester = semester
        self.weeks = weeks
        seed = self.plan.seed
        self.test_id: IdOf = id_space(seed, "test")
        self.mark_id: IdOf = id_space(seed, "mark")
        self.sheet_id: IdOf = id_space(seed, "sheet")
        self.attendance_id: IdOf = id_space(seed, "attendance")
        self.abilities = Abilities(seed)

    def _test_number(self, school_class: ClassPlan, lesson: int, kind: int) -> int:
        return (school_class.first_assignment + lesson) * len(TESTS) + kind

    def test_rows(self) -> Iterator[Row]:
        draw = stream(self.plan.seed, "test-status").random
        ids, year, semester = self.people.ids, self.plan.year, self.semester
        for school_class in self.plan.classes():
            director = ids.director(school_class.school.number)
            for index, lesson in enumerate(school_class.lessons):
                for k, kind in enumerate(TESTS):
                    status = _status(STATUS_WEIGHTS[k], draw())
                    day = semester.test_date(k)
                    yield (
                        self.test_id(self._test_number(school_class, index, k)),
                        school_class.school.id,
                        year,
                        school_class.id,
                        lesson.subject_id,
                        ids.teacher(lesson.teacher),
                        semester.number,
                        kind.value,
                        day,
                        f"Contrôle {k + 1}",
                        status.value,
                        *self._workflow(status, day, director),
                    )

    def _workflow(
        self, status: TestStatus, day: date, director: uuid.UUID
    ) -> tuple[datetime | None, datetime | None, uuid.UUID | None, datetime | None]:
        """submitted_at, validated_at, validated_by, published_at: cumulative, a few days
        apart after the test."""
        if status is TestStatus.DRAFT:
            return None, None, None, None
        submitted = self.semester.moment(day + timedelta(days=3), 17)
        if status is TestStatus.SUBMITTED:
            return submitted, None, None, None
        validated = self.semester.moment(day + timedelta(days=5), 10)
        if status is TestStatus.VALIDATED:
            return submitted, validated, director, None
        return submitted, validated, director, self.semester.moment(day + timedelta(days=6), 10)

    def mark_rows(self) -> Iterator[Row]:
        """Every pupil of the class marked in each of its tests (a few absent), by the
        teacher of the subject: a mark is the pupil's level give or take the day."""
        ids, year, mark_id = self.people.ids, self.plan.year, self.mark_id
        number = 0
        for school_class in self.plan.classes():
            rng = stream(self.plan.seed, f"marks:{school_class.number}")
            abilities = self.abilities.of(school_class)
            pupils = [ids.pupil(n) for n in school_class.pupils()]
            school_id = school_class.school.id
            gauss, random = rng.gauss, rng.random
            for index, lesson in enumerate(school_class.lessons):
                teacher = ids.teacher(lesson.teacher)
                for k in range(len(TESTS)):
                    test = self.test_id(self._test_number(school_class, index, k))
                    for pupil, ability in zip(pupils, abilities, strict=True):
                        if random() < ABSENT_FROM_TEST:
                            mark, absent = None, True
                        else:
                            quarter = round((ability + gauss(0, 2.5)) * 4)
                            mark, absent = QUARTERS[min(80, max(0, quarter))], False
                        yield (mark_id(number), school_id, year, test, pupil, mark, absent, teacher)
                        number += 1

    def _lesson_days(self) -> list[tuple[int, date, time, int]]:
        """(slot, date, start, block of the week) of the weeks before the load's week, from
        the first day of the year on."""
        monday = self.semester.today - timedelta(days=self.semester.today.weekday())
        year_start = first_day(self.plan.year)
        days = []
        for week in range(self.weeks):
            start = monday - timedelta(weeks=self.weeks - week)
            for block, (weekday, starts_at) in enumerate(WEEK):
                day = start + timedelta(days=weekday - 1)
                if day >= year_start:
                    days.append((week * len(WEEK) + block, day, starts_at, block))
        return days

    SHEET_COLUMNS = (*_TAUGHT, "lesson_date", "starts_at")
    ATTENDANCE_COLUMNS = (
        "id",
        "school_id",
        "school_year",
        "sheet_id",
        "pupil_id",
        "status",
        "minutes_late",
    )

    def _sheets(self) -> Iterator[tuple[ClassPlan, list[tuple[int, date, time, int]]]]:
        """Each class's roll calls: (sheet number, date, start, index of the lesson), the
        class's subjects in turn through the week."""
        days = self._lesson_days()
        per_class = self.weeks * len(WEEK)
        for school_class in self.plan.classes():
            if not school_class.lessons:
                continue
            lessons = len(school_class.lessons)
            yield (
                school_class,
                [
                    (
                        school_class.number * per_class + slot,
                        day,
                        starts_at,
                        (block + school_class.number) % lessons,
                    )
                    for slot, day, starts_at, block in days
                ],
            )

    def sheet_rows(self) -> Iterator[Row]:
        """One roll call per lesson, taken by the subject's teacher."""
        ids, year = self.people.ids, self.plan.year
        for school_class, sheets in self._sheets():
            for number, day, starts_at, index in sheets:
                lesson = school_class.lessons[index]
                yield (
                    self.sheet_id(number),
                    school_class.school.id,
                    year,
                    school_class.id,
                    lesson.subject_id,
                    ids.teacher(lesson.teacher),
                    day,
                    starts_at,
                )

    def attendance_rows(self) -> Iterator[Row]:
        """A mark for every pupil of every roll call, as the model keeps them: most present,
        a few absent or late."""
        ids, year, attendance_id = self.people.ids, self.plan.year, self.attendance_id
        present, absent, late = (s.value for s in AttendanceStatus)
        number = 0
        for school_class, sheets in self._sheets():
            pupils = [ids.pupil(n) for n in school_class.pupils()]
            random = stream(self.plan.seed, f"attendance:{school_class.number}").random
            school_id = school_class.school.id
            for sheet_number, _, _, _ in sheets:
                sheet = self.sheet_id(sheet_number)
                for pupil in pupils:
                    draw = random()
                    status, minutes = present, None
                    if draw < ABSENT:
                        status = absent
                    elif draw < ABSENT + LATE:
                        status, minutes = late, 5 + int(draw * 10_000) % 26
                    yield (attendance_id(number), school_id, year, sheet, pupil, status, minutes)
                    number += 1


EXAM_SESSION_COLUMNS = (
    "id",
    "kind",
    "school_year",
    "level_code",
    "name_fr",
    "name_ar",
    "academy_id",
    "publish_at",
    "announced_at",
)
EXAM_RESULT_COLUMNS = (
    "id",
    "school_id",
    "school_year",
    "session_id",
    "pupil_id",
    "average",
    "decision",
)
EXAM_SUBJECT_COLUMNS = (
    "id",
    "school_id",
    "school_year",
    "result_id",
    "subject_id",
    "mark",
    "absent",
)
EXAM_SUBJECTS = 4  # the subjects of the class examined (the first ones of its programme)


@dataclass(frozen=True, slots=True)
class ExamSession:
    number: int
    kind: ExamKind
    level_code: str
    name_fr: str
    name_ar: str
    academy_id: uuid.UUID | None


class Exams:
    """Results day: the national bac exam (2BAC) and each academy's regional exams (3AC and
    1BAC) of the year, published the day before the load and already announced (so the worker
    sends no notification for them)."""

    def __init__(self, work: SchoolWork) -> None:
        self.work = work
        seed = work.plan.seed
        self.session_id = id_space(seed, "exam-session")
        self.result_id = id_space(seed, "exam-result")
        self.subject_result_id = id_space(seed, "exam-subject-result")
        academies = sorted(
            {(d.academy_code, d.academy_id) for d in work.people.reference.directorates}
        )
        sessions = [
            ExamSession(
                0,
                ExamKind.NATIONAL,
                "2BAC",
                "Examen national du baccalauréat",
                "الامتحان الوطني للبكالوريا",
                None,
            )
        ]
        for code, academy_id in academies:
            for level, fr, ar in (
                ("3AC", "Examen régional du brevet", "الامتحان الجهوي الموحد للسنة الثالثة إعدادي"),
                ("1BAC", "Examen régional du baccalauréat", "الامتحان الجهوي الموحد للبكالوريا"),
            ):
                sessions.append(
                    ExamSession(
                        len(sessions), ExamKind.REGIONAL, level, f"{fr} ({code})", ar, academy_id
                    )
                )
        self.sessions = sessions
        self._by_place = {(s.level_code, s.academy_id): s for s in sessions}

    def _session_of(self, school_class: ClassPlan) -> ExamSession | None:
        level = school_class.level.code
        national = self._by_place.get((level, None))
        return national or self._by_place.get((level, school_class.school.directorate.academy_id))

    def session_rows(self) -> Iterator[Row]:
        published = self.work.semester.moment(self.work.semester.today - timedelta(days=1), 10)
        for s in self.sessions:
            yield (
                self.session_id(s.number),
                s.kind.value,
                self.work.plan.year,
                s.level_code,
                s.name_fr,
                s.name_ar,
                s.academy_id,
                published,
                published,
            )

    def _results(self) -> Iterator[tuple[ClassPlan, ExamSession, int, float]]:
        for school_class in self.work.plan.classes():
            session = self._session_of(school_class)
            if session is None:
                continue
            abilities = self.work.abilities.of(school_class)
            for number, ability in zip(school_class.pupils(), abilities, strict=True):
                yield school_class, session, number, ability

    def _subject_marks(self, number: int, ability: float) -> list[Decimal]:
        rng = stream(self.work.plan.seed, f"exam:{number}")
        return [
            HUNDREDTHS[min(2000, max(0, round((ability + rng.gauss(0, 2.0)) * 100)))]
            for _ in range(EXAM_SUBJECTS)
        ]

    def result_rows(self) -> Iterator[Row]:
        """The average of the subjects examined; the bac's decision (admitted from 10, the
        resit from 8), none for a regional exam."""
        pupil = self.work.people.ids.pupil
        for school_class, session, number, ability in self._results():
            marks = self._subject_marks(number, ability)[: len(school_class.lessons)]
            average = sum(marks) / len(marks) if marks else None
            decision = None
            if session.kind is ExamKind.NATIONAL and average is not None:
                decision = (
                    ExamDecision.ADMITTED
                    if average >= 10
                    else ExamDecision.RESIT
                    if average >= 8
                    else ExamDecision.NOT_ADMITTED
                ).value
            yield (
                self.result_id(number),
                school_class.school.id,
                self.work.plan.year,
                self.session_id(session.number),
                pupil(number),
                None if average is None else round(average, 2),
                decision,
            )

    def subject_result_rows(self) -> Iterator[Row]:
        for school_class, _, number, ability in self._results():
            marks = self._subject_marks(number, ability)
            for index, lesson in enumerate(school_class.lessons[:EXAM_SUBJECTS]):
                yield (
                    self.subject_result_id(number * EXAM_SUBJECTS + index),
                    school_class.school.id,
                    self.work.plan.year,
                    self.result_id(number),
                    lesson.subject_id,
                    marks[index],
                    False,
                )
