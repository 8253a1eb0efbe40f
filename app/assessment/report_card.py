"""A pupil's marks, averages, exam results and history: the hot read of results day.

Only what the school has published leaves the server: tests in status `published`, exam
results after their session's publication time. Reads select columns (no ORM objects), a
fixed handful of statements per call whatever the number of subjects.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import (
    Enrolment,
    SchoolClass,
    Subject,
    TeachingAssignment,
)
from app.academics.reference import ReferenceData
from app.academics.schemas import SubjectRef
from app.assessment.averages import (
    WeightedSubject,
    annual_average,
    parts_average,
    round_mark,
    semester_average,
    subject_average,
)
from app.assessment.models import ClassTest, Mark, SubjectComponent, TestKind, TestStatus
from app.core.schemas import SchoolRef
from app.councils.published import decisions_by_year
from app.exams.models import (
    ExamDecision,
    ExamResult,
    ExamRound,
    ExamSession,
    ExamSubjectResult,
)
from app.family.pupil_records import Placement, placement
from app.family.schemas import (
    ComponentMarks,
    ComponentRef,
    ExamResultOut,
    ExamSubjectOut,
    HistoryYear,
    MarksReport,
    SubjectMarks,
    TestMark,
)
from app.organisation.models import School

MARKED_KINDS = (
    TestKind.TEST_1,
    TestKind.TEST_2,
    TestKind.TEST_3,
    TestKind.TEST_4,
    TestKind.INTEGRATED_ACTIVITIES,
)


async def marks_report(
    session: AsyncSession,
    pupil_id: uuid.UUID,
    year: int,
    semester: int,
    reference: ReferenceData,
) -> MarksReport:
    """Published marks per subject with averages, the semester average and class averages."""
    place = await placement(session, pupil_id, year)
    if place is None:
        return MarksReport(
            school_year=year,
            semester=semester,
            school_class=None,
            subjects=[],
            semester_average=None,
            left_out=[],
        )
    subjects = await subjects_with_coefficients(session, place, reference)
    marks = await _published_marks(session, place, pupil_id, semester)
    class_averages = await _class_averages(session, place, semester)
    lines = [
        _subject_line(s, c, marks.get(s.id, {}), class_averages.get(s.id)) for s, c in subjects
    ]
    overall = semester_average(
        [WeightedSubject(line.subject.code, line.average, line.coefficient) for line in lines]
    )
    max_mark = reference.scales[place.level_code]
    return MarksReport(
        school_year=year,
        semester=semester,
        max_mark=max_mark,
        pass_mark=max_mark // 2,
        school_class=place.class_ref,
        subjects=lines,
        semester_average=overall.value,
        passed=None if overall.value is None else overall.value >= max_mark // 2,
        left_out=list(overall.left_out),
    )


async def subjects_with_coefficients(
    session: AsyncSession, place: Placement, reference: ReferenceData
) -> list[tuple[SubjectRef, Decimal]]:
    """The subjects taught in the class, by code, with their coefficient for its level and
    stream (1 where none is set)."""
    taught = (
        await session.scalars(
            select(TeachingAssignment.subject_id).where(
                TeachingAssignment.class_id == place.class_id,
                TeachingAssignment.school_id == place.school_id,
            )
        )
    ).all()
    reference = await reference.covering(session, taught)
    subjects = sorted((reference.subjects[s] for s in taught), key=lambda s: s.code)
    return [
        (s, reference.coefficients.get((place.level_code, place.stream_id, s.id), Decimal(1)))
        for s in subjects
    ]


KindMarks = dict[TestKind, tuple[TestMark, str | None]]


@dataclass(slots=True)
class _Part:
    """The marks of a subject's component, or (component None) of the whole subject."""

    component: ComponentRef | None
    rank: int
    marks: KindMarks = field(default_factory=dict)


# subject -> component (None: the whole subject) -> its marks
PupilMarks = dict[uuid.UUID, dict[uuid.UUID | None, _Part]]


async def _published_marks(
    session: AsyncSession, place: Placement, pupil_id: uuid.UUID, semester: int
) -> PupilMarks:
    """The pupil's marks in the class's published tests of the semester, by subject,
    component and kind."""
    rows = await session.execute(
        select(
            ClassTest.id,
            ClassTest.subject_id,
            ClassTest.kind,
            ClassTest.test_date,
            Mark.mark,
            Mark.absent,
            Mark.remark,
            SubjectComponent,
        )
        .outerjoin(SubjectComponent, SubjectComponent.id == ClassTest.component_id)
        .outerjoin(
            Mark,
            (Mark.test_id == ClassTest.id)
            & (Mark.school_id == ClassTest.school_id)
            & (Mark.pupil_id == pupil_id)
            # The year's partition only.
            & (Mark.school_year == place.school_year),
        )
        .where(
            ClassTest.school_id == place.school_id,
            ClassTest.class_id == place.class_id,
            ClassTest.semester == semester,
            ClassTest.status == TestStatus.PUBLISHED,
        )
    )
    marks: PupilMarks = defaultdict(dict)
    for test_id, subject_id, kind, test_date, mark, absent, remark, component in rows:
        key = component.id if component else None
        part = marks[subject_id].get(key) or _Part(
            ComponentRef.model_validate(component) if component else None,
            component.rank if component else 0,
        )
        marks[subject_id][key] = part
        part.marks[kind] = (
            TestMark(test_id=test_id, date=test_date, mark=mark, absent=bool(absent)),
            remark,
        )
    return marks


async def _class_averages(
    session: AsyncSession, place: Placement, semester: int
) -> dict[uuid.UUID, Decimal]:
    """Per subject, the mean of the class's pupils' (rounded) subject averages, each of them
    the mean of the pupil's (rounded) component averages when the subject has components."""
    per_part = (
        select(
            Mark.pupil_id,
            ClassTest.subject_id,
            func.round(func.avg(Mark.mark), 2).label("average"),
        )
        .join(ClassTest, (ClassTest.id == Mark.test_id) & (ClassTest.school_id == Mark.school_id))
        .where(
            ClassTest.school_id == place.school_id,
            ClassTest.class_id == place.class_id,
            ClassTest.semester == semester,
            ClassTest.status == TestStatus.PUBLISHED,
            Mark.mark.is_not(None),
        )
        .group_by(Mark.pupil_id, ClassTest.subject_id, ClassTest.component_id)
        .subquery()
    )
    per_pupil = (
        select(
            per_part.c.pupil_id,
            per_part.c.subject_id,
            func.round(func.avg(per_part.c.average), 2).label("average"),
        )
        .group_by(per_part.c.pupil_id, per_part.c.subject_id)
        .subquery()
    )
    rows = await session.execute(
        select(per_pupil.c.subject_id, func.avg(per_pupil.c.average)).group_by(
            per_pupil.c.subject_id
        )
    )
    return {subject_id: round_mark(Decimal(avg)) for subject_id, avg in rows.all()}


def _subject_line(
    subject: SubjectRef,
    coefficient: Decimal,
    parts: dict[uuid.UUID | None, _Part],
    class_average: Decimal | None,
) -> SubjectMarks:
    whole = parts[None].marks if None in parts else {}
    components = [
        ComponentMarks(
            component=part.component,
            tests=_by_kind(part.marks),
            average=_part_average(part.marks),
        )
        for part in sorted(parts.values(), key=lambda p: p.rank)
        if part.component is not None
    ]
    average = parts_average(
        _present(whole),
        [_present(p.marks) for p in parts.values() if p.component is not None],
    )
    published = bool(parts)
    remarks = [
        remark
        for part in [whole, *(p.marks for p in parts.values() if p.component is not None)]
        for kind in reversed(MARKED_KINDS)
        if kind in part
        for remark in [part[kind][1]]
        if remark
    ]
    return SubjectMarks(
        subject=subject,
        coefficient=coefficient,
        status="published" if published else "not_published",
        tests=_by_kind(whole),
        components=components,
        remark=remarks[0] if remarks else None,
        average=average,
        class_average=class_average if published else None,
    )


def _by_kind(marks: KindMarks) -> dict[TestKind, TestMark | None]:
    return {kind: marks[kind][0] if kind in marks else None for kind in MARKED_KINDS}


def _part_average(marks: KindMarks) -> Decimal | None:
    return subject_average(_present(marks))


def _present(marks: KindMarks) -> list[Decimal | None]:
    """The marks the pupil sat (an absence is no mark)."""
    return [m.mark for m, _ in marks.values() if not m.absent]


async def exam_results(session: AsyncSession, pupil_id: uuid.UUID) -> list[ExamResultOut]:
    """The pupil's results of exam sessions already published, newest first."""
    rows = (
        await session.execute(
            select(ExamSession, ExamResult)
            .join(ExamResult, ExamResult.session_id == ExamSession.id)
            .where(
                ExamResult.pupil_id == pupil_id,
                ExamSession.publish_at.is_not(None),
                ExamSession.publish_at <= func.now(),
            )
            .order_by(ExamSession.school_year.desc(), ExamSession.publish_at.desc())
        )
    ).all()
    subjects = await _exam_subjects(session, [result.id for _, result in rows])
    return [
        ExamResultOut.of(
            exam,
            session_id=exam.id,
            published_at=exam.publish_at,
            candidate_number=result.candidate_number,
            exam_average=result.exam_average,
            continuous_average=result.continuous_average,
            average=result.average,
            decision=result.decision,
            mention_fr=result.mention_fr,
            mention_ar=result.mention_ar,
            subjects=subjects.get(result.id, []),
        )
        for exam, result in rows
    ]


async def _exam_subjects(
    session: AsyncSession, result_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ExamSubjectOut]]:
    if not result_ids:
        return {}
    rows = await session.execute(
        select(ExamSubjectResult, Subject)
        .join(Subject, Subject.id == ExamSubjectResult.subject_id)
        .where(ExamSubjectResult.result_id.in_(result_ids))
        .order_by(Subject.code)
    )
    by_result: dict[uuid.UUID, list[ExamSubjectOut]] = defaultdict(list)
    for line, subject in rows:
        by_result[line.result_id].append(
            ExamSubjectOut(
                subject=SubjectRef.model_validate(subject), mark=line.mark, absent=line.absent
            )
        )
    return by_result


def final_decisions(results: list[ExamResultOut]) -> dict[int, ExamDecision]:
    """The year's final decision: a resit's over its normal session's, then the latest
    published (results come newest first)."""
    decisions: dict[int, tuple[bool, ExamDecision]] = {}
    for result in results:
        if result.decision is None:
            continue
        resit = result.round is ExamRound.RESIT
        held = decisions.get(result.school_year)
        if held is None or (resit and not held[0]):
            decisions[result.school_year] = (resit, result.decision)
    return {year: decision for year, (_, decision) in decisions.items()}


async def history(
    session: AsyncSession, pupil_id: uuid.UUID, reference: ReferenceData
) -> list[HistoryYear]:
    """Per school year: the school, level and class, the published averages and the decision."""
    years = (
        await session.execute(
            select(Enrolment.school_year, School, SchoolClass.level_code, SchoolClass.name)
            .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
            .join(School, School.id == Enrolment.school_id)
            .where(Enrolment.pupil_id == pupil_id)
            .order_by(Enrolment.school_year.desc(), Enrolment.left_on.desc().nulls_first())
            .ext(distinct_on(Enrolment.school_year))
        )
    ).all()
    decisions = final_decisions(await exam_results(session, pupil_id))
    councils = await decisions_by_year(session, pupil_id)
    history_years = []
    for year, school, level_code, class_name in years:
        first = (await marks_report(session, pupil_id, year, 1, reference)).semester_average
        second = (await marks_report(session, pupil_id, year, 2, reference)).semester_average
        history_years.append(
            HistoryYear(
                school_year=year,
                school=SchoolRef.model_validate(school),
                level_code=level_code,
                class_name=class_name,
                first_semester_average=first,
                second_semester_average=second,
                annual_average=annual_average(first, second),
                decision=decisions.get(year),
                council_decision=councils.get(year),
            )
        )
    return history_years
