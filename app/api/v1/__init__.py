"""Version 1 of the API: every face's router under `/api/v1`."""

from fastapi import APIRouter

from app.api.v1 import auth, me, schools, teacher

router = APIRouter(prefix="/api/v1")
router.include_router(auth.router)
router.include_router(me.router)
router.include_router(schools.router)
router.include_router(teacher.router)
