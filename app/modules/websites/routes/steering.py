"""School websites as steering follows them: which schools of my part of the tree have a site
online, and how recently they published."""

from __future__ import annotations

from fastapi import APIRouter

from app.accounts.guards import SteeringPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.websites import steering as websites_steering
from app.modules.websites.schemas import SiteStatus

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
