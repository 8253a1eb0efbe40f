"""The teacher app's face (Massar Moudaris): teachers only, their own classes only."""

from fastapi import APIRouter, Depends

from app.academics.routes import classes, lessons
from app.academics.routes.years import calendar_route
from app.accounts.guards import teacher_only
from app.assessment.routes import gradesheet
from app.assessment.routes import marks as assessment
from app.attendance.routes import roll_calls as attendance
from app.messaging.routes.threads import message_threads
from app.modules.diagnostics.routes import diagnostic_routes
from app.modules.school_projects.routes import project_routes
from app.modules.sports.routes import sport_routes
from app.modules.trainings.routes import training_routes
from app.sync import routes as sync

router = APIRouter(prefix="/teacher", tags=["teacher"], dependencies=[Depends(teacher_only)])
for module in (classes, attendance, assessment, gradesheet, lessons, sync):
    router.include_router(module.router)
router.include_router(message_threads("teacher"))
router.include_router(calendar_route("teacher"))
for module_routes in (diagnostic_routes, sport_routes, training_routes, project_routes):
    router.include_router(module_routes("teacher"))
