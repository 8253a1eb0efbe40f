"""What a pupil and their parents read of the councils: validated decisions only."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Level, SchoolClass, Stream
from app.academics.schemas import StreamRef
from app.councils.models import ClassCouncil, CouncilDecision, Decision
from app.councils.schemas import PupilDecisionOut

Chosen = TypeVar("Chosen", bound=Select[*tuple[Any, ...]])


def _validated(statement: Chosen) -> Chosen:
    """`statement` over the decisions of validated councils, with their class."""
    return (
        statement.join(
            ClassCouncil,
            (ClassCouncil.id == CouncilDecision.council_id)
            & (ClassCouncil.school_id == CouncilDecision.school_id),
        )
        .join(SchoolClass, SchoolClass.id == ClassCouncil.class_id)
        .where(ClassCouncil.validated_at.is_not(None))
    )


async def pupil_decisions(session: AsyncSession, pupil_id: uuid.UUID) -> list[PupilDecisionOut]:
    """The pupil's validated council decisions, the latest year first."""
    rows = (
        await session.execute(
            _validated(select(CouncilDecision, SchoolClass, Level.max_mark, Stream))
            .join(Level, Level.code == SchoolClass.level_code)
            .outerjoin(Stream, Stream.id == CouncilDecision.stream_id)
            .where(CouncilDecision.pupil_id == pupil_id)
            .order_by(CouncilDecision.school_year.desc())
        )
    ).all()
    return [
        PupilDecisionOut(
            school_year=decision.school_year,
            level_code=school_class.level_code,
            class_name=school_class.name,
            decision=decision.decision,
            stream=StreamRef.model_validate(stream) if stream is not None else None,
            annual_average=decision.annual_average,
            max_mark=max_mark,
            remarks=decision.remarks,
        )
        for decision, school_class, max_mark, stream in rows
    ]


async def year_decision(
    session: AsyncSession, pupil_id: uuid.UUID, year: int
) -> PupilDecisionOut | None:
    """The pupil's validated council decision of that year, if the council is validated."""
    decisions = await pupil_decisions(session, pupil_id)
    return next((d for d in decisions if d.school_year == year), None)


async def decisions_by_year(session: AsyncSession, pupil_id: uuid.UUID) -> dict[int, Decision]:
    """The pupil's validated council decision of each year, for their history."""
    rows = await session.execute(
        _validated(select(CouncilDecision.school_year, CouncilDecision.decision)).where(
            CouncilDecision.pupil_id == pupil_id
        )
    )
    return dict(rows.all())
