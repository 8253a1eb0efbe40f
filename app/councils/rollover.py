"""The rollover: next year's enrolments built from a school's validated council decisions, all
or nothing, once. Promoted pupils go to the next level, in the stream decided; pupils who repeat
stay at their level; each goes into the least filled of next year's classes of that level and
stream, or waits, unplaced, until the school places them. Pupils redirected or who left are
withdrawn. Last year's enrolments stay: they are the pupil's history."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.events import enrolments_changed
from app.academics.models import Enrolment, Pupil, SchoolClass, SchoolYear
from app.academics.structure import move_pupils
from app.core.security.principal import Principal
from app.councils.models import (
    LEAVING,
    ClassCouncil,
    CouncilDecision,
    Decision,
    Outcome,
    Rollover,
    RolloverPupil,
)
from app.councils.schemas import RolloverOut, UnplacedPupil
from app.councils.streams import next_level, streams_by_id
from app.errors import NotFound, ProblemError, invalid


@dataclass(slots=True)
class _Pupil:
    """Where one decided pupil goes next year."""

    pupil_id: uuid.UUID
    last_name: str
    decision: Decision
    outcome: Outcome
    level_code: str | None = None
    stream_id: uuid.UUID | None = None
    class_id: uuid.UUID | None = None


async def roll_over(session: AsyncSession, principal: Principal, from_year: int) -> RolloverOut:
    """Build next year's enrolments of the caller's school from `from_year`'s validated
    councils. A school rolls over once: asking again answers the same report."""
    school_id = principal.school_id
    assert school_id is not None  # school staff only
    to_year = from_year + 1
    if await session.get(SchoolYear, from_year) is None:
        raise invalid("body.from_year", "no such school year", "unknown_year")
    if await session.get(SchoolYear, to_year) is None:
        raise ProblemError(409, "councils.no_next_year", kind="no-next-year")
    # One rollover per school and year: the row is the lock, and a second call waits for it.
    rollover_id = await session.scalar(
        insert(Rollover)
        .values(
            id=uuid.uuid4(),
            school_id=school_id,
            from_year=from_year,
            to_year=to_year,
            done_by=principal.user_id,
        )
        .on_conflict_do_nothing(index_elements=["school_id", "from_year"])
        .returning(Rollover.id)
    )
    if rollover_id is not None:
        await _refuse_unvalidated(session, school_id, from_year)
        pupils = await _destinations(session, school_id, from_year)
        await _place(session, school_id, to_year, pupils)
        await _write(session, rollover_id, school_id, to_year, pupils)
    return await report(session, principal, from_year)


async def report(session: AsyncSession, principal: Principal, from_year: int) -> RolloverOut:
    """The school's rollover from `from_year`: its counts as they stand, and who is still
    unplaced (404 before it is done)."""
    rollover = await session.scalar(
        select(Rollover).where(
            Rollover.school_id == principal.school_id, Rollover.from_year == from_year
        )
    )
    if rollover is None:
        raise NotFound()
    counts = dict(
        (
            await session.execute(
                select(RolloverPupil.outcome, func.count())
                .where(
                    RolloverPupil.rollover_id == rollover.id,
                    RolloverPupil.school_id == rollover.school_id,
                )
                .group_by(RolloverPupil.outcome)
            )
        ).all()
    )
    return RolloverOut(
        from_year=rollover.from_year,
        to_year=rollover.to_year,
        done_at=rollover.created_at,
        counts={outcome: counts.get(outcome, 0) for outcome in Outcome},
        unplaced=await unplaced(session, principal, rollover.to_year),
    )


async def unplaced(session: AsyncSession, principal: Principal, year: int) -> list[UnplacedPupil]:
    """The school's pupils the rollover into `year` could not place, by name."""
    rows = (
        await session.execute(
            select(RolloverPupil, Pupil)
            .join(Pupil, Pupil.id == RolloverPupil.pupil_id)
            .where(
                RolloverPupil.school_id == principal.school_id,
                RolloverPupil.school_year == year,
                RolloverPupil.outcome == Outcome.UNPLACED,
            )
            .order_by(Pupil.last_name, Pupil.first_name)
        )
    ).all()
    streams = await streams_by_id(session, [r.stream_id for r, _ in rows])
    return [
        UnplacedPupil(
            pupil_id=pupil.id,
            massar_code=pupil.massar_code,
            first_name=pupil.first_name,
            last_name=pupil.last_name,
            school_year=row.school_year,
            level_code=row.level_code or "",
            stream=streams.get(row.stream_id) if row.stream_id else None,
        )
        for row, pupil in rows
    ]


async def place(
    session: AsyncSession, principal: Principal, pupil_id: uuid.UUID, class_id: uuid.UUID
) -> list[UnplacedPupil]:
    """Put a pupil the rollover left unplaced into a class of their level and stream; answers
    who is still unplaced that year."""
    waiting = await session.scalar(
        select(RolloverPupil)
        .where(
            RolloverPupil.school_id == principal.school_id,
            RolloverPupil.pupil_id == pupil_id,
            RolloverPupil.outcome == Outcome.UNPLACED,
        )
        .order_by(RolloverPupil.school_year.desc())
        .limit(1)
        .with_for_update()
    )
    if waiting is None:
        raise NotFound()
    school_class = await session.scalar(
        select(SchoolClass).where(
            SchoolClass.id == class_id,
            SchoolClass.school_id == waiting.school_id,
            SchoolClass.school_year == waiting.school_year,
            SchoolClass.level_code == waiting.level_code,
            SchoolClass.stream_id.is_not_distinct_from(waiting.stream_id),
        )
    )
    if school_class is None:
        raise invalid(
            "body.class_id",
            "not a class of the pupil's level and stream in that year",
            "wrong_class",
        )
    await move_pupils(session, waiting.school_id, waiting.school_year, [(pupil_id, class_id)])
    waiting.outcome = Outcome.PLACED
    waiting.class_id = class_id
    await session.flush()
    return await unplaced(session, principal, waiting.school_year)


async def _refuse_unvalidated(session: AsyncSession, school_id: uuid.UUID, year: int) -> None:
    """Every class with pupils that year has a validated council (409 naming the others)."""
    pending = (
        await session.scalars(
            select(SchoolClass.name)
            .join(Enrolment, Enrolment.class_id == SchoolClass.id)
            .outerjoin(
                ClassCouncil,
                (ClassCouncil.class_id == SchoolClass.id)
                & (ClassCouncil.school_id == SchoolClass.school_id),
            )
            .join(SchoolYear, SchoolYear.year == SchoolClass.school_year)
            .where(
                SchoolClass.school_id == school_id,
                SchoolClass.school_year == year,
                # Pupils at the year's end (`decisions.council_pupils`).
                or_(Enrolment.left_on.is_(None), Enrolment.left_on >= SchoolYear.ends_on),
                ClassCouncil.validated_at.is_(None),
            )
            .distinct()
            .order_by(SchoolClass.name)
        )
    ).all()
    if pending:
        raise ProblemError(
            409,
            "councils.not_all_validated",
            kind="councils-not-validated",
            extensions={"classes": list(pending)},
        )


async def _destinations(session: AsyncSession, school_id: uuid.UUID, year: int) -> list[_Pupil]:
    """Each decided pupil's level and stream next year, by the council's decision."""
    rows = (
        await session.execute(
            select(CouncilDecision, SchoolClass.level_code, SchoolClass.stream_id, Pupil.last_name)
            .join(
                ClassCouncil,
                (ClassCouncil.id == CouncilDecision.council_id)
                & (ClassCouncil.school_id == CouncilDecision.school_id),
            )
            .join(SchoolClass, SchoolClass.id == ClassCouncil.class_id)
            .join(Pupil, Pupil.id == CouncilDecision.pupil_id)
            .where(CouncilDecision.school_id == school_id, CouncilDecision.school_year == year)
        )
    ).all()
    uppers = {code: await next_level(session, code) for code in {r.level_code for r in rows}}
    pupils = []
    for decision, level_code, stream_id, last_name in rows:
        pupil = _Pupil(decision.pupil_id, last_name, decision.decision, Outcome.UNPLACED)
        upper = uppers[level_code]
        if decision.decision in LEAVING:
            pupil.outcome = Outcome.WITHDRAWN
        elif decision.decision is Decision.REPEATS:
            pupil.level_code, pupil.stream_id = level_code, stream_id
        elif upper is None:
            pupil.outcome = Outcome.COMPLETED
        else:
            pupil.level_code, pupil.stream_id = upper.code, decision.stream_id
        pupils.append(pupil)
    return pupils


async def _place(
    session: AsyncSession, school_id: uuid.UUID, year: int, pupils: list[_Pupil]
) -> None:
    """Balance the pupils to place over next year's classes of their level and stream: each
    in turn into the class with fewest pupils. Pupils already enrolled next year stay."""
    already = dict(
        (
            await session.execute(
                select(Enrolment.pupil_id, Enrolment.class_id).where(
                    Enrolment.pupil_id.in_([p.pupil_id for p in pupils]),
                    Enrolment.school_year == year,
                    Enrolment.left_on.is_(None),
                )
            )
        ).all()
    )
    groups: dict[tuple[str, uuid.UUID | None], list[_Pupil]] = defaultdict(list)
    for pupil in pupils:
        if pupil.outcome is not Outcome.UNPLACED:
            continue
        if pupil.pupil_id in already:
            pupil.outcome, pupil.class_id = Outcome.ALREADY_ENROLLED, already[pupil.pupil_id]
        elif pupil.level_code is not None:
            groups[pupil.level_code, pupil.stream_id].append(pupil)
    sizes = await _class_sizes(session, school_id, year)
    moves = []
    for (level_code, stream_id), group in groups.items():
        classes = sizes.get((level_code, stream_id))
        if not classes:
            continue
        for pupil in sorted(group, key=lambda p: (p.last_name, str(p.pupil_id))):
            size, name, class_id = min(classes.values())
            classes[class_id] = (size + 1, name, class_id)
            pupil.outcome, pupil.class_id = Outcome.PLACED, class_id
            moves.append((pupil.pupil_id, class_id))
    if moves:
        await move_pupils(session, school_id, year, moves)
    leaving = [p.pupil_id for p in pupils if p.outcome is Outcome.WITHDRAWN]
    if leaving:
        today = school_today()
        closed = await session.scalars(
            update(Enrolment)
            .where(
                Enrolment.pupil_id.in_(leaving),
                Enrolment.school_id == school_id,
                Enrolment.school_year == year - 1,
                Enrolment.left_on.is_(None),
            )
            .values(left_on=today)
            .returning(Enrolment.pupil_id)
        )
        # Integrators are told of those who left, once: a replay closes nothing more.
        left = [(pupil_id, None) for pupil_id in closed.all()]
        await enrolments_changed(session, school_id, year - 1, today, left)


async def _class_sizes(
    session: AsyncSession, school_id: uuid.UUID, year: int
) -> dict[tuple[str, uuid.UUID | None], dict[uuid.UUID, tuple[int, str, uuid.UUID]]]:
    """Next year's active classes of the school by level and stream, each with its pupils
    counted: (pupils, name, id), so that `min` picks the least filled, then by name."""
    rows = await session.execute(
        select(
            SchoolClass.id,
            SchoolClass.name,
            SchoolClass.level_code,
            SchoolClass.stream_id,
            func.count(Enrolment.id),
        )
        .outerjoin(
            Enrolment,
            (Enrolment.class_id == SchoolClass.id) & Enrolment.left_on.is_(None),
        )
        .where(
            SchoolClass.school_id == school_id,
            SchoolClass.school_year == year,
            SchoolClass.is_active.is_(True),
        )
        .group_by(SchoolClass.id)
    )
    sizes: dict[tuple[str, uuid.UUID | None], dict[uuid.UUID, tuple[int, str, uuid.UUID]]] = (
        defaultdict(dict)
    )
    for class_id, name, level_code, stream_id, count in rows:
        sizes[level_code, stream_id][class_id] = (count, name, class_id)
    return sizes


async def _write(
    session: AsyncSession,
    rollover_id: uuid.UUID,
    school_id: uuid.UUID,
    year: int,
    pupils: list[_Pupil],
) -> None:
    if not pupils:
        return
    await session.execute(
        insert(RolloverPupil).values(
            [
                {
                    "id": uuid.uuid4(),
                    "rollover_id": rollover_id,
                    "school_id": school_id,
                    "school_year": year,
                    "pupil_id": p.pupil_id,
                    "decision": p.decision,
                    "outcome": p.outcome,
                    "level_code": p.level_code,
                    "stream_id": p.stream_id,
                    "class_id": p.class_id,
                }
                for p in pupils
            ]
        )
    )
