"""Message threads as each side reads and answers them: a parent (`/parent/messages`), a
teacher (`/teacher/messages`) or a member of a school's staff (`/school/messages`). The service
picks the caller's side, so one set of routes serves the three faces.

(No `from __future__ import annotations` here: the routes are built inside a function and
FastAPI must resolve their annotations at that moment.)
"""

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import CurrentPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.messaging import messages
from app.messaging.schemas import MessageOut, ReplyIn, ThreadDetail, ThreadPage


def message_threads(face: str) -> APIRouter:
    """The thread routes of a face (`parent`, `teacher`, `school`); its router guards the role."""
    router = APIRouter()

    @router.get("/messages", operation_id=f"{face}-threads")
    async def threads(
        page: PageParams, principal: CurrentPrincipal, session: SessionDep
    ) -> ThreadPage:
        """My threads, newest activity first, with what is unread."""
        return await messages.list_threads(session, principal, page)

    @router.get("/messages/{thread_id}", operation_id=f"{face}-thread")
    async def thread(
        thread_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> ThreadDetail:
        """A thread and its messages, oldest first; opening it marks it read."""
        return await messages.read_thread(session, principal, thread_id)

    @router.post(
        "/messages/{thread_id}", operation_id=f"{face}-reply", status_code=status.HTTP_201_CREATED
    )
    async def reply(
        thread_id: uuid.UUID, message: ReplyIn, principal: CurrentPrincipal, session: SessionDep
    ) -> MessageOut:
        """Reply in one of my threads; the other side is notified."""
        return await messages.reply(session, principal, thread_id, message)

    return router
