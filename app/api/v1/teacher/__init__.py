"""The teacher app's face (Massar Moudaris): teachers only, their own classes only."""

from fastapi import APIRouter, Depends

from app.api.v1.teacher import (
    assessment,
    attendance,
    classes,
    diagnostics,
    gradesheet,
    lessons,
    messages,
    school_projects,
    sports,
    sync,
    trainings,
)
from app.security.deps import teacher_only

router = APIRouter(prefix="/teacher", tags=["teacher"], dependencies=[Depends(teacher_only)])
for module in (
    classes,
    attendance,
    assessment,
    gradesheet,
    lessons,
    sync,
    messages,
    trainings,
    diagnostics,
    sports,
    school_projects,
):
    router.include_router(module.router)
