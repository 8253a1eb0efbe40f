"""A parent's children, in the parent app (Massar Wali): the child switcher, and linking or
unlinking a child."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import ParentPrincipal
from app.core.db.session import SessionDep
from app.core.hot_reads import HotCall, hot_read
from app.family import links as family
from app.family.schemas import Child, LinkChildIn

router = APIRouter()


async def lean_children(call: HotCall) -> list[Child]:
    """The child switcher on the lean path (`core/hot_reads.py`): the same read."""
    return await family.children(call.db, call.principal)


@router.get("/children", operation_id="parent-children")
@hot_read(lean_children)
async def children(principal: ParentPrincipal, session: SessionDep) -> list[Child]:
    """My children (the child switcher)."""
    return await family.children(session, principal)


@router.post("/children", operation_id="parent-link-child", status_code=status.HTTP_201_CREATED)
async def link_child(
    request: LinkChildIn, principal: ParentPrincipal, session: SessionDep
) -> Child:
    """Link a child with their Massar code, birth date and the code their school gave me.

    Any wrong detail gives the same answer; repeated failures are throttled (429).
    """
    try:
        return await family.link_child(session, principal, request)
    except family.LinkRefused:
        # The failed attempt must be counted even though the request fails.
        await session.commit()
        raise


@router.delete(
    "/children/{child_id}",
    operation_id="parent-unlink-child",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def unlink_child(
    child_id: uuid.UUID, principal: ParentPrincipal, session: SessionDep
) -> None:
    """Remove a child from my account."""
    await family.unlink_child(session, principal, child_id)
