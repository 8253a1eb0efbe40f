"""School websites, the public's side: anyone, without a login, reads a school's published
site by its code. Only published rows of a published site exist here; anything else (an
unknown or inactive school, a draft site, a draft or archived item) answers 404 alike.

There is no principal: the scope is "published", and it is in every statement. Only columns
the school wrote for the public are selected (no account, no pupil, no staff address)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import found, found_row, page_of
from app.core.pagination import PageRequest
from app.core.schemas import Page, Schema
from app.errors import invalid
from app.modules.websites.models import SchoolSite, SiteEvent, SiteImage, SiteNews, WebState
from app.modules.websites.schemas import (
    PublicContacts,
    PublicEvent,
    PublicImage,
    PublicNews,
    PublicNewsItem,
    PublicPresentation,
    PublicSchool,
    PublicUnit,
)
from app.organisation.models import Academy, Province, School
from app.settings import get_settings

PUBLISHED = WebState.PUBLISHED
_Public = TypeVar("_Public", bound=Schema)


def _online(code: str) -> ColumnElement[bool]:
    """The school with this code is active and its site is published (joined on `school_sites`
    and `schools`)."""
    return and_(
        School.code == code,
        School.is_active.is_(True),
        SchoolSite.school_id == School.id,
        SchoolSite.state == PUBLISHED,
    )


async def school_page(session: AsyncSession, code: str) -> PublicSchool:
    """The presentation, contacts and place of a school whose site is published."""
    row = await found_row(
        session,
        select(School, SchoolSite, Province.name_fr, Province.name_ar, Academy)
        .join(SchoolSite, SchoolSite.school_id == School.id)
        .join(Province, Province.id == School.province_id)
        .join(Academy, Academy.id == School.academy_id)
        .where(_online(code)),
    )
    school, site, province_fr, province_ar, academy = row
    assert site.published_at is not None  # a published site is dated (CHECK constraint)
    return PublicSchool.of(
        school,
        cycles=list(school.cycles),
        directorate=PublicUnit(name_fr=province_fr, name_ar=province_ar),
        academy=PublicUnit(name_fr=academy.name_fr, name_ar=academy.name_ar),
        presentation=PublicPresentation(
            text_fr=site.presentation_fr,
            text_ar=site.presentation_ar,
            motto=site.motto,
            founded_year=site.founded_year,
        ),
        contacts=PublicContacts.of(site),
        published_at=site.published_at,
    )


async def _online_school_id(session: AsyncSession, code: str) -> uuid.UUID:
    return found(
        await session.scalar(select(School.id).select_from(SchoolSite, School).where(_online(code)))
    )


async def news_page(session: AsyncSession, code: str, page: PageRequest) -> Page[PublicNewsItem]:
    """Published news of a published site, newest first (without their bodies)."""
    school_id = await _online_school_id(session, code)
    statement = select(
        SiteNews.id, SiteNews.title, SiteNews.summary, SiteNews.cover_url, SiteNews.published_at
    ).where(SiteNews.school_id == school_id, SiteNews.state == PUBLISHED)
    keys = (SiteNews.published_at, SiteNews.id)
    return await page_of(session, statement, keys, page, _as(PublicNewsItem), descending=True)


async def news_item(session: AsyncSession, code: str, news_id: uuid.UUID) -> PublicNews:
    """One published news item of a published site, with its body."""
    row = await found_row(
        session,
        select(
            SiteNews.id,
            SiteNews.title,
            SiteNews.summary,
            SiteNews.cover_url,
            SiteNews.published_at,
            SiteNews.body,
        )
        .select_from(SiteNews, SchoolSite, School)
        .where(
            SiteNews.id == news_id,
            SiteNews.state == PUBLISHED,
            SiteNews.school_id == School.id,
            _online(code),
        ),
    )
    return PublicNews.model_validate(dict(row._mapping))


def _day_start(day: date) -> datetime:
    """Midnight of a school-local day, as an aware timestamp."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(get_settings().school_timezone))


def _event_window(start: date | None, end: date | None) -> ColumnElement[bool]:
    """Events that overlap the days from `start` to `end` (inclusive); with neither, the events
    not over yet."""
    if start is not None and end is not None and start > end:
        raise invalid("query.from", "must not be after `to`")
    conditions = []
    if start is None and end is None:
        conditions.append(SiteEvent.ends_at >= datetime.now(UTC))
    if start is not None:
        conditions.append(SiteEvent.ends_at >= _day_start(start))
    if end is not None:
        conditions.append(SiteEvent.starts_at < _day_start(end + timedelta(days=1)))
    return and_(*conditions)


async def events_page(
    session: AsyncSession,
    code: str,
    page: PageRequest,
    *,
    start: date | None,
    end: date | None,
) -> Page[PublicEvent]:
    """Published events of a published site, soonest first: upcoming ones by default, or
    those overlapping the days `start`..`end`."""
    window = _event_window(start, end)
    school_id = await _online_school_id(session, code)
    statement = select(
        SiteEvent.id,
        SiteEvent.title,
        SiteEvent.description,
        SiteEvent.place,
        SiteEvent.starts_at,
        SiteEvent.ends_at,
    ).where(SiteEvent.school_id == school_id, SiteEvent.state == PUBLISHED, window)
    keys = (SiteEvent.starts_at, SiteEvent.id)
    return await page_of(session, statement, keys, page, _as(PublicEvent))


async def gallery_page(session: AsyncSession, code: str, page: PageRequest) -> Page[PublicImage]:
    """Published gallery links of a published site, newest first."""
    school_id = await _online_school_id(session, code)
    # created_at is selected for the cursor; the answer leaves it out.
    statement = select(SiteImage.id, SiteImage.url, SiteImage.caption, SiteImage.created_at).where(
        SiteImage.school_id == school_id, SiteImage.state == PUBLISHED
    )
    keys = (SiteImage.created_at, SiteImage.id)
    return await page_of(session, statement, keys, page, _as(PublicImage), descending=True)


def _as(schema: type[_Public]) -> Callable[[Any], _Public]:
    """Rows of the selected public columns, read as `schema`."""
    return lambda row: schema.model_validate(dict(row._mapping))
