"""School websites, the school's side: its staff write the presentation and contacts, news,
events and gallery links, and publish them. Everything is a draft first; a published row is
changed only after it is unpublished, so the public never reads a half-edited page.

Every function applies the caller's scope in SQL: another school's row answers 404."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import found, page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page, Schema
from app.core.security.principal import Principal
from app.core.workflow import Workflow, move
from app.modules.websites.models import SchoolSite, SiteEvent, SiteImage, SiteNews, WebState
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
from app.organisation.scopes import school_scope

DRAFT, PUBLISHED, ARCHIVED = WebState.DRAFT, WebState.PUBLISHED, WebState.ARCHIVED

# The site page: edited as a draft, put online, taken offline to be changed again.
SITE_FLOW = Workflow(
    {
        "edit": move(DRAFT, DRAFT),
        "publish": move(DRAFT, PUBLISHED),
        "unpublish": move(PUBLISHED, DRAFT),
    }
)
# News, events and images may also be archived (kept, never shown) and deleted when not online.
ITEM_FLOW = Workflow(
    {
        "edit": move(DRAFT, DRAFT),
        "publish": move(DRAFT, PUBLISHED),
        "unpublish": move(PUBLISHED, DRAFT),
        "archive": move({DRAFT, PUBLISHED}, ARCHIVED),
        "restore": move(ARCHIVED, DRAFT),
        "delete": move({DRAFT, ARCHIVED}, ARCHIVED),
    }
)


class ItemAction(StrEnum):
    """A move of a news item, an event or an image."""

    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    ARCHIVE = "archive"
    RESTORE = "restore"


Item = SiteNews | SiteEvent | SiteImage
ItemT = TypeVar("ItemT", SiteNews, SiteEvent, SiteImage)
OutT = TypeVar("OutT", bound=Schema)


def _out(schema: type[OutT], row: SchoolSite | Item, flow: Workflow[WebState]) -> OutT:
    """The row as `schema`, with the actions its state allows."""
    fields = {name: getattr(row, name) for name in schema.model_fields if name != "actions"}
    return schema(**fields, actions=flow.actions(row.state))


def _move(row: SchoolSite | Item, flow: Workflow[WebState], action: str) -> None:
    """Take the action (409 when the state forbids it); a publication is dated now."""
    row.state = flow.next(row.state, action)
    row.published_at = datetime.now(UTC) if row.state is PUBLISHED else None


# ---- the site: presentation and contacts -------------------------------------------------


async def _site(
    session: AsyncSession, principal: Principal, *, lock: bool = True
) -> SchoolSite | None:
    """The school's site; locked when it is about to change, so two editors queue."""
    statement = select(SchoolSite).where(school_scope(principal, SchoolSite.school_id))
    return await session.scalar(statement.with_for_update() if lock else statement)


async def get_site(session: AsyncSession, principal: Principal) -> SiteOut:
    """The school's site as its staff edit it (404 until first written)."""
    site = found(await _site(session, principal, lock=False))
    return _out(SiteOut, site, SITE_FLOW)


async def write_site(session: AsyncSession, principal: Principal, content: SiteIn) -> SiteOut:
    """Write the presentation and contacts: creates the site as a draft the first time; a
    published site must be unpublished first (409)."""
    site = await _site(session, principal)
    if site is None:
        site = SchoolSite(school_id=principal.school_id, state=DRAFT)
        session.add(site)
    else:
        SITE_FLOW.next(site.state, "edit")
    for name, value in content.model_dump().items():
        setattr(site, name, value)
    await session.flush()
    await session.refresh(site)
    return _out(SiteOut, site, SITE_FLOW)


async def move_site(session: AsyncSession, principal: Principal, action: str) -> SiteOut:
    """Publish the site or take it offline."""
    site = found(await _site(session, principal))
    _move(site, SITE_FLOW, action)
    await session.flush()
    await session.refresh(site)
    return _out(SiteOut, site, SITE_FLOW)


# ---- news, events and gallery images: one pattern for the three -------------------------


@dataclass(frozen=True, slots=True)
class Kind(Generic[ItemT, OutT]):
    """A kind of site item: its table, its shape, and the key its staff list is sorted by
    (newest first)."""

    model: type[ItemT]
    out: type[OutT]
    sort: Any

    def shape(self, row: ItemT) -> OutT:
        return _out(self.out, row, ITEM_FLOW)


NEWS = Kind(SiteNews, NewsOut, SiteNews.created_at)
EVENTS = Kind(SiteEvent, EventOut, SiteEvent.starts_at)
IMAGES = Kind(SiteImage, ImageOut, SiteImage.created_at)


async def _own(
    session: AsyncSession,
    principal: Principal,
    model: type[ItemT],
    item_id: uuid.UUID,
    *,
    lock: bool = True,
) -> ItemT:
    """One of the school's rows, locked when it is about to change (404 for any other
    school's)."""
    statement = select(model).where(model.id == item_id, school_scope(principal, model.school_id))
    return found(await session.scalar(statement.with_for_update() if lock else statement))


async def _saved(session: AsyncSession, kind: Kind[ItemT, OutT], row: ItemT) -> OutT:
    await session.flush()
    await session.refresh(row)
    return kind.shape(row)


async def create_item(
    session: AsyncSession,
    principal: Principal,
    kind: Kind[ItemT, OutT],
    content: NewsIn | EventIn | ImageIn,
) -> OutT:
    """Write a new news item, event or image, as a draft."""
    row = kind.model(school_id=principal.school_id, state=DRAFT, **content.model_dump())
    session.add(row)
    return await _saved(session, kind, row)


async def get_item(
    session: AsyncSession, principal: Principal, kind: Kind[ItemT, OutT], item_id: uuid.UUID
) -> OutT:
    """One of the school's items, whatever its state."""
    return kind.shape(await _own(session, principal, kind.model, item_id, lock=False))


async def edit_item(
    session: AsyncSession,
    principal: Principal,
    kind: Kind[ItemT, OutT],
    item_id: uuid.UUID,
    content: NewsIn | EventIn | ImageIn,
) -> OutT:
    """Replace a draft's content (409 once published or archived)."""
    row = await _own(session, principal, kind.model, item_id)
    ITEM_FLOW.next(row.state, "edit")
    for name, value in content.model_dump().items():
        setattr(row, name, value)
    return await _saved(session, kind, row)


async def act_on_item(
    session: AsyncSession,
    principal: Principal,
    kind: Kind[ItemT, OutT],
    item_id: uuid.UUID,
    action: ItemAction,
) -> OutT:
    """Publish, unpublish, archive or restore an item (409 when its state forbids it)."""
    row = await _own(session, principal, kind.model, item_id)
    _move(row, ITEM_FLOW, action.value)
    return await _saved(session, kind, row)


async def delete_item(
    session: AsyncSession, principal: Principal, kind: Kind[ItemT, OutT], item_id: uuid.UUID
) -> None:
    """Delete a draft or archived item; a published one must be taken offline first (409)."""
    row = await _own(session, principal, kind.model, item_id)
    ITEM_FLOW.next(row.state, "delete")
    await session.delete(row)
    await session.flush()


async def item_page(
    session: AsyncSession,
    principal: Principal,
    kind: Kind[ItemT, OutT],
    page: PageRequest,
    *,
    state: WebState | None,
) -> Page[OutT]:
    """A page of the school's items of one kind, newest first, optionally in one state."""
    model = kind.model
    statement = where_given(
        select(model).where(school_scope(principal, model.school_id)), {model.state: state}
    )
    keys = (kind.sort, model.id)
    return await page_of(
        session, statement, keys, page, lambda r: kind.shape(r[0]), descending=True
    )
