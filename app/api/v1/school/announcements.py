"""Announcements to the school's pupils and parents."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.db.session import SessionDep
from app.schemas.announcements import AnnouncementIn, AnnouncementOut
from app.security.deps import SchoolStaffPrincipal
from app.services import announcements

router = APIRouter()


@router.post(
    "/announcements",
    operation_id="school-publish-announcement",
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
