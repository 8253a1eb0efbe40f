"""Version 1 of the API: every face's router under `/api/v1`."""

from fastapi import APIRouter

from app.api.v1 import auth, me, notifications, parent, school, schools, student, teacher

router = APIRouter(prefix="/api/v1")
router.include_router(auth.router)
router.include_router(me.router)
router.include_router(notifications.router)
router.include_router(schools.router)
router.include_router(teacher.router)
router.include_router(student.router)
router.include_router(parent.router)
router.include_router(school.router)

# Imported here rather than above so that faces added on parallel branches merge line by line.
from app.api.v1 import steering  # noqa: E402

router.include_router(steering.router)
