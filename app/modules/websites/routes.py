"""School websites (site web de l'établissement), each endpoint written once for the faces
that serve it: the school's staff (`/school/website`: presentation and contacts, news, events
and gallery links, written as drafts and published when ready), directorates, academies and
the ministry (`/steering/websites`: which schools have a site online), and anyone without a
login (`/public/schools/{school_code}`: the published sites).

News, events and gallery links are one shape, written once and mounted per kind.

(No `from __future__ import annotations`: routes are built per kind, and FastAPI must resolve
their annotations when they are made.)
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from app.accounts.guards import CurrentPrincipal
from app.core.caching import NOT_MODIFIED, conditional_json
from app.core.db.session import SessionDep
from app.core.params import PageParams
from app.core.routing import RouteGroup, face_routes, path_id
from app.core.schemas import Page
from app.modules.websites import editing as websites
from app.modules.websites import public as websites_public
from app.modules.websites import steering as websites_steering
from app.modules.websites.models import WebState
from app.modules.websites.schemas import (
    EventIn,
    ImageIn,
    NewsIn,
    PublicEvent,
    PublicImage,
    PublicNews,
    PublicNewsItem,
    PublicSchool,
    SiteIn,
    SiteOut,
    SiteStatus,
    WebsiteInput,
)

WebsiteFace = Literal["school", "steering"]
PUBLIC_CACHE = "public, max-age=300"
SchoolCode = Annotated[str, Path(pattern=r"^[0-9A-Z]{5,12}$", examples=["25001A"])]


def website_routes(face: WebsiteFace) -> APIRouter:
    """The website endpoints of one staff face, with its operation ids."""
    return face_routes(face, _FACE_ROUTES[face])


def _writing(router: APIRouter, face: str) -> None:
    """The school's site, then its news, events and gallery links."""
    _site(router, face)
    for kind in (NEWS, EVENTS, IMAGES):
        _items(router, face, kind)


# ---- the school: its site ---------------------------------------------------------------------


def _site(router: APIRouter, face: str) -> None:
    @router.get("/website", operation_id=f"{face}-website")
    async def get_site(principal: CurrentPrincipal, session: SessionDep) -> SiteOut:
        """Our site's presentation and contacts, as we edit them (404 until first written)."""
        return await websites.get_site(session, principal)

    @router.put("/website", operation_id=f"{face}-website-write")
    async def write_site(
        content: SiteIn, principal: CurrentPrincipal, session: SessionDep
    ) -> SiteOut:
        """Write the presentation and contacts (created as a draft; 409 while published)."""
        return await websites.write_site(session, principal, content)

    @router.post("/website/publish", operation_id=f"{face}-website-publish")
    async def publish_site(principal: CurrentPrincipal, session: SessionDep) -> SiteOut:
        """Put the site online: the public pages of the school answer from now on."""
        return await websites.move_site(session, principal, "publish")

    @router.post("/website/unpublish", operation_id=f"{face}-website-unpublish")
    async def unpublish_site(principal: CurrentPrincipal, session: SessionDep) -> SiteOut:
        """Take the site offline (back to a draft that may be edited)."""
        return await websites.move_site(session, principal, "unpublish")


# ---- the school: news, events and gallery links, one shape ---------------------------------


async def _item_action(action: websites.ItemAction) -> websites.ItemAction:
    """The move named in the path (read after the item, so the path's order is kept)."""
    return action


Action = Annotated[websites.ItemAction, Depends(_item_action)]


@dataclass(frozen=True, slots=True)
class ItemRoutes:
    """A kind of site item as its routes show it: the service's kind, the word in its paths
    and operation ids, the path parameter that names one, what is written, and how the
    descriptions call it."""

    kind: websites.Kind[Any, Any]
    word: str
    id_name: str
    content: type[WebsiteInput]
    one: str
    many: str
    order: str
    readable: bool = True


NEWS = ItemRoutes(
    websites.NEWS,
    "news",
    "news_id",
    NewsIn,
    "a news item",
    "news items",
    "newest first",
)
EVENTS = ItemRoutes(
    websites.EVENTS,
    "events",
    "event_id",
    EventIn,
    "an event",
    "events",
    "latest start first",
)
IMAGES = ItemRoutes(
    websites.IMAGES,
    "images",
    "image_id",
    ImageIn,
    "a gallery link",
    "gallery links",
    "newest first",
    readable=False,  # a link shows whole in the list
)


def _items(router: APIRouter, face: str, kind: ItemRoutes) -> None:
    """List, write, read, rewrite, move and delete the items of one kind; the operation ids
    are `{face}-website-{word}` and its suffixes."""
    ItemId = Annotated[uuid.UUID, Depends(path_id(kind.id_name))]  # noqa: N806  (a type alias)
    Content = kind.content  # noqa: N806  (the kind's input: FastAPI reads the body as it)
    out, path, operation = kind.kind.out, f"/website/{kind.word}", f"{face}-website-{kind.word}"
    pages = Page[out]  # type: ignore[valid-type]
    one_path = f"{path}/{{{kind.id_name}}}"

    @router.get(
        path,
        operation_id=operation,
        response_model=pages,
        summary=f"List {kind.many}",
        description=f"Our {kind.many}, {kind.order}.",
    )
    async def list_items(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        state: WebState | None = None,
    ) -> Any:
        return await websites.item_page(session, principal, kind.kind, page, state=state)

    @router.post(
        path,
        operation_id=f"{operation}-create",
        status_code=status.HTTP_201_CREATED,
        response_model=out,
        summary=f"Write {kind.one}",
        description=f"Write {kind.one} (a draft).",
    )
    async def create_item(
        content: Content,  # type: ignore[valid-type]
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> Any:
        return await websites.create_item(session, principal, kind.kind, content)

    if kind.readable:

        @router.get(
            one_path,
            operation_id=f"{operation}-get",
            response_model=out,
            summary=f"Read {kind.one}",
            description=f"One of our {kind.many}.",
        )
        async def get_item(
            item_id: ItemId, principal: CurrentPrincipal, session: SessionDep
        ) -> Any:
            return await websites.get_item(session, principal, kind.kind, item_id)

    @router.put(
        one_path,
        operation_id=f"{operation}-edit",
        response_model=out,
        summary=f"Rewrite {kind.one}",
        description=f"Rewrite {kind.one} while it is a draft (409 once published).",
    )
    async def edit_item(
        item_id: ItemId,
        content: Content,  # type: ignore[valid-type]
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> Any:
        return await websites.edit_item(session, principal, kind.kind, item_id, content)

    @router.post(
        f"{one_path}/{{action}}",
        operation_id=f"{operation}-action",
        response_model=out,
        summary=f"Publish, unpublish, archive or restore {kind.one}",
        description=f"Publish, unpublish, archive or restore {kind.one}.",
    )
    async def act_on_item(
        item_id: ItemId,
        action: Action,
        principal: CurrentPrincipal,
        session: SessionDep,
    ) -> Any:
        return await websites.act_on_item(session, principal, kind.kind, item_id, action)

    @router.delete(
        one_path,
        operation_id=f"{operation}-delete",
        status_code=status.HTTP_204_NO_CONTENT,
        summary=f"Delete {kind.one}",
        description=f"Delete {kind.one} that is a draft or archived (409 while published).",
    )
    async def delete_item(
        item_id: ItemId, principal: CurrentPrincipal, session: SessionDep
    ) -> None:
        await websites.delete_item(session, principal, kind.kind, item_id)


# ---- steering: the sites of my part of the tree ----------------------------------------------


def _following(router: APIRouter, face: str) -> None:
    @router.get("/websites", operation_id=f"{face}-websites")
    async def list_websites(
        principal: CurrentPrincipal,
        session: SessionDep,
        page: PageParams,
        published: bool | None = None,
    ) -> Page[SiteStatus]:
        """The schools of my part of the tree, by code, with their site's status (`published`:
        only schools whose site is online, or only those whose site is not)."""
        return await websites_steering.list_sites(session, principal, page, published=published)


_FACE_ROUTES: dict[WebsiteFace, tuple[RouteGroup, ...]] = {
    "school": (_writing,),
    "steering": (_following,),
}


# ---- the public: published sites -------------------------------------------------------------


def public_routes() -> APIRouter:
    """What anyone reads without a login: the schools' published sites. No route depends on
    a principal (a token sent along is ignored); every answer carries an ETag (304 on
    If-None-Match) and may be kept five minutes by browsers and shared caches."""
    router = APIRouter()

    def read(path: str, name: str, model: Any) -> Callable[[Any], Any]:
        return router.get(
            path, operation_id=f"public-{name}", response_model=model, responses=NOT_MODIFIED
        )

    @read("/schools/{school_code}", "school", PublicSchool)
    async def school(request: Request, school_code: SchoolCode, session: SessionDep) -> Response:
        """A school's published site: presentation, contacts, cycles, directorate and
        academy."""
        page = await websites_public.school_page(session, school_code)
        return conditional_json(request, page, cache_control=PUBLIC_CACHE)

    @read("/schools/{school_code}/news", "school-news", Page[PublicNewsItem])
    async def news(
        request: Request, school_code: SchoolCode, session: SessionDep, page: PageParams
    ) -> Response:
        """The school's published news, newest first."""
        items = await websites_public.news_page(session, school_code, page)
        return conditional_json(request, items, cache_control=PUBLIC_CACHE)

    @read("/schools/{school_code}/news/{news_id}", "school-news-item", PublicNews)
    async def news_item(
        request: Request, school_code: SchoolCode, news_id: uuid.UUID, session: SessionDep
    ) -> Response:
        """One published news item, with its body (plain text)."""
        item = await websites_public.news_item(session, school_code, news_id)
        return conditional_json(request, item, cache_control=PUBLIC_CACHE)

    @read("/schools/{school_code}/events", "school-events", Page[PublicEvent])
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
        items = await websites_public.events_page(session, school_code, page, start=from_, end=to)
        return conditional_json(request, items, cache_control=PUBLIC_CACHE)

    @read("/schools/{school_code}/gallery", "school-gallery", Page[PublicImage])
    async def gallery(
        request: Request, school_code: SchoolCode, session: SessionDep, page: PageParams
    ) -> Response:
        """The school's published gallery: image links (https) and captions, newest first."""
        items = await websites_public.gallery_page(session, school_code, page)
        return conditional_json(request, items, cache_control=PUBLIC_CACHE)

    return router
