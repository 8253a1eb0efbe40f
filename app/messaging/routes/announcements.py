"""Announcements to the school's pupils and parents."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.accounts.guards import SchoolStaffPrincipal, duty
from app.core.db.session import SessionDep
from app.core.roles import Duty
from app.messaging import announcements
from app.messaging.schemas import AnnouncementIn, AnnouncementOut

router = APIRouter()


@router.post(
    "/announcements",
    operation_id="school-publish-announcement",
    **duty(Duty.SCHOOL_LIFE),
    status_code=status.HTTP_201_CREATED,
)
async def publish(
    new: AnnouncementIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> AnnouncementOut:
    """Publish to the whole school, a level, a class or parents only; its audience is notified."""
    return await announcements.publish(session, principal, new)


@router.get("/announcements", operation_id="school-announcements")
async def list_announcements(
    principal: SchoolStaffPrincipal, session: SessionDep
) -> list[AnnouncementOut]:
    """The school's latest announcements."""
    return await announcements.for_school(session, principal)
