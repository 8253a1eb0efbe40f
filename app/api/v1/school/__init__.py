"""The school administration's face: staff of one school, on their own school's data."""

from fastapi import APIRouter, Depends

from app.api.v1.school import announcements, justifications, marks, messages, pupils
from app.security.deps import school_staff_only

router = APIRouter(prefix="/school", tags=["school"], dependencies=[Depends(school_staff_only)])
router.include_router(pupils.router)
router.include_router(justifications.router)
router.include_router(messages.router)
router.include_router(announcements.router)
router.include_router(marks.router)

# Imported here rather than above so that screens added on parallel branches merge line by line.
from app.api.v1.school import grade_entry  # noqa: E402

router.include_router(grade_entry.router)
