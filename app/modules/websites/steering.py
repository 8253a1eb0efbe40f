"""School websites, steering's side: which schools of a directorate, an academy or the country
have a site online, and how alive it is. Read only; the content stays the school's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ScalarSelect, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.listing import page_of
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.modules.websites.models import SchoolSite, SiteEvent, SiteNews, WebState
from app.modules.websites.schemas import SiteStatus, WebsiteFigures
from app.organisation.models import School
from app.organisation.schemas import UnitOut
from app.organisation.scopes import school_scope
from app.organisation.units import in_unit

PUBLISHED = WebState.PUBLISHED
RECENT_DAYS = 30


def _per_school(
    column: Any, model: type[SiteNews] | type[SiteEvent], *extra: Any
) -> ScalarSelect[Any]:
    """An aggregate of the school's published rows of `model`, correlated to `schools` (one
    index range per listed school, in the same statement)."""
    return (
        select(column)
        .where(model.school_id == School.id, model.state == PUBLISHED, *extra)
        .correlate(School)
        .scalar_subquery()
    )


async def list_sites(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    published: bool | None,
) -> Page[SiteStatus]:
    """The active schools of the caller's part of the tree, by code, with their site's state,
    published news and upcoming events, and the latest publication."""
    now = datetime.now(UTC)
    statement = (
        select(
            School.id,
            School.code,
            School.name_fr,
            School.name_ar,
            SchoolSite.state.label("site_state"),
            SchoolSite.published_at,
            _per_school(func.count(), SiteNews).label("published_news"),
            _per_school(func.count(), SiteEvent, SiteEvent.ends_at >= now).label("upcoming_events"),
            _per_school(func.max(SiteNews.published_at), SiteNews).label("last_news"),
            _per_school(func.max(SiteEvent.published_at), SiteEvent).label("last_event"),
        )
        .outerjoin(SchoolSite, SchoolSite.school_id == School.id)
        .where(
            School.is_active.is_(True),
            school_scope(
                principal, School.id, province_id=School.province_id, academy_id=School.academy_id
            ),
        )
    )
    if published is True:
        statement = statement.where(SchoolSite.state == PUBLISHED)
    elif published is False:
        statement = statement.where(or_(SchoolSite.state.is_(None), SchoolSite.state != PUBLISHED))
    return await page_of(session, statement, (School.code, School.id), page, _status)


def _status(row: Any) -> SiteStatus:
    dates = [row.published_at, row.last_news, row.last_event]
    return SiteStatus.of(
        row,
        school_id=row.id,
        published=row.site_state is PUBLISHED,
        last_published_at=max((d for d in dates if d is not None), default=None),
    )


async def steering_figure(session: AsyncSession, unit: UnitOut) -> WebsiteFigures:
    """Sites online, news published in the last 30 days and upcoming published events of the
    unit's schools: one statement of three counts."""
    now = datetime.now(UTC)

    def count(model: Any, *where: Any) -> ScalarSelect[int]:
        return (
            select(func.count())
            .select_from(model)
            .join(School, School.id == model.school_id)
            .where(model.state == PUBLISHED, in_unit(unit), *where)
            .scalar_subquery()
        )

    row = (
        await session.execute(
            select(
                count(SchoolSite).label("sites"),
                count(SiteNews, SiteNews.published_at >= now - timedelta(days=RECENT_DAYS)).label(
                    "news"
                ),
                count(SiteEvent, SiteEvent.ends_at >= now).label("events"),
            )
        )
    ).one()
    return WebsiteFigures(
        published_sites=row.sites, news_last_30_days=row.news, upcoming_events=row.events
    )
