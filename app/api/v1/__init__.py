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
from app.api.v1.equipment_catalogue import router as equipment_catalogue_router
from app.api.v1.me_mfa import router as me_mfa_router
from app.api.v1.public import router as public_router

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
router.include_router(public_router)
router.include_router(equipment_catalogue_router)
