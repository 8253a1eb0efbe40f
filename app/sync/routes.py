"""The offline queue, replayed."""

from __future__ import annotations

from fastapi import APIRouter

from app.accounts.guards import TeacherPrincipal
from app.core.db.session import SessionDep
from app.sync import replay as sync
from app.sync.schemas import SyncBatchIn, SyncBatchOut

router = APIRouter()


@router.post("/sync", operation_id="teacher-sync")
async def replay(
    batch: SyncBatchIn, principal: TeacherPrincipal, session: SessionDep
) -> SyncBatchOut:
    """Apply queued attendance, marks and lessons in order, each answered on its own.

    Operations already received (by their id) are not applied again: their first answer is
    returned, so replaying a batch changes nothing.
    """
    return await sync.apply_batch(session, principal, batch)
