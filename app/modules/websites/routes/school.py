"""The school's website (site web de l'établissement): presentation and contacts, news, events
and gallery links, written by the school's staff and published when ready."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.accounts.guards import SchoolStaffPrincipal
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.websites import editing as websites
from app.modules.websites.editing import EVENTS, IMAGES, NEWS, ItemAction
from app.modules.websites.models import WebState
from app.modules.websites.schemas import (
    EventIn,
    EventOut,
    ImageIn,
    ImageOut,
    NewsIn,
    NewsOut,
    SiteIn,
    SiteOut,
)

router = APIRouter(prefix="/website")
CREATED = status.HTTP_201_CREATED
NO_CONTENT = status.HTTP_204_NO_CONTENT


# ---- the site ------------------------------------------------------------------------------


@router.get("", operation_id="school-website")
async def get_site(principal: SchoolStaffPrincipal, session: SessionDep) -> SiteOut:
    """Our site's presentation and contacts, as we edit them (404 until first written)."""
    return await websites.get_site(session, principal)


@router.put("", operation_id="school-website-write")
async def write_site(
    content: SiteIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> SiteOut:
    """Write the presentation and contacts (created as a draft; 409 while published)."""
    return await websites.write_site(session, principal, content)


@router.post("/publish", operation_id="school-website-publish")
async def publish_site(principal: SchoolStaffPrincipal, session: SessionDep) -> SiteOut:
    """Put the site online: the public pages of the school answer from now on."""
    return await websites.move_site(session, principal, "publish")


@router.post("/unpublish", operation_id="school-website-unpublish")
async def unpublish_site(principal: SchoolStaffPrincipal, session: SessionDep) -> SiteOut:
    """Take the site offline (back to a draft that may be edited)."""
    return await websites.move_site(session, principal, "unpublish")


# ---- news ----------------------------------------------------------------------------------


@router.get("/news", operation_id="school-website-news")
async def list_news(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    state: WebState | None = None,
) -> Page[NewsOut]:
    """Our news, newest first."""
    return await websites.item_page(
        session, principal, NEWS, state=state, limit=page.limit, after=page.position()
    )


@router.post("/news", operation_id="school-website-news-create", status_code=CREATED)
async def create_news(
    content: NewsIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> NewsOut:
    """Write a news item (a draft)."""
    return await websites.create_item(session, principal, NEWS, content)


@router.get("/news/{news_id}", operation_id="school-website-news-get")
async def get_news(
    news_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> NewsOut:
    """One of our news items."""
    return await websites.get_item(session, principal, NEWS, news_id)


@router.put("/news/{news_id}", operation_id="school-website-news-edit")
async def edit_news(
    news_id: uuid.UUID, content: NewsIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> NewsOut:
    """Rewrite a draft news item (409 once published)."""
    return await websites.edit_item(session, principal, NEWS, news_id, content)


@router.post("/news/{news_id}/{action}", operation_id="school-website-news-action")
async def act_on_news(
    news_id: uuid.UUID, action: ItemAction, principal: SchoolStaffPrincipal, session: SessionDep
) -> NewsOut:
    """Publish, unpublish, archive or restore a news item."""
    return await websites.act_on_item(session, principal, NEWS, news_id, action)


@router.delete("/news/{news_id}", operation_id="school-website-news-delete", status_code=NO_CONTENT)
async def delete_news(
    news_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> None:
    """Delete a draft or archived news item (409 while published)."""
    await websites.delete_item(session, principal, NEWS, news_id)


# ---- events --------------------------------------------------------------------------------


@router.get("/events", operation_id="school-website-events")
async def list_events(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    state: WebState | None = None,
) -> Page[EventOut]:
    """Our events, latest start first."""
    return await websites.item_page(
        session, principal, EVENTS, state=state, limit=page.limit, after=page.position()
    )


@router.post("/events", operation_id="school-website-events-create", status_code=CREATED)
async def create_event(
    content: EventIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> EventOut:
    """Announce an event (a draft)."""
    return await websites.create_item(session, principal, EVENTS, content)


@router.get("/events/{event_id}", operation_id="school-website-events-get")
async def get_event(
    event_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> EventOut:
    """One of our events."""
    return await websites.get_item(session, principal, EVENTS, event_id)


@router.put("/events/{event_id}", operation_id="school-website-events-edit")
async def edit_event(
    event_id: uuid.UUID, content: EventIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> EventOut:
    """Rewrite a draft event (409 once published)."""
    return await websites.edit_item(session, principal, EVENTS, event_id, content)


@router.post("/events/{event_id}/{action}", operation_id="school-website-events-action")
async def act_on_event(
    event_id: uuid.UUID, action: ItemAction, principal: SchoolStaffPrincipal, session: SessionDep
) -> EventOut:
    """Publish, unpublish, archive or restore an event."""
    return await websites.act_on_item(session, principal, EVENTS, event_id, action)


@router.delete(
    "/events/{event_id}", operation_id="school-website-events-delete", status_code=NO_CONTENT
)
async def delete_event(
    event_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> None:
    """Delete a draft or archived event (409 while published)."""
    await websites.delete_item(session, principal, EVENTS, event_id)


# ---- gallery -------------------------------------------------------------------------------


@router.get("/images", operation_id="school-website-images")
async def list_images(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    page: PageParams,
    state: WebState | None = None,
) -> Page[ImageOut]:
    """Our gallery links, newest first."""
    return await websites.item_page(
        session, principal, IMAGES, state=state, limit=page.limit, after=page.position()
    )


@router.post("/images", operation_id="school-website-images-create", status_code=CREATED)
async def create_image(
    content: ImageIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> ImageOut:
    """Add a gallery link (an https image address and a caption; a draft)."""
    return await websites.create_item(session, principal, IMAGES, content)


@router.put("/images/{image_id}", operation_id="school-website-images-edit")
async def edit_image(
    image_id: uuid.UUID, content: ImageIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> ImageOut:
    """Change a draft gallery link (409 once published)."""
    return await websites.edit_item(session, principal, IMAGES, image_id, content)


@router.post("/images/{image_id}/{action}", operation_id="school-website-images-action")
async def act_on_image(
    image_id: uuid.UUID, action: ItemAction, principal: SchoolStaffPrincipal, session: SessionDep
) -> ImageOut:
    """Publish, unpublish, archive or restore a gallery link."""
    return await websites.act_on_item(session, principal, IMAGES, image_id, action)


@router.delete(
    "/images/{image_id}", operation_id="school-website-images-delete", status_code=NO_CONTENT
)
async def delete_image(
    image_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep
) -> None:
    """Delete a draft or archived gallery link (409 while published)."""
    await websites.delete_item(session, principal, IMAGES, image_id)
