"""The public face: what anyone reads without a login, today the schools' published websites.

No route here depends on a principal; a token sent along is ignored. Every answer carries an
ETag (304 on If-None-Match) and may be kept five minutes by browsers and shared caches.

(No `from __future__ import annotations` here, as in `pupil_views`: the routes are built by
a helper and FastAPI must resolve their annotations at that moment.)
"""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from app.core.caching import NOT_MODIFIED, conditional_json
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.schemas import Page
from app.modules.websites import public as websites_public
from app.modules.websites.schemas import (
    PublicEvent,
    PublicImage,
    PublicNews,
    PublicNewsItem,
    PublicSchool,
)

router = APIRouter(prefix="/public", tags=["public"])
PUBLIC_CACHE = "public, max-age=300"
SchoolCode = Annotated[str, Path(pattern=r"^[0-9A-Z]{5,12}$", examples=["25001A"])]


def _read(path: str, name: str, model: Any) -> Callable[[Any], Any]:
    return router.get(
        path, operation_id=f"public-{name}", response_model=model, responses=NOT_MODIFIED
    )


@_read("/schools/{school_code}", "school", PublicSchool)
async def school(request: Request, school_code: SchoolCode, session: SessionDep) -> Response:
    """A school's published site: presentation, contacts, cycles, directorate and academy."""
    page = await websites_public.school_page(session, school_code)
    return conditional_json(request, page, cache_control=PUBLIC_CACHE)


@_read("/schools/{school_code}/news", "school-news", Page[PublicNewsItem])
async def news(
    request: Request, school_code: SchoolCode, session: SessionDep, page: PageParams
) -> Response:
    """The school's published news, newest first."""
    items = await websites_public.news_page(
        session, school_code, limit=page.limit, after=page.position()
    )
    return conditional_json(request, items, cache_control=PUBLIC_CACHE)


@_read("/schools/{school_code}/news/{news_id}", "school-news-item", PublicNews)
async def news_item(
    request: Request, school_code: SchoolCode, news_id: uuid.UUID, session: SessionDep
) -> Response:
    """One published news item, with its body (plain text)."""
    item = await websites_public.news_item(session, school_code, news_id)
    return conditional_json(request, item, cache_control=PUBLIC_CACHE)


@_read("/schools/{school_code}/events", "school-events", Page[PublicEvent])
async def events(
    request: Request,
    school_code: SchoolCode,
    session: SessionDep,
    page: PageParams,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
) -> Response:
    """The school's published events, soonest first: those not over yet, or with `from` /
    `to` (school-local days, inclusive) those that overlap these days."""
    items = await websites_public.events_page(
        session, school_code, start=from_, end=to, limit=page.limit, after=page.position()
    )
    return conditional_json(request, items, cache_control=PUBLIC_CACHE)


@_read("/schools/{school_code}/gallery", "school-gallery", Page[PublicImage])
async def gallery(
    request: Request, school_code: SchoolCode, session: SessionDep, page: PageParams
) -> Response:
    """The school's published gallery: image links (https) and captions, newest first."""
    items = await websites_public.gallery_page(
        session, school_code, limit=page.limit, after=page.position()
    )
    return conditional_json(request, items, cache_control=PUBLIC_CACHE)
