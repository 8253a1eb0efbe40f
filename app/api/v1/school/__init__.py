"""The school administration's face: staff of one school, on their own school's data."""

from fastapi import APIRouter, Depends

from app.api.v1.school import pupils
from app.security.deps import school_staff_only

router = APIRouter(prefix="/school", tags=["school"], dependencies=[Depends(school_staff_only)])
router.include_router(pupils.router)
