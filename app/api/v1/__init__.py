"""Version 1 of the API: every face's router under `/api/v1`."""

from fastapi import APIRouter

from app.api.v1 import (
    auth,
    me,
    notifications,
    parent,
    school,
    schools,
    steering,
    student,
    teacher,
)
from app.api.v1.me_mfa import router as me_mfa_router
from app.api.v1.steering_audit import router as steering_audit_router
from app.api.v1.steering_sports import router as steering_sports_router

router = APIRouter(prefix="/api/v1")
router.include_router(auth.router)
router.include_router(me.router)
router.include_router(me_mfa_router)
router.include_router(notifications.router)
router.include_router(schools.router)
router.include_router(teacher.router)
router.include_router(student.router)
router.include_router(parent.router)
router.include_router(school.router)
router.include_router(steering.router)
router.include_router(steering_audit_router)
router.include_router(steering_sports_router)
