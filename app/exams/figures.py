"""A deliberated session's figures: candidates, present, admitted, resit and refused, the pass
rate by gender, stream and unit, the mentions and the distribution of averages.

Kept per school, gender and stream (`ExamSchoolSummary`), rewritten from the results in the
transaction that changes them: the deliberation, the publication and an accepted appeal. A
unit's figures sum its schools' rows (a directorate's, an academy's or the ministry's: an
indexed equality on `schools`), and never read a result. The rows carry when they were
computed; a figure's `as_of` is the oldest of those it sums."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.roles import Level
from app.core.security.principal import Principal
from app.errors import NotFound
from app.exams.models import (
    EXAM_HISTOGRAM_BINS,
    ExamSchoolSummary,
    ExamState,
)
from app.exams.organising import readable_session, require_state
from app.exams.scale import scale_of
from app.exams.schemas import (
    ExamCounts,
    ExamFigures,
    ExamGroupFigures,
    ExamMentionCount,
    ExamUnitFigures,
)
from app.organisation import units as tree
from app.organisation.models import School
from app.organisation.schemas import UnitLevel, UnitOut

_RATE = Decimal("0.0001")
_COUNTS = ("candidates", "present", "admitted", "resit", "refused", "averaged", "total")


async def session_figures(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, unit_id: uuid.UUID | None
) -> ExamFigures:
    """The session's figures over the caller's unit, or over a unit beneath it: once the
    session is deliberated (409 before)."""
    exam = await readable_session(session, principal, session_id)
    require_state(exam, ExamState.DELIBERATED, ExamState.PUBLISHED)
    unit = await _unit(session, principal, unit_id)
    scale = await scale_of(session, exam.level_code)
    summary = ExamSchoolSummary
    mentions = len(exam.mentions)
    of_unit = (
        select()
        .select_from(summary)
        .join(School, School.id == summary.school_id)
        .where(summary.session_id == exam.id, tree.in_unit(unit))
    )
    sums = [func.coalesce(func.sum(getattr(summary, c)), 0).label(c) for c in _COUNTS]
    whole = (
        await session.execute(
            of_unit.add_columns(
                *sums,
                func.min(summary.as_of).label("as_of"),
                *(func.sum(summary.histogram[b + 1]) for b in range(EXAM_HISTOGRAM_BINS)),
                *(func.sum(summary.mentions[m + 1]) for m in range(mentions)),
            )
        )
    ).one()
    bins = whole[len(_COUNTS) + 1 :][:EXAM_HISTOGRAM_BINS]
    admitted = whole[len(_COUNTS) + 1 + EXAM_HISTOGRAM_BINS :]

    async def grouped(key: Any) -> list[Any]:
        statement = of_unit.add_columns(key.label("key"), *sums).group_by(key).order_by(key)
        return list(await session.execute(statement))

    return ExamFigures(
        session_id=exam.id,
        unit=unit,
        as_of=whole.as_of,
        counts=_counts(whole),
        by_gender=[
            ExamGroupFigures(key=r.key, counts=_counts(r)) for r in await grouped(summary.gender)
        ],
        by_stream=[
            ExamGroupFigures(key=r.key, counts=_counts(r))
            for r in await grouped(summary.stream_code)
        ],
        by_unit=await _by_unit(session, unit, await grouped(tree.child_key(unit)))
        if unit.level is not UnitLevel.SCHOOL
        else [],
        mentions=[
            ExamMentionCount(
                threshold=m["threshold"], fr=m["fr"], ar=m["ar"], admitted=admitted[i] or 0
            )
            for i, m in enumerate(exam.mentions)
        ],
        mean=_share(whole.total, whole.averaged, Decimal("0.01")),
        histogram=[b or 0 for b in bins],
        bin_width=scale.max_mark / EXAM_HISTOGRAM_BINS,
    )


async def _unit(session: AsyncSession, principal: Principal, unit_id: uuid.UUID | None) -> UnitOut:
    """The unit asked for, in the caller's part of the tree (404 outside it); the caller's
    own by default (a school's staff: their school, and only it)."""
    if principal.level is Level.SCHOOL:
        school = await session.get(School, principal.school_id)
        if school is None or unit_id not in (None, school.id):
            raise NotFound()
        return UnitOut(
            level=UnitLevel.SCHOOL,
            id=school.id,
            code=school.code,
            name_fr=school.name_fr,
            name_ar=school.name_ar,
        )
    if unit_id is None:
        return await tree.own_unit(session, principal)
    return await tree.find_unit(session, principal, unit_id)


async def _by_unit(session: AsyncSession, unit: UnitOut, rows: list[Any]) -> list[ExamUnitFigures]:
    below = {u.id: u for u in await tree.units_below(session, unit)}
    return [ExamUnitFigures(unit=below[r.key], counts=_counts(r)) for r in rows if r.key in below]


def _counts(row: Any) -> ExamCounts:
    return ExamCounts(
        candidates=row.candidates,
        present=row.present,
        admitted=row.admitted,
        resit=row.resit,
        refused=row.refused,
        pass_rate=_share(row.admitted, row.present, _RATE),
    )


def _share(part: Any, whole: Any, places: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(places, rounding=ROUND_HALF_UP)
