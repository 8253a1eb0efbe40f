"""Class councils: each pupil's decision with the annual average it rests on, recorded in bulk
while the council sits, locked once the director validates it, changed after that only by a
correction (the audit trail records who made it and the reason's digest)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment, Level, Pupil, SchoolClass, SchoolYear, Stream
from app.academics.reference import ReferenceData
from app.academics.schemas import ClassRef, StreamRef
from app.academics.teaching import check_pupils_of_class
from app.assessment.averages import (
    WeightedSubject,
    annual_average,
    semester_average,
    subject_average,
)
from app.assessment.models import ClassTest, Mark, TestStatus
from app.assessment.report_card import subjects_with_coefficients
from app.core.bulk import upsert
from app.core.security.principal import Principal
from app.councils.models import (
    LEAVING,
    ClassCouncil,
    CouncilDecision,
    CouncilSummary,
    Decision,
    Orientation,
    Rollover,
)
from app.councils.schemas import (
    ClassCouncilOut,
    CouncilCorrectionIn,
    CouncilDecisionIn,
    CouncilPupil,
)
from app.councils.streams import next_level, streams_by_id
from app.errors import InvalidInput, NotFound, ProblemError, field_error
from app.family.pupil_records import Placement


async def council(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, reference: ReferenceData
) -> ClassCouncilOut:
    """A class's council: its pupils, their annual averages and the decisions so far."""
    school_class = await _class_of_school(session, principal, class_id)
    return await _council_out(session, school_class, reference)


async def record_decisions(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    rows: Sequence[CouncilDecisionIn],
    reference: ReferenceData,
) -> ClassCouncilOut:
    """Set the given pupils' decisions in one statement: every row valid, or nothing written.
    A replay changes nothing."""
    school_class = await _class_of_school(session, principal, class_id)
    sitting = await _sitting_council(session, school_class)
    if sitting.validated_at is not None:
        raise ProblemError(409, "councils.validated", kind="council-validated")
    enrolled = set((await session.scalars(council_pupils(school_class))).all())
    check_pupils_of_class([r.pupil_id for r in rows], enrolled, "body.decisions.{index}.pupil_id")
    streams = await _next_streams(session, school_class, rows, "body.decisions.{index}.stream_id")
    averages = await annual_averages(session, school_class, reference)
    await session.execute(
        upsert(
            CouncilDecision,
            [
                {
                    "id": uuid.uuid4(),
                    "school_id": school_class.school_id,
                    "school_year": school_class.school_year,
                    "council_id": sitting.id,
                    "pupil_id": row.pupil_id,
                    "decision": row.decision,
                    "stream_id": streams[index],
                    "annual_average": averages.get(row.pupil_id),
                    "remarks": row.remarks,
                    "decided_by": principal.user_id,
                }
                for index, row in enumerate(rows)
            ],
            key=["school_id", "school_year", "pupil_id"],
            update=["council_id", "decision", "stream_id", "annual_average", "remarks"],
        )
    )
    return await _council_out(session, school_class, reference, averages)


async def validate(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, reference: ReferenceData
) -> ClassCouncilOut:
    """The director's validation: every pupil of the class decided, then locked. Validating a
    validated council changes nothing."""
    school_class = await _class_of_school(session, principal, class_id)
    sitting = await _sitting_council(session, school_class)
    if sitting.validated_at is None:
        enrolled = set((await session.scalars(council_pupils(school_class))).all())
        decided = set(
            (
                await session.scalars(
                    select(CouncilDecision.pupil_id).where(
                        CouncilDecision.council_id == sitting.id,
                        CouncilDecision.school_id == school_class.school_id,
                    )
                )
            ).all()
        )
        undecided = len(enrolled - decided)
        if undecided:
            raise ProblemError(
                409,
                "councils.decisions_missing",
                kind="decisions-missing",
                extensions={"undecided": undecided},
            )
        sitting.validated_at = datetime.now(UTC)
        sitting.validated_by = principal.user_id
        await session.flush()
        await refresh_summary(session, school_class.school_id, school_class.school_year)
    return await _council_out(session, school_class, reference)


async def correct(
    session: AsyncSession,
    principal: Principal,
    class_id: uuid.UUID,
    row: CouncilCorrectionIn,
    reference: ReferenceData,
) -> ClassCouncilOut:
    """Change one decision of a validated council, with a reason; refused once the school has
    rolled over into the next year, whose enrolments were built from it."""
    school_class = await _class_of_school(session, principal, class_id)
    sitting = await _sitting_council(session, school_class)
    if sitting.validated_at is None:
        raise ProblemError(409, "councils.not_validated", kind="council-not-validated")
    if await _rolled_over(session, school_class):
        raise ProblemError(409, "councils.rolled_over", kind="rolled-over")
    decision = await session.scalar(
        select(CouncilDecision).where(
            CouncilDecision.council_id == sitting.id,
            CouncilDecision.school_id == school_class.school_id,
            CouncilDecision.pupil_id == row.pupil_id,
        )
    )
    if decision is None:
        raise InvalidInput([field_error("body.pupil_id", "no decision of this council", "unknown")])
    streams = await _next_streams(session, school_class, [row], "body.stream_id")
    decision.decision = row.decision
    decision.stream_id = streams[0]
    decision.remarks = row.remarks
    decision.corrected_by = principal.user_id
    decision.corrected_at = datetime.now(UTC)
    decision.correction_reason = row.reason
    await session.flush()
    await refresh_summary(session, school_class.school_id, school_class.school_year)
    return await _council_out(session, school_class, reference)


def council_pupils(school_class: SchoolClass) -> Select[uuid.UUID]:
    """The pupils a class's council decides for: those in the class at the end of its year (a
    pupil still enrolled, or who left on the year's last day or after)."""
    ends_on = (
        select(SchoolYear.ends_on)
        .where(SchoolYear.year == school_class.school_year)
        .scalar_subquery()
    )
    return (
        select(Enrolment.pupil_id)
        .where(
            Enrolment.class_id == school_class.id,
            Enrolment.school_id == school_class.school_id,
            or_(Enrolment.left_on.is_(None), Enrolment.left_on >= ends_on),
        )
        .distinct()
    )


async def refresh_summary(session: AsyncSession, school_id: uuid.UUID, year: int) -> None:
    """Count the school's validated decisions of the year again, for steering."""
    d = CouncilDecision
    counted = (
        select(
            d.school_id,
            d.school_year,
            func.count().label("decided"),
            func.count().filter(d.decision.in_([Decision.PROMOTED, Decision.ORIENTED])),
            func.count().filter(d.decision == Decision.REPEATS),
            func.count().filter(d.decision == Decision.REDIRECTED),
            func.count().filter(d.decision == Decision.LEFT),
        )
        .join(
            ClassCouncil,
            (ClassCouncil.id == d.council_id) & (ClassCouncil.school_id == d.school_id),
        )
        .where(
            d.school_id == school_id, d.school_year == year, ClassCouncil.validated_at.is_not(None)
        )
        .group_by(d.school_id, d.school_year)
    )
    statement = insert(CouncilSummary).from_select(
        ["school_id", "school_year", "decided", "promoted", "repeats", "redirected", "left"],
        counted,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["school_id", "school_year"],
            set_={
                c: statement.excluded[c]
                for c in ("decided", "promoted", "repeats", "redirected", "left")
            },
        )
    )


async def annual_averages(
    session: AsyncSession, school_class: SchoolClass, reference: ReferenceData
) -> dict[uuid.UUID, Decimal | None]:
    """Each pupil's annual average in the class, from its published marks: the rules of
    `assessment/averages.py`, the subjects and coefficients of the report card."""
    place = Placement(
        school_year=school_class.school_year,
        class_id=school_class.id,
        class_name=school_class.name,
        level_code=school_class.level_code,
        stream_id=school_class.stream_id,
        stream_code=None,
        school_id=school_class.school_id,
    )
    subjects = await subjects_with_coefficients(session, place, reference)
    marks: dict[tuple[uuid.UUID, int, uuid.UUID], list[Decimal | None]] = defaultdict(list)
    for pupil_id, semester, subject_id, mark in await session.execute(
        select(Mark.pupil_id, ClassTest.semester, ClassTest.subject_id, Mark.mark)
        .join(ClassTest, (ClassTest.id == Mark.test_id) & (ClassTest.school_id == Mark.school_id))
        .where(
            ClassTest.school_id == school_class.school_id,
            ClassTest.class_id == school_class.id,
            ClassTest.status == TestStatus.PUBLISHED,
            Mark.absent.is_(False),
        )
    ):
        marks[pupil_id, semester, subject_id].append(mark)
    pupils = {pupil_id for pupil_id, _, _ in marks}

    def semester_of(pupil_id: uuid.UUID, semester: int) -> Decimal | None:
        lines = [
            WeightedSubject(s.code, subject_average(marks.get((pupil_id, semester, s.id), [])), c)
            for s, c in subjects
        ]
        return semester_average(lines).value

    return {p: annual_average(semester_of(p, 1), semester_of(p, 2)) for p in pupils}


async def _class_of_school(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID
) -> SchoolClass:
    school_class = await session.scalar(
        select(SchoolClass).where(
            SchoolClass.id == class_id, SchoolClass.school_id == principal.school_id
        )
    )
    if school_class is None:
        raise NotFound()
    return school_class


async def _sitting_council(session: AsyncSession, school_class: SchoolClass) -> ClassCouncil:
    """The class's council, opened at its first use, locked for this transaction's writes."""
    await session.execute(
        insert(ClassCouncil)
        .values(
            id=uuid.uuid4(),
            school_id=school_class.school_id,
            school_year=school_class.school_year,
            class_id=school_class.id,
        )
        .on_conflict_do_nothing(index_elements=["school_id", "class_id"])
    )
    sitting = await session.scalar(
        select(ClassCouncil)
        .where(
            ClassCouncil.school_id == school_class.school_id,
            ClassCouncil.class_id == school_class.id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert sitting is not None  # inserted just above, or there already
    return sitting


async def _rolled_over(session: AsyncSession, school_class: SchoolClass) -> bool:
    return (
        await session.scalar(
            select(Rollover.id).where(
                Rollover.school_id == school_class.school_id,
                Rollover.from_year == school_class.school_year,
            )
        )
    ) is not None


async def _next_streams(
    session: AsyncSession, school_class: SchoolClass, rows: Sequence[CouncilDecisionIn], field: str
) -> list[uuid.UUID | None]:
    """Next year's stream of each row (see `CouncilDecisionIn`); all faults reported together."""
    upper = await next_level(session, school_class.level_code)
    level_streams = (
        {
            s.id: s.code
            for s in await session.scalars(select(Stream).where(Stream.level_code == upper.code))
        }
        if upper is not None
        else {}
    )
    oriented = dict(
        (
            await session.execute(
                select(Orientation.pupil_id, Orientation.stream_id).where(
                    Orientation.school_id == school_class.school_id,
                    Orientation.school_year == school_class.school_year,
                    Orientation.pupil_id.in_([r.pupil_id for r in rows]),
                )
            )
        ).all()
    )
    own_code = (
        await session.scalar(select(Stream.code).where(Stream.id == school_class.stream_id))
        if school_class.stream_id
        else None
    )
    same_stream = next((i for i, code in level_streams.items() if code == own_code), None)
    streams: list[uuid.UUID | None] = []
    errors = []
    for index, row in enumerate(rows):
        where = field.format(index=index)
        stream, fault = _next_stream(
            row, upper, level_streams, oriented.get(row.pupil_id), same_stream
        )
        if fault:
            errors.append(field_error(where, fault[0], fault[1]))
        streams.append(stream)
    if errors:
        raise InvalidInput(errors)
    return streams


def _next_stream(
    row: CouncilDecisionIn,
    upper: Level | None,
    level_streams: dict[uuid.UUID, str],
    oriented: uuid.UUID | None,
    same_stream: uuid.UUID | None,
) -> tuple[uuid.UUID | None, tuple[str, str] | None]:
    """One row's stream for next year, or what is wrong with it."""
    if row.decision is Decision.REPEATS or row.decision in LEAVING:
        if row.stream_id is not None:
            return None, ("only a promotion names next year's stream", "no_stream")
        return None, None
    if upper is None:
        if row.decision is Decision.ORIENTED or row.stream_id is not None:
            return None, ("the last level has no next stream", "no_next_level")
        return None, None
    if row.stream_id is not None and row.stream_id not in level_streams:
        return None, (f"not a stream of {upper.code}", "unknown_stream")
    stream = row.stream_id or (oriented if oriented in level_streams else None)
    if stream is None and row.decision is Decision.PROMOTED:
        stream = same_stream
    if stream is None and (level_streams or row.decision is Decision.ORIENTED):
        return None, (f"a stream of {upper.code} is needed", "stream_needed")
    return stream, None


async def _council_out(
    session: AsyncSession,
    school_class: SchoolClass,
    reference: ReferenceData,
    averages: dict[uuid.UUID, Decimal | None] | None = None,
) -> ClassCouncilOut:
    """The council as it stands (`averages`: the class's, when the caller has them already)."""
    level = await session.get(Level, school_class.level_code)
    assert level is not None  # a class's level is a foreign key
    upper = await next_level(session, level.code)
    sitting = await session.scalar(
        select(ClassCouncil).where(
            ClassCouncil.school_id == school_class.school_id,
            ClassCouncil.class_id == school_class.id,
        )
    )
    decided = {
        d.pupil_id: d
        for d in (
            await session.scalars(
                select(CouncilDecision).where(
                    CouncilDecision.school_id == school_class.school_id,
                    CouncilDecision.council_id == (sitting.id if sitting else None),
                )
            )
        )
    }
    enrolled = set((await session.scalars(council_pupils(school_class))).all())
    pupils = (
        await session.scalars(
            select(Pupil)
            .where(Pupil.id.in_(enrolled | decided.keys()))
            .order_by(Pupil.last_name, Pupil.first_name)
        )
    ).all()
    if averages is None:
        averages = await annual_averages(session, school_class, reference)
    streams = await streams_by_id(session, [d.stream_id for d in decided.values()])
    stream_code = (
        await session.scalar(select(Stream.code).where(Stream.id == school_class.stream_id))
        if school_class.stream_id
        else None
    )
    return ClassCouncilOut(
        school_class=ClassRef(
            id=school_class.id,
            name=school_class.name,
            level_code=school_class.level_code,
            stream_code=stream_code,
        ),
        school_year=school_class.school_year,
        max_mark=level.max_mark,
        pass_mark=level.pass_mark,
        next_level_code=upper.code if upper else None,
        validated_at=sitting.validated_at if sitting else None,
        pupils=[
            _council_pupil(p, averages.get(p.id), level.pass_mark, decided.get(p.id), streams)
            for p in pupils
        ],
    )


def _council_pupil(
    pupil: Pupil,
    computed: Decimal | None,
    pass_mark: int,
    decision: CouncilDecision | None,
    streams: dict[uuid.UUID, StreamRef],
) -> CouncilPupil:
    # A decided pupil shows the average the decision was taken on.
    average = decision.annual_average if decision is not None else computed
    return CouncilPupil(
        pupil_id=pupil.id,
        massar_code=pupil.massar_code,
        first_name=pupil.first_name,
        last_name=pupil.last_name,
        annual_average=average,
        passed=None if average is None else average >= pass_mark,
        decision=decision.decision if decision else None,
        stream=streams.get(decision.stream_id) if decision and decision.stream_id else None,
        remarks=decision.remarks if decision else None,
        corrected_at=decision.corrected_at if decision else None,
    )
