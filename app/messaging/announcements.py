"""School announcements: written by the school's staff, read in the pupil and parent apps,
and pushed to their audience in the same transaction."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year
from app.academics.models import Enrolment, SchoolClass
from app.academics.structure import class_of_school
from app.core.security.principal import Principal
from app.family.audience import family_accounts, parent_accounts
from app.family.pupil_records import placement
from app.messaging.models import Announcement, Audience, NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.messaging.schemas import AnnouncementIn, AnnouncementOut

LIST_LIMIT = 50


async def publish(
    session: AsyncSession, principal: Principal, new: AnnouncementIn
) -> AnnouncementOut:
    """Publish an announcement in the caller's school and notify its audience."""
    assert principal.school_id is not None
    if new.class_id is not None:
        await class_of_school(session, principal, new.class_id, "body.class_id")
    announcement = Announcement(
        school_id=principal.school_id, author_id=principal.user_id, **new.model_dump()
    )
    session.add(announcement)
    await session.flush()
    await session.refresh(announcement)
    texts = NotificationTexts(
        title_ar=announcement.title[:200],
        title_fr=announcement.title[:200],
        body_ar=announcement.body[:2000],
        body_fr=announcement.body[:2000],
    )
    await notify(
        session,
        await _audience(session, announcement),
        NotificationCategory.ANNOUNCEMENTS,
        texts,
        {"announcement_id": announcement.id},
    )
    return AnnouncementOut.model_validate(announcement)


async def _audience(session: AsyncSession, announcement: Announcement) -> list[uuid.UUID]:
    """Accounts of the pupils enrolled this year in the targeted part of the school, and of their
    verified parents (parents only, for audience `parents`)."""
    pupils = (
        select(Enrolment.pupil_id)
        .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .where(
            Enrolment.school_id == announcement.school_id,
            Enrolment.school_year == current_year(),
            Enrolment.left_on.is_(None),
        )
    )
    if announcement.audience is Audience.LEVEL:
        pupils = pupils.where(SchoolClass.level_code == announcement.level_code)
    elif announcement.audience is Audience.CLASS:
        pupils = pupils.where(SchoolClass.id == announcement.class_id)
    if announcement.audience is Audience.PARENTS:
        return list(await session.scalars(parent_accounts(pupils)))
    return await family_accounts(session, pupils)


async def for_school(session: AsyncSession, principal: Principal) -> list[AnnouncementOut]:
    """The school's announcements, newest first."""
    rows = await session.scalars(
        select(Announcement)
        .where(Announcement.school_id == principal.school_id)
        .order_by(Announcement.published_at.desc())
        .limit(LIST_LIMIT)
    )
    return [AnnouncementOut.model_validate(a) for a in rows]


async def for_pupil(
    session: AsyncSession, pupil_id: uuid.UUID, *, as_parent: bool
) -> list[AnnouncementOut]:
    """What reaches this pupil (or, `as_parent`, their parent) at their school, newest first."""
    place = await placement(session, pupil_id)
    if place is None:
        return []
    rows = await session.scalars(
        select(Announcement)
        .where(
            Announcement.school_id == place.school_id,
            _reaches(place.level_code, place.class_id, as_parent),
        )
        .order_by(Announcement.published_at.desc())
        .limit(LIST_LIMIT)
    )
    return [AnnouncementOut.model_validate(a) for a in rows]


def _reaches(level_code: str, class_id: uuid.UUID, as_parent: bool) -> ColumnElement[bool]:
    return or_(
        Announcement.audience == Audience.SCHOOL,
        and_(Announcement.audience == Audience.LEVEL, Announcement.level_code == level_code),
        and_(Announcement.audience == Audience.CLASS, Announcement.class_id == class_id),
        Announcement.audience == Audience.PARENTS if as_parent else false(),
    )
