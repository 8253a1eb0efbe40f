"""The teacher app's face (Massar Moudaris): teachers only, their own classes only."""

from fastapi import APIRouter, Depends

from app.api.v1.teacher import assessment, attendance, classes, gradesheet, lessons, messages, sync
from app.api.v1.teacher.diagnostics import router as diagnostics_router
from app.api.v1.teacher.sports import router as sports_router
from app.api.v1.teacher.trainings import router as trainings_router
from app.security.deps import teacher_only

router = APIRouter(prefix="/teacher", tags=["teacher"], dependencies=[Depends(teacher_only)])
for module in (classes, attendance, assessment, gradesheet, lessons, sync, messages):
    router.include_router(module.router)
router.include_router(trainings_router)
router.include_router(diagnostics_router)
router.include_router(sports_router)
