"""Messages in the parent app (Massar Wali): a parent starts threads with a child's teachers and
school; reading and replying are the routes every face shares (`routes.threads`)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import ParentPrincipal
from app.core.db.session import SessionDep
from app.messaging import messages
from app.messaging.schemas import NewThreadIn, RecipientOut, ThreadDetail

router = APIRouter()


@router.get("/children/{child_id}/recipients", operation_id="parent-recipients")
async def recipients(
    child_id: uuid.UUID, principal: ParentPrincipal, session: SessionDep
) -> list[RecipientOut]:
    """Who I may write to about my child: the school's staff and the class's teachers."""
    return await messages.recipients(session, principal, child_id)


@router.post("/messages", operation_id="parent-start-thread", status_code=status.HTTP_201_CREATED)
async def start_thread(
    new: NewThreadIn, principal: ParentPrincipal, session: SessionDep
) -> ThreadDetail:
    """Write to a teacher or staff member about my child (one of …/recipients)."""
    return await messages.start_thread(session, principal, new)
