"""School websites as steering follows them: which schools of my part of the tree have a site
online, and how recently they published."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.params import PageParams
from app.db.session import SessionDep
from app.schemas.common import Page
from app.schemas.websites import SiteStatus
from app.security.deps import SteeringPrincipal
from app.services import websites_steering

router = APIRouter()


@router.get("/websites", operation_id="steering-websites")
async def list_websites(
    principal: SteeringPrincipal,
    session: SessionDep,
    page: PageParams,
    published: bool | None = None,
) -> Page[SiteStatus]:
    """The schools of my part of the tree, by code, with their site's status (`published`:
    only schools whose site is online, or only those whose site is not)."""
    return await websites_steering.list_sites(
        session, principal, published=published, limit=page.limit, after=page.position()
    )
