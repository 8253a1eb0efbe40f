"""Version 1 of the API: every face's router under `/api/v1`."""

from fastapi import APIRouter

from app.accounts.routes import auth, me
from app.accounts.routes.mfa import router as me_mfa_router
from app.api.v1 import parent, school, steering, student, teacher
from app.messaging.routes import notifications
from app.modules.equipment.routes.catalogue import router as equipment_catalogue_router
from app.modules.websites.routes.public import router as public_router
from app.organisation import routes as schools

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
