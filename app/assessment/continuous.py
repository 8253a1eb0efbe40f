"""The continuous assessment of many pupils at once: each pupil's published semester averages
of a year and the year's average, by the rules of `app.assessment.averages`, as the report card
shows them (`report_card.marks_report`), in three statements whatever the number of pupils:
their classes, the subjects taught in those classes, and the pupils' published marks.

A pupil's subjects are those taught in their class of the year (the current one if they
moved), each weighed by its coefficient for the class's level and stream (1 where none is
set); a subject's marks are those of the class's published tests of the semester."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from decimal import Decimal

from sqlalchemy import any_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import TeachingAssignment
from app.academics.reference import ReferenceData
from app.assessment.averages import WeightedSubject, annual_average, parts_average, semester_average
from app.assessment.models import ClassTest, Mark, TestStatus
from app.core.db.arrays import uuid_array
from app.family.pupil_records import Placement, placements

SEMESTERS = (1, 2)
# A subject's marks: those of tests on the whole subject (key None), and of each component.
SubjectMarks = dict[uuid.UUID | None, list[Decimal | None]]
# pupil -> semester -> subject -> its marks
_Marks = dict[uuid.UUID, dict[int, dict[uuid.UUID, SubjectMarks]]]


async def year_average(
    session: AsyncSession, pupil_id: uuid.UUID, year: int, reference: ReferenceData
) -> Decimal | None:
    """One pupil's continuous assessment of the year (see `year_averages`)."""
    return (await year_averages(session, [pupil_id], year, reference))[pupil_id]


async def year_averages(
    session: AsyncSession, pupil_ids: Collection[uuid.UUID], year: int, reference: ReferenceData
) -> dict[uuid.UUID, Decimal | None]:
    """Each pupil's continuous assessment of the year: the mean of their two published
    semester averages (one alone if the other has none), None without any."""
    semesters = await semester_averages(session, pupil_ids, year, reference)
    return {pupil: annual_average(*(s[n] for n in SEMESTERS)) for pupil, s in semesters.items()}


async def semester_averages(
    session: AsyncSession, pupil_ids: Collection[uuid.UUID], year: int, reference: ReferenceData
) -> dict[uuid.UUID, dict[int, Decimal | None]]:
    """Each pupil's published average of each semester of the year (None: no mark yet)."""
    places = await placements(session, pupil_ids, year)
    taught = await _taught(session, {p.class_id for p in places.values()})
    reference = await reference.covering(
        session,
        {s for subjects in taught.values() for s in subjects},
        {p.stream_id for p in places.values()},
    )
    marks = await _published_marks(session, places, year)
    averages: dict[uuid.UUID, dict[int, Decimal | None]] = {}
    for pupil_id in pupil_ids:
        place = places.get(pupil_id)
        mine = marks.get(pupil_id, {})
        averages[pupil_id] = {
            n: None
            if place is None
            else _semester(place, taught.get(place.class_id, ()), mine.get(n, {}), reference)
            for n in SEMESTERS
        }
    return averages


def _semester(
    place: Placement,
    subjects: Iterable[uuid.UUID],
    marks: dict[uuid.UUID, SubjectMarks],
    reference: ReferenceData,
) -> Decimal | None:
    lines = []
    for subject_id in subjects:
        parts = marks.get(subject_id, {})
        components = [m for component, m in parts.items() if component is not None]
        lines.append(
            WeightedSubject(
                reference.subjects[subject_id].code,
                parts_average(parts.get(None, []), components),
                reference.coefficients.get(
                    (place.level_code, place.stream_id, subject_id), Decimal(1)
                ),
            )
        )
    return semester_average(lines).value


async def _taught(
    session: AsyncSession, class_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The subjects taught in each class."""
    rows = await session.execute(
        select(TeachingAssignment.class_id, TeachingAssignment.subject_id).where(
            TeachingAssignment.class_id == any_(uuid_array("classes", class_ids))
        )
    )
    taught: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for class_id, subject_id in rows.all():
        taught[class_id].append(subject_id)
    return taught


async def _published_marks(
    session: AsyncSession, places: dict[uuid.UUID, Placement], year: int
) -> _Marks:
    """The marks each pupil has in their class's published tests, by semester, subject and
    component (an absence is no mark)."""
    rows = await session.execute(
        select(
            Mark.pupil_id,
            ClassTest.class_id,
            ClassTest.semester,
            ClassTest.subject_id,
            ClassTest.component_id,
            Mark.mark,
        )
        .join(ClassTest, (ClassTest.id == Mark.test_id) & (ClassTest.school_id == Mark.school_id))
        .where(
            Mark.pupil_id == any_(uuid_array("pupils", places.keys())),
            # The year's partition only.
            Mark.school_year == year,
            Mark.mark.is_not(None),
            ClassTest.status == TestStatus.PUBLISHED,
        )
    )
    marks: _Marks = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    for pupil_id, class_id, semester, subject_id, component_id, mark in rows.all():
        if class_id != places[pupil_id].class_id:  # a class they left this year
            continue
        marks[pupil_id][semester][subject_id].setdefault(component_id, []).append(mark)
    return marks
