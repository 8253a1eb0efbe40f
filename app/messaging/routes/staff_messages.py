"""Messages from parents, as a teacher (`/teacher/messages`) or a member of a school's staff
(`/school/messages`) reads and answers them: the threads they are the staff member of.

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


def staff_messages(operation_prefix: str) -> APIRouter:
    """The message routes of a staff face; the face's router guards the role."""
    router = APIRouter()

    @router.get("/messages", operation_id=f"{operation_prefix}-threads")
    async def threads(
        page: PageParams, principal: CurrentPrincipal, session: SessionDep
    ) -> ThreadPage:
        """Threads parents started with me, newest activity first, with what is unread."""
        return await messages.list_threads(session, principal, page)

    @router.get("/messages/{thread_id}", operation_id=f"{operation_prefix}-thread")
    async def thread(
        thread_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
    ) -> ThreadDetail:
        """A thread and its messages, oldest first; opening it marks it read."""
        return await messages.read_thread(session, principal, thread_id)

    @router.post(
        "/messages/{thread_id}",
        operation_id=f"{operation_prefix}-reply",
        status_code=status.HTTP_201_CREATED,
    )
    async def reply(
        thread_id: uuid.UUID, message: ReplyIn, principal: CurrentPrincipal, session: SessionDep
    ) -> MessageOut:
        """Reply to the parent; they are notified."""
        return await messages.reply(session, principal, thread_id, message)

    return router
