"""Replaying the teacher app's offline queue: each operation applied or rejected on its own,
and remembered, so a replayed batch changes nothing and gets the same answers."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.lessons import log_lesson
from app.academics.schemas import LessonIn
from app.assessment.marks import save_marks
from app.assessment.schemas import MarkIn
from app.attendance.roll_calls import record_attendance
from app.attendance.schemas import RollCallIn
from app.core.security.principal import Principal
from app.errors import InvalidInput, ProblemError, field_errors
from app.sync.models import SyncOperation
from app.sync.schemas import SyncBatchIn, SyncBatchOut, SyncOperationIn, SyncOutcome

M = TypeVar("M")
_marks_adapter = TypeAdapter(list[MarkIn])


async def apply_batch(
    session: AsyncSession, principal: Principal, batch: SyncBatchIn
) -> SyncBatchOut:
    """Apply the operations in order; each in its own savepoint, each answered on its own."""
    known = await _known_outcomes(session, principal, [op.id for op in batch.operations])
    results = []
    for operation in batch.operations:
        outcome = known.get(operation.id)
        if outcome is None:
            outcome = await _apply_once(session, principal, operation)
            known[operation.id] = outcome
        results.append(outcome)
    return SyncBatchOut(results=results)


async def _known_outcomes(
    session: AsyncSession, principal: Principal, ids: list[uuid.UUID]
) -> dict[uuid.UUID, SyncOutcome]:
    rows = await session.scalars(
        select(SyncOperation).where(
            SyncOperation.user_id == principal.user_id, SyncOperation.id.in_(ids)
        )
    )
    return {row.id: SyncOutcome.model_validate(row.outcome) for row in rows}


async def _apply_once(
    session: AsyncSession, principal: Principal, operation: SyncOperationIn
) -> SyncOutcome:
    try:
        async with session.begin_nested():
            result = await _HANDLERS[operation.type](session, principal, operation)
        outcome = SyncOutcome(
            id=operation.id,
            type=operation.type,
            status="applied",
            http_status=200,
            result=result.model_dump(mode="json"),
        )
    except ProblemError as problem:
        outcome = SyncOutcome(
            id=operation.id,
            type=operation.type,
            status="rejected",
            http_status=problem.status,
            code=problem.kind,
            errors=problem.errors,
        )
    session.add(
        SyncOperation(
            user_id=principal.user_id,
            id=operation.id,
            kind=operation.type,
            status=outcome.http_status,
            outcome=outcome.model_dump(mode="json"),
        )
    )
    await session.flush()
    return outcome


def _parse(adapter: TypeAdapter[M], body: Any) -> M:
    try:
        return adapter.validate_python(body)
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc.errors(), ("body",))) from None


async def _attendance(
    session: AsyncSession, principal: Principal, op: SyncOperationIn
) -> BaseModel:
    assert op.class_id is not None
    roll_call = _parse(TypeAdapter(RollCallIn), op.body)
    return await record_attendance(session, principal, op.class_id, roll_call)


async def _marks(session: AsyncSession, principal: Principal, op: SyncOperationIn) -> BaseModel:
    assert op.test_id is not None
    rows: list[MarkIn] = _parse(_marks_adapter, op.body)
    return await save_marks(session, principal, op.test_id, rows)


async def _lesson(session: AsyncSession, principal: Principal, op: SyncOperationIn) -> BaseModel:
    assert op.class_id is not None
    entry = _parse(TypeAdapter(LessonIn), op.body)
    # The operation id becomes the lesson id: the same lesson cannot be logged twice.
    return await log_lesson(session, principal, op.class_id, entry, lesson_id=op.id)


_HANDLERS: dict[str, Callable[[AsyncSession, Principal, SyncOperationIn], Awaitable[BaseModel]]] = {
    "attendance": _attendance,
    "marks": _marks,
    "lesson": _lesson,
}
