"""Messages in the parent app (Massar Wali): threads with a child's teachers and school."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import ParentPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.messaging import messages
from app.messaging.schemas import (
    MessageOut,
    NewThreadIn,
    RecipientOut,
    ReplyIn,
    ThreadDetail,
    ThreadPage,
)

router = APIRouter()


@router.get("/children/{child_id}/recipients", operation_id="parent-recipients")
async def recipients(
    child_id: uuid.UUID, principal: ParentPrincipal, session: SessionDep
) -> list[RecipientOut]:
    """Who I may write to about my child: the school's staff and the class's teachers."""
    return await messages.recipients(session, principal, child_id)


@router.get("/messages", operation_id="parent-threads")
async def threads(page: PageParams, principal: ParentPrincipal, session: SessionDep) -> ThreadPage:
    """My threads, newest activity first, with what is unread."""
    return await messages.list_threads(session, principal, page)


@router.post("/messages", operation_id="parent-start-thread", status_code=status.HTTP_201_CREATED)
async def start_thread(
    new: NewThreadIn, principal: ParentPrincipal, session: SessionDep
) -> ThreadDetail:
    """Write to a teacher or staff member about my child (one of …/recipients)."""
    return await messages.start_thread(session, principal, new)


@router.get("/messages/{thread_id}", operation_id="parent-thread")
async def thread(
    thread_id: uuid.UUID, principal: ParentPrincipal, session: SessionDep
) -> ThreadDetail:
    """A thread and its messages, oldest first; opening it marks it read."""
    return await messages.read_thread(session, principal, thread_id)


@router.post(
    "/messages/{thread_id}", operation_id="parent-reply", status_code=status.HTTP_201_CREATED
)
async def reply(
    thread_id: uuid.UUID, message: ReplyIn, principal: ParentPrincipal, session: SessionDep
) -> MessageOut:
    """Reply in one of my threads."""
    return await messages.reply(session, principal, thread_id, message)
