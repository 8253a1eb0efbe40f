"""The parent app's face (Massar Wali): parents only, their verified children only."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request, Response, status

from app.accounts.guards import ParentPrincipal, parent_only
from app.attendance.routes import parent_justifications
from app.core.caching import NOT_MODIFIED, conditional_json
from app.core.db.session import SessionDep
from app.family import links as family
from app.family.routes.pupil_views import pupil_views
from app.family.schemas import Child, LinkChildIn
from app.messaging.routes import parent_messages
from app.messaging.routes.threads import message_threads
from app.modules.diagnostics.routes.pupil import diagnostics_view
from app.modules.sports import fixtures as sport_fixtures
from app.modules.sports.schemas import PupilSportsOut

router = APIRouter(prefix="/parent", tags=["parent"], dependencies=[Depends(parent_only)])


@router.get("/children", operation_id="parent-children")
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


async def my_child(
    child_id: uuid.UUID, principal: ParentPrincipal, session: SessionDep
) -> uuid.UUID:
    """The child named in the path, if mine (404 otherwise)."""
    return await family.child_of(session, principal, child_id)


@router.get(
    "/children/{child_id}/sports",
    operation_id="parent-child-sports",
    response_model=PupilSportsOut,
    responses=NOT_MODIFIED,
)
async def child_sports(
    request: Request, child_id: uuid.UUID, principal: ParentPrincipal, session: SessionDep
) -> Response:
    """My child's sport licences, teams and their upcoming fixtures."""
    pupil_id = await family.child_of(session, principal, child_id)
    return conditional_json(request, await sport_fixtures.pupil_sports(session, pupil_id))


router.include_router(
    pupil_views("parent-child", my_child, as_parent=True), prefix="/children/{child_id}"
)
router.include_router(diagnostics_view("parent-child", my_child), prefix="/children/{child_id}")
router.include_router(parent_justifications.router)
router.include_router(parent_messages.router)
router.include_router(message_threads("parent"))
